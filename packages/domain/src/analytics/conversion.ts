/**
 * Funnel conversion (docs/analytics.md#cohort-conversion, #period-flow-conversion, #drop-off).
 */
import { eventsByOpportunity, funnelOf, furthestIndex, positionsAfter } from './history';
import { inPeriod } from './periods';
import { rate } from './stats';
import type {
  AnalyticsStage,
  OpportunityFacts,
  OpportunityStatus,
  Period,
  Rate,
  StageChangeEvent,
} from './types';

export interface CohortConversionInput {
  /** One pipeline's stages. */
  stages: readonly AnalyticsStage[];
  /** That pipeline's opportunities; the cohort is those with createdAt in `period`. */
  opportunities: readonly OpportunityFacts[];
  events: readonly StageChangeEvent[];
  period: Period;
  /** Only events with changedAt <= asOf count, and only opportunities created by then. */
  asOf?: Date | null;
}

export interface CohortStageRow {
  stageId: string;
  name: string;
  /** 0-based funnel index. */
  index: number;
  /** Opportunities whose furthest stage is this one or later. */
  reached: number;
  /** reached(k) / reached(first stage). */
  cumulative: Rate;
  /** Opportunities whose furthest stage is this one and whose status is lost. */
  lost: number;
  /** lost / reached(k). */
  dropOff: Rate;
}

export interface ConversionStep {
  fromStageId: string;
  toStageId: string;
  fromName: string;
  toName: string;
  rate: Rate;
}

export interface CohortConversionResult {
  period: Period;
  asOf: Date | null;
  /** Opportunities created in the period (and by asOf). */
  cohortSize: number;
  stages: CohortStageRow[];
  /** Adjacent conversion k -> k+1 = reached(k+1) / reached(k). */
  steps: ConversionStep[];
}

/**
 * Per cohort opportunity: furthest funnel index and status (as of asOf when given).
 * See docs/analytics.md#cohort-conversion.
 */
export function cohortOutcomes(
  input: CohortConversionInput,
): { opportunity: OpportunityFacts; furthest: number; status: OpportunityStatus | null }[] {
  const funnel = funnelOf(input.stages);
  const asOf = input.asOf ?? null;
  const byOpp = eventsByOpportunity(input.events, asOf);
  const out: {
    opportunity: OpportunityFacts;
    furthest: number;
    status: OpportunityStatus | null;
  }[] = [];
  for (const o of input.opportunities) {
    if (!inPeriod(o.createdAt, input.period)) continue;
    if (asOf && o.createdAt.getTime() > asOf.getTime()) continue;
    const events = byOpp.get(o.id) ?? [];
    const status = asOf ? (events[events.length - 1]?.status ?? null) : o.status;
    out.push({ opportunity: o, furthest: furthestIndex(funnel, events), status });
  }
  return out;
}

/**
 * Cohort conversion: of the opportunities created in [from, to), how many reached each funnel
 * stage (entered it or any later one); adjacent = reached(k+1)/reached(k), cumulative =
 * reached(k)/reached(1). See docs/analytics.md#cohort-conversion.
 */
export function cohortConversion(input: CohortConversionInput): CohortConversionResult {
  const funnel = funnelOf(input.stages);
  const n = funnel.stages.length;
  const reachedExactly = new Array<number>(n).fill(0);
  const lostAt = new Array<number>(n).fill(0);
  const outcomes = cohortOutcomes(input);
  for (const { furthest, status } of outcomes) {
    if (furthest < 0) continue;
    reachedExactly[furthest]!++;
    if (status === 'lost') lostAt[furthest]!++;
  }
  const reached = new Array<number>(n).fill(0);
  let running = 0;
  for (let k = n - 1; k >= 0; k--) {
    running += reachedExactly[k]!;
    reached[k] = running;
  }
  const first = reached[0]!;
  const stages = funnel.stages.map((s, k) => ({
    stageId: s.id,
    name: s.name,
    index: k,
    reached: reached[k]!,
    cumulative: rate(reached[k]!, first),
    lost: lostAt[k]!,
    dropOff: rate(lostAt[k]!, reached[k]!),
  }));
  const steps: ConversionStep[] = [];
  for (let k = 0; k + 1 < n; k++) {
    const from = funnel.stages[k]!;
    const to = funnel.stages[k + 1]!;
    steps.push({
      fromStageId: from.id,
      toStageId: to.id,
      fromName: from.name,
      toName: to.name,
      rate: rate(reached[k + 1]!, reached[k]!),
    });
  }
  return {
    period: input.period,
    asOf: input.asOf ?? null,
    cohortSize: outcomes.length,
    stages,
    steps,
  };
}

export interface DropOffRow {
  stageId: string;
  name: string;
  reached: number;
  lost: number;
  dropOff: Rate;
}

/**
 * Drop-off (流失率) of open stage k in a cohort: opportunities whose furthest stage is k and that
 * are lost, over reached(k). See docs/analytics.md#drop-off.
 */
export function dropOff(input: CohortConversionInput): DropOffRow[] {
  const funnel = funnelOf(input.stages);
  return cohortConversion(input)
    .stages.filter((row) => row.index < funnel.open.length)
    .map((row) => ({
      stageId: row.stageId,
      name: row.name,
      reached: row.reached,
      lost: row.lost,
      dropOff: row.dropOff,
    }));
}

export interface PeriodFlowInput {
  stages: readonly AnalyticsStage[];
  opportunities: readonly OpportunityFacts[];
  events: readonly StageChangeEvent[];
  period: Period;
}

export interface PeriodFlowStage {
  stageId: string;
  name: string;
  /** Opportunities that entered the stage (or passed over it) during the period. */
  entered: number;
}

export interface PeriodFlowStep extends ConversionStep {
  /** Opportunities that entered the from-stage during the period. */
  entered: number;
  /** Of those, the ones at the to-stage or beyond at some point from that entry to the end. */
  advanced: number;
}

export interface PeriodFlowResult {
  period: Period;
  stages: PeriodFlowStage[];
  steps: PeriodFlowStep[];
}

/**
 * Period flow conversion: of the opportunities that entered stage k during [from, to) (an event
 * moving the funnel position from before k to k or beyond), the share that was at k+1 or beyond
 * by the end of the period. See docs/analytics.md#period-flow-conversion.
 */
export function periodFlowConversion(input: PeriodFlowInput): PeriodFlowResult {
  const funnel = funnelOf(input.stages);
  const n = funnel.stages.length;
  const entered = new Array<number>(n).fill(0);
  const advanced = new Array<number>(n).fill(0);
  const byOpp = eventsByOpportunity(input.events);
  const from = input.period.from.getTime();
  const to = input.period.to.getTime();
  for (const o of input.opportunities) {
    const events = byOpp.get(o.id);
    if (!events) continue;
    const after = positionsAfter(funnel, events);
    for (let k = 0; k < n; k++) {
      let entry = -1;
      for (let j = 0; j < events.length; j++) {
        const t = events[j]!.changedAt.getTime();
        if (t >= to) break;
        if (t < from) continue;
        const before = j === 0 ? -1 : after[j - 1]!;
        if (before < k && after[j]! >= k) {
          entry = j;
          break;
        }
      }
      if (entry < 0) continue;
      entered[k]!++;
      for (let j = entry; j < events.length; j++) {
        if (events[j]!.changedAt.getTime() >= to) break;
        if (after[j]! >= k + 1) {
          advanced[k]!++;
          break;
        }
      }
    }
  }
  const steps: PeriodFlowStep[] = [];
  for (let k = 0; k + 1 < n; k++) {
    const a = funnel.stages[k]!;
    const b = funnel.stages[k + 1]!;
    steps.push({
      fromStageId: a.id,
      toStageId: b.id,
      fromName: a.name,
      toName: b.name,
      entered: entered[k]!,
      advanced: advanced[k]!,
      rate: rate(advanced[k]!, entered[k]!),
    });
  }
  return {
    period: input.period,
    stages: funnel.stages.map((s, k) => ({ stageId: s.id, name: s.name, entered: entered[k]! })),
    steps,
  };
}
