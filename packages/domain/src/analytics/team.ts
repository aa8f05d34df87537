/**
 * Team effectiveness per rep and follow-up compliance (docs/analytics.md#team-effectiveness,
 * #follow-up-compliance).
 */
import { compareGroupKeys } from './grouping';
import { inPeriod } from './periods';
import { rate } from './stats';
import type { FollowUpFacts, OpportunityFacts, Period, Rate } from './types';

const HOUR_MS = 3_600_000;
export const DEFAULT_FOLLOW_UP_GRACE_HOURS = 24;

export interface FollowUpComplianceInput {
  followUps: readonly FollowUpFacts[];
  period: Period;
  now: Date;
  /** A done follow-up is on time when occurredAt <= plannedAt + grace. Default 24 hours. */
  graceHours?: number;
}

export interface FollowUpComplianceResult {
  /** Follow-ups with plannedAt in the period and before now. */
  due: number;
  /** Due and cancelled (left out of the rates' denominators). */
  cancelled: number;
  /** Due, done and occurredAt <= plannedAt + grace. */
  doneOnTime: number;
  /** Due, done later than that (or without occurredAt). */
  doneLate: number;
  /** Due and still planned at now. */
  overdue: number;
  /** doneOnTime / (due − cancelled). */
  onTime: Rate;
  /** overdue / (due − cancelled). */
  overdueRate: Rate;
  /** Done follow-ups with occurredAt in the period, and how many of them were entered late. */
  lateEntries: { done: number; late: number; rate: Rate };
}

/**
 * Follow-up compliance: of planned follow-ups due in the period (plannedAt in [from, to) and
 * before now), the share done on time (occurredAt <= plannedAt + 24h), overdue (still planned);
 * plus late entries among done ones. docs/analytics.md#follow-up-compliance
 */
export function followUpCompliance(input: FollowUpComplianceInput): FollowUpComplianceResult {
  const graceMs = (input.graceHours ?? DEFAULT_FOLLOW_UP_GRACE_HOURS) * HOUR_MS;
  const now = input.now.getTime();
  let due = 0;
  let cancelled = 0;
  let doneOnTime = 0;
  let doneLate = 0;
  let overdue = 0;
  let done = 0;
  let late = 0;
  for (const f of input.followUps) {
    if (f.plannedAt && inPeriod(f.plannedAt, input.period) && f.plannedAt.getTime() < now) {
      due++;
      if (f.status === 'cancelled') cancelled++;
      else if (f.status === 'planned') overdue++;
      else if (f.occurredAt && f.occurredAt.getTime() <= f.plannedAt.getTime() + graceMs)
        doneOnTime++;
      else doneLate++;
    }
    if (f.status === 'done' && f.occurredAt && inPeriod(f.occurredAt, input.period)) {
      done++;
      if (f.lateEntry) late++;
    }
  }
  return {
    due,
    cancelled,
    doneOnTime,
    doneLate,
    overdue,
    onTime: rate(doneOnTime, due - cancelled),
    overdueRate: rate(overdue, due - cancelled),
    lateEntries: { done, late, rate: rate(late, done) },
  };
}

export interface RepEffectiveness {
  repId: string;
  /** Opportunities the rep owns that were created in the period. */
  cohort: number;
  /** Of those, status won now. */
  won: number;
  /** won / cohort. */
  conversion: Rate;
  /** Done follow-ups (any author, any time) on the cohort's opportunities. */
  doneFollowUps: number;
  /** doneFollowUps / cohort. */
  followUpsPerOpportunity: Rate;
  /** A-priority opportunities of the cohort: won / total. */
  aPriority: { total: number; won: number; conversion: Rate };
  /** Compliance of the follow-ups the rep owns (followUp.ownerId). */
  compliance: FollowUpComplianceResult;
}

/**
 * Team effectiveness per rep: cohort conversion to won, done follow-ups per opportunity,
 * A-priority conversion and follow-up compliance. docs/analytics.md#team-effectiveness
 */
export function teamEffectiveness(input: {
  opportunities: readonly OpportunityFacts[];
  followUps: readonly FollowUpFacts[];
  period: Period;
  now: Date;
  graceHours?: number;
}): RepEffectiveness[] {
  const cohortOf = new Map<string, OpportunityFacts[]>();
  const repOfCohortOpp = new Map<string, string>();
  for (const o of input.opportunities) {
    if (!inPeriod(o.createdAt, input.period)) continue;
    let list = cohortOf.get(o.ownerId);
    if (!list) cohortOf.set(o.ownerId, (list = []));
    list.push(o);
    repOfCohortOpp.set(o.id, o.ownerId);
  }
  const doneOf = new Map<string, number>();
  const ownedFollowUps = new Map<string, FollowUpFacts[]>();
  for (const f of input.followUps) {
    const rep = repOfCohortOpp.get(f.opportunityId);
    if (rep !== undefined && f.status === 'done') doneOf.set(rep, (doneOf.get(rep) ?? 0) + 1);
    // Only follow-ups planned or done in the period bear on compliance (and make a row).
    const planned = f.plannedAt !== null && inPeriod(f.plannedAt, input.period);
    const occurred = f.occurredAt !== null && inPeriod(f.occurredAt, input.period);
    if (!planned && !occurred) continue;
    let list = ownedFollowUps.get(f.ownerId);
    if (!list) ownedFollowUps.set(f.ownerId, (list = []));
    list.push(f);
  }
  const reps = [...new Set([...cohortOf.keys(), ...ownedFollowUps.keys()])].sort(compareGroupKeys);
  return reps.map((repId) => {
    const cohort = cohortOf.get(repId) ?? [];
    const won = cohort.filter((o) => o.status === 'won').length;
    const a = cohort.filter((o) => o.priority === 'A');
    const aWon = a.filter((o) => o.status === 'won').length;
    const doneFollowUps = doneOf.get(repId) ?? 0;
    return {
      repId,
      cohort: cohort.length,
      won,
      conversion: rate(won, cohort.length),
      doneFollowUps,
      followUpsPerOpportunity: rate(doneFollowUps, cohort.length),
      aPriority: { total: a.length, won: aWon, conversion: rate(aWon, a.length) },
      compliance: followUpCompliance({
        followUps: ownedFollowUps.get(repId) ?? [],
        period: input.period,
        now: input.now,
        ...(input.graceHours === undefined ? {} : { graceHours: input.graceHours }),
      }),
    };
  });
}
