/**
 * Input types of the analytics reference implementation: a mirror of the database rows the SQL
 * version reads (see docs/analytics.md, "Inputs"). Money is integer minor units (分), instants
 * are UTC `Date`s, calendar dates are 'YYYY-MM-DD' strings.
 */
import type { Priority } from '../priority';
import type { ForecastCategory, StageKind } from '../stages';

/** A stage of a pipeline (table `stages`). */
export interface AnalyticsStage {
  id: string;
  /** 1..n, ordered; open stages first, then the won stage, then the lost stage. */
  position: number;
  name: string;
  kind: StageKind;
  /** Percent 0..100. */
  winProbability: number;
  standardDwellDays: number | null;
  standardCountRatio: number | null;
  forecastCategory: ForecastCategory;
}

export const OPPORTUNITY_STATUSES = ['open', 'won', 'lost', 'postponed'] as const;
export type OpportunityStatus = (typeof OPPORTUNITY_STATUSES)[number];

/** The facts of one opportunity (table `opportunities`), as they are now. */
export interface OpportunityFacts {
  id: string;
  /** Acquisition time (`opportunities.acquired_at`): the cohort date. */
  createdAt: Date;
  ownerId: string;
  teamId: string | null;
  source: string | null;
  region: string | null;
  productLine: string | null;
  industry: string | null;
  /** Employees of the account (account size). */
  employees: number | null;
  /** Minor units (分), integer >= 0. */
  expectedAmount: number;
  expectedCloseDate: string | null;
  /** Percent override of the stage probability; null = use the stage's. */
  winProbability: number | null;
  forecastCategoryOverride: ForecastCategory | null;
  status: OpportunityStatus;
  /** Current stage. */
  stageId: string;
  /** Minor units (分), set while won. */
  wonAmount: number | null;
  /** Signing date, set while won. */
  wonDate: string | null;
  /** Instant of the close (won or lost); null while open or postponed. */
  closedAt: Date | null;
  lossReason: string | null;
  priority: Priority;
  customFields: Record<string, unknown>;
}

export const STAGE_CHANGE_KINDS = [
  'create',
  'forward',
  'skip',
  'back',
  'won',
  'lost',
  'postpone',
  'reopen',
] as const;
export type StageChangeKind = (typeof STAGE_CHANGE_KINDS)[number];

/** One row of the append-only stage history (table `stage_changes`). */
export interface StageChangeEvent {
  opportunityId: string;
  /** null for 'create'; for 'lost' the stage the opportunity was lost from. */
  fromStageId: string | null;
  toStageId: string;
  kind: StageChangeKind;
  /** Status after the change. */
  status: OpportunityStatus;
  changedAt: Date;
  /**
   * Tie-breaker between events of one opportunity with the same `changedAt` (the row id,
   * `stage_changes.id`). Without it, ties keep the input order.
   */
  sequence?: number;
}

export const FOLLOW_UP_STATUSES = ['planned', 'done', 'cancelled'] as const;
export type FollowUpStatus = (typeof FOLLOW_UP_STATUSES)[number];

/** One follow-up (table `follow_ups`). */
export interface FollowUpFacts {
  opportunityId: string;
  ownerId: string;
  status: FollowUpStatus;
  plannedAt: Date | null;
  occurredAt: Date | null;
  lateEntry: boolean;
}

/** A ratio with its parts; `value` is null when the denominator is 0. */
export interface Rate {
  numerator: number;
  denominator: number;
  value: number | null;
}

/** A half-open range of instants [from, to) and the zone its calendar dates are read in. */
export interface Period {
  from: Date;
  to: Date;
  timeZone: string;
  /** e.g. '2024-06', '2024-Q2', '2024-W23', '2024', or 'YYYY-MM-DD..YYYY-MM-DD'. */
  label: string;
}

/** Returns the group an opportunity belongs to; null is the "none" group. */
export type GroupKeyFn = (opportunity: OpportunityFacts) => string | null;

/** One group of a grouped result. */
export interface Group<R> {
  key: string | null;
  result: R;
}
