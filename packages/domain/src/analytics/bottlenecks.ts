/**
 * Bottlenecks (docs/analytics.md#bottlenecks): a conversion is flagged only when it is
 * significantly below its benchmark (one-sided exact binomial test at 95% confidence).
 */
import type { CohortConversionResult } from './conversion';
import { binomialCdf, binomialSurvival, rate, wilsonInterval } from './stats';
import type { Interval } from './stats';
import type { Rate } from './types';

export type BottleneckVerdict = 'below' | 'not_significant' | 'above' | 'insufficient_data';

export interface AssessmentOptions {
  /** Significance level of each one-sided test. Default 0.05 (95% confidence). */
  alpha?: number;
  /** Fewer trials than this is insufficient data. Default 10. */
  minTrials?: number;
  /** n·p0 or n·(1 − p0) below this is insufficient data. Default 5. */
  minExpected?: number;
}

export interface ConversionAssessment {
  observed: Rate;
  /** Benchmark conversion p0 (fraction). */
  benchmark: number;
  /** 95% Wilson interval of the observed conversion. */
  interval: Interval | null;
  /** P(X <= x) under Binomial(n, p0); null when insufficient data. */
  pBelow: number | null;
  /** P(X >= x) under Binomial(n, p0); null when insufficient data. */
  pAbove: number | null;
  verdict: BottleneckVerdict;
}

/**
 * Compares x successes of n with benchmark p0: insufficient_data when n < 10, n·p0 < 5 or
 * n·(1 − p0) < 5; else 'below' when P(X <= x) < α, 'above' when P(X >= x) < α, otherwise
 * 'not_significant' (exact one-sided binomial tests). docs/analytics.md#bottlenecks
 */
export function assessConversion(
  successes: number,
  trials: number,
  benchmark: number,
  options: AssessmentOptions = {},
): ConversionAssessment {
  const alpha = options.alpha ?? 0.05;
  const minTrials = options.minTrials ?? 10;
  const minExpected = options.minExpected ?? 5;
  const observed = rate(successes, trials);
  const interval = wilsonInterval(successes, trials);
  if (
    trials < minTrials ||
    trials * benchmark < minExpected ||
    trials * (1 - benchmark) < minExpected
  ) {
    return {
      observed,
      benchmark,
      interval,
      pBelow: null,
      pAbove: null,
      verdict: 'insufficient_data',
    };
  }
  const pBelow = binomialCdf(successes, trials, benchmark);
  const pAbove = binomialSurvival(successes, trials, benchmark);
  const verdict: BottleneckVerdict =
    pBelow < alpha ? 'below' : pAbove < alpha ? 'above' : 'not_significant';
  return { observed, benchmark, interval, pBelow, pAbove, verdict };
}

export interface Benchmark {
  fromStageId: string;
  /** Any later funnel stage (e.g. 意向 -> 成交), not only the next one. */
  toStageId: string;
  /** Benchmark conversion (fraction). */
  rate: number;
  source: 'history' | 'configured';
}

export interface BottleneckRow extends ConversionAssessment {
  fromStageId: string;
  toStageId: string;
  fromName: string;
  toName: string;
  source: Benchmark['source'];
}

/**
 * Bottlenecks: for each benchmark, conversion reached(to) / reached(from) of the cohort assessed
 * with assessConversion. docs/analytics.md#bottlenecks
 */
export function bottlenecks(input: {
  conversion: CohortConversionResult;
  benchmarks: readonly Benchmark[];
  options?: AssessmentOptions;
}): BottleneckRow[] {
  const rows = new Map(input.conversion.stages.map((s) => [s.stageId, s]));
  return input.benchmarks.map((b) => {
    const from = rows.get(b.fromStageId);
    const to = rows.get(b.toStageId);
    if (!from || !to || to.index <= from.index)
      throw new Error(`bottlenecks: ${b.fromStageId} -> ${b.toStageId} is not a forward pair`);
    return {
      fromStageId: from.stageId,
      toStageId: to.stageId,
      fromName: from.name,
      toName: to.name,
      source: b.source,
      ...assessConversion(to.reached, from.reached, b.rate, input.options),
    };
  });
}

/**
 * Adjacent-step benchmarks from an earlier cohort's conversion (steps with a value).
 * See docs/analytics.md#bottlenecks.
 */
export function historicalBenchmarks(previous: CohortConversionResult): Benchmark[] {
  return previous.steps
    .filter((s) => s.rate.value !== null)
    .map((s) => ({
      fromStageId: s.fromStageId,
      toStageId: s.toStageId,
      rate: s.rate.value!,
      source: 'history' as const,
    }));
}
