/**
 * Standard vs actual funnel (产量/平衡分析) and funnel health
 * (docs/analytics.md#standard-vs-actual, #funnel-health).
 */
import { cohortConversion } from './conversion';
import type { ConversionStep } from './conversion';
import { stageDwell } from './dwell';
import type { DwellRow } from './dwell';
import { effectiveProbability, weightedAmount } from './forecast';
import { funnelOf, requireStage } from './history';
import { rate } from './stats';
import type { AnalyticsStage, OpportunityFacts, Period, Rate, StageChangeEvent } from './types';

export interface StandardVsActualRow {
  stageId: string;
  name: string;
  /** Opportunities with status open in this stage now. */
  actual: number;
  standardCountRatio: number | null;
  /** ratio(k) / ratio(anchor) × actual(anchor); not rounded; null without a ratio. */
  standard: number | null;
  /** actual − standard. */
  difference: number | null;
  /** actual / standard. */
  ratioToStandard: number | null;
}

export interface StandardVsActualResult {
  /** The first open stage with a positive standardCountRatio: the scale of the standard funnel. */
  anchor: { stageId: string; actual: number; standardCountRatio: number } | null;
  rows: StandardVsActualRow[];
}

/**
 * Standard vs actual funnel: open opportunities per open stage now vs the standard count ratio
 * scaled to the first (anchor) stage's actual count. docs/analytics.md#standard-vs-actual
 */
export function standardVsActual(input: {
  stages: readonly AnalyticsStage[];
  opportunities: readonly OpportunityFacts[];
}): StandardVsActualResult {
  const funnel = funnelOf(input.stages);
  const counts = new Map(funnel.open.map((s) => [s.id, 0]));
  for (const o of input.opportunities) {
    if (o.status !== 'open') continue;
    const c = counts.get(o.stageId);
    if (c !== undefined) counts.set(o.stageId, c + 1);
  }
  const anchorStage = funnel.open.find((s) => (s.standardCountRatio ?? 0) > 0);
  const anchor = anchorStage
    ? {
        stageId: anchorStage.id,
        actual: counts.get(anchorStage.id)!,
        standardCountRatio: anchorStage.standardCountRatio!,
      }
    : null;
  const rows = funnel.open.map((s) => {
    const actual = counts.get(s.id)!;
    const standard =
      anchor && s.standardCountRatio !== null
        ? (s.standardCountRatio / anchor.standardCountRatio) * anchor.actual
        : null;
    return {
      stageId: s.id,
      name: s.name,
      actual,
      standardCountRatio: s.standardCountRatio,
      standard,
      difference: standard === null ? null : actual - standard,
      ratioToStandard: standard ? actual / standard : null,
    };
  });
  return { anchor, rows };
}

export interface FunnelHealthInput {
  /** One pipeline's stages. */
  stages: readonly AnalyticsStage[];
  opportunities: readonly OpportunityFacts[];
  events: readonly StageChangeEvent[];
  /** Cohort for the slope; stays entered in it for the velocity. */
  period: Period;
  now: Date;
  /** Target still to win in the period (分). */
  remainingTarget: number;
}

export interface SlopeRow extends ConversionStep {
  /** ratio(k+1) / ratio(k); null when either ratio is missing or ratio(k) is 0. */
  standard: number | null;
  /** rate.value / standard. */
  ratioToStandard: number | null;
}

export interface EvennessRow {
  stageId: string;
  actual: number;
  actualShare: number | null;
  standardShare: number;
}

export interface FunnelHealthResult {
  capacity: {
    /** Σ round(expectedAmount × probability%) over open opportunities (分). */
    weightedPipeline: number;
    remainingTarget: number;
    /** weightedPipeline / remainingTarget; value null when the remaining target is <= 0. */
    coverage: Rate;
  };
  slope: SlopeRow[];
  evenness: {
    rows: EvennessRow[];
    /** ½ Σ |actualShare − standardShare| over stages with a ratio. */
    totalVariationDistance: number | null;
    /** 1 − totalVariationDistance, in [0, 1]; 1 = exactly the standard shape. */
    value: number | null;
  };
  velocity: {
    rows: DwellRow[];
    /** Σ meanDays / Σ standardDwellDays over stages having both. */
    ratioToStandard: number | null;
  };
}

/**
 * Funnel health components with their inputs: capacity (weighted pipeline / remaining target),
 * slope (conversion vs standard), evenness (1 − TVD of counts vs standard shape), velocity
 * (dwell vs standard dwell). docs/analytics.md#funnel-health
 */
export function funnelHealth(input: FunnelHealthInput): FunnelHealthResult {
  const funnel = funnelOf(input.stages);
  let weightedPipeline = 0;
  for (const o of input.opportunities) {
    if (o.status !== 'open') continue;
    const stage = requireStage(funnel.byId, o.stageId);
    weightedPipeline += weightedAmount(o.expectedAmount, effectiveProbability(o, stage));
  }
  const coverage: Rate =
    input.remainingTarget > 0
      ? rate(weightedPipeline, input.remainingTarget)
      : { numerator: weightedPipeline, denominator: input.remainingTarget, value: null };

  const conversion = cohortConversion({ ...input, asOf: null });
  const slope = conversion.steps.map((step) => {
    const a = funnel.byId.get(step.fromStageId)!.standardCountRatio;
    const b = funnel.byId.get(step.toStageId)!.standardCountRatio;
    const standard = a !== null && b !== null && a > 0 ? b / a : null;
    return {
      ...step,
      standard,
      ratioToStandard: standard && step.rate.value !== null ? step.rate.value / standard : null,
    };
  });

  const sva = standardVsActual(input);
  const withRatio = sva.rows.filter((r) => r.standardCountRatio !== null);
  const actualTotal = withRatio.reduce((s, r) => s + r.actual, 0);
  const ratioTotal = withRatio.reduce((s, r) => s + r.standardCountRatio!, 0);
  const evennessRows = withRatio.map((r) => ({
    stageId: r.stageId,
    actual: r.actual,
    actualShare: actualTotal > 0 ? r.actual / actualTotal : null,
    standardShare: ratioTotal > 0 ? r.standardCountRatio! / ratioTotal : 0,
  }));
  const tvd =
    actualTotal > 0 && ratioTotal > 0
      ? evennessRows.reduce((s, r) => s + Math.abs(r.actualShare! - r.standardShare), 0) / 2
      : null;

  const dwell = stageDwell({ ...input, period: input.period });
  let meanSum = 0;
  let standardSum = 0;
  for (const row of dwell) {
    if (row.meanDays === null || !row.standardDwellDays) continue;
    meanSum += row.meanDays;
    standardSum += row.standardDwellDays;
  }
  return {
    capacity: { weightedPipeline, remainingTarget: input.remainingTarget, coverage },
    slope,
    evenness: {
      rows: evennessRows,
      totalVariationDistance: tvd,
      value: tvd === null ? null : 1 - tvd,
    },
    velocity: { rows: dwell, ratioToStandard: standardSum > 0 ? meanSum / standardSum : null },
  };
}
