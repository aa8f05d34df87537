/**
 * Small statistics used by the metrics: rates, mean/median, Wilson intervals, the exact binomial
 * tail and the Kaplan–Meier estimator. See docs/analytics.md, "Conventions".
 */
import type { Rate } from './types';

/** Two-sided 95% normal quantile (z for a 95% Wilson interval). */
export const Z_95 = 1.959963984540054;
export const DAY_MS = 86_400_000;

/** numerator / denominator, value null when the denominator is 0 (docs/analytics.md#rates). */
export function rate(numerator: number, denominator: number): Rate {
  return { numerator, denominator, value: denominator === 0 ? null : numerator / denominator };
}

/** Arithmetic mean; null for no values. */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/**
 * Median; the mean of the two middle values for an even count; null for no values.
 * See docs/analytics.md#days-means-and-medians.
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Days between two instants, fractional (milliseconds / 86,400,000).
 * See docs/analytics.md#days-means-and-medians.
 */
export function daysBetween(start: Date, end: Date): number {
  return (end.getTime() - start.getTime()) / DAY_MS;
}

export interface Interval {
  lower: number;
  upper: number;
}

/**
 * Wilson score interval of a binomial proportion (default 95%); null when n is 0.
 * centre = (p + z²/2n) / (1 + z²/n), half-width = z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n).
 * See docs/analytics.md#days-means-and-medians.
 */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // At 0 and n successes the bounds are exactly 0 and 1; avoid float noise there.
  return {
    lower: successes <= 0 ? 0 : Math.max(0, centre - half),
    upper: successes >= n ? 1 : Math.min(1, centre + half),
  };
}

/** log P(X = k) for k = 0..n of Binomial(n, p), 0 < p < 1, by the pmf recurrence. */
function binomialLogPmf(n: number, p: number): Float64Array {
  const out = new Float64Array(n + 1);
  const logOdds = Math.log(p) - Math.log1p(-p);
  out[0] = n * Math.log1p(-p);
  for (let k = 0; k < n; k++) out[k + 1] = out[k]! + Math.log((n - k) / (k + 1)) + logOdds;
  return out;
}

/**
 * Exact P(X <= x) for X ~ Binomial(n, p).
 * See docs/analytics.md#bottlenecks.
 */
export function binomialCdf(x: number, n: number, p: number): number {
  if (x < 0) return 0;
  if (x >= n) return 1;
  if (p <= 0) return 1;
  if (p >= 1) return 0;
  const logPmf = binomialLogPmf(n, p);
  let sum = 0;
  for (let k = 0; k <= x; k++) sum += Math.exp(logPmf[k]!);
  return Math.min(1, sum);
}

/**
 * Exact P(X >= x) for X ~ Binomial(n, p).
 * See docs/analytics.md#bottlenecks.
 */
export function binomialSurvival(x: number, n: number, p: number): number {
  if (x <= 0) return 1;
  if (x > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const logPmf = binomialLogPmf(n, p);
  let sum = 0;
  for (let k = x; k <= n; k++) sum += Math.exp(logPmf[k]!);
  return Math.min(1, sum);
}

export interface SurvivalObservation {
  /** Time since the origin (days). */
  time: number;
  /** true = the event happened at `time`; false = censored at `time`. */
  event: boolean;
}

export interface KaplanMeierPoint {
  time: number;
  atRisk: number;
  events: number;
  censored: number;
  /** S(t) just after `time`. */
  survival: number;
}

export interface KaplanMeierResult {
  n: number;
  events: number;
  censored: number;
  points: KaplanMeierPoint[];
  /** Smallest time with S(t) <= 0.5; null when the curve never gets there. */
  median: number | null;
}

/**
 * Kaplan–Meier product-limit estimator: S(t) = Π over event times t_i <= t of (1 − d_i / n_i).
 * Events at a time are counted before censorings at the same time (the usual convention).
 * See docs/analytics.md#days-means-and-medians.
 */
export function kaplanMeier(observations: readonly SurvivalObservation[]): KaplanMeierResult {
  return kaplanMeierGrouped(
    observations.map((o) => ({ time: o.time, events: o.event ? 1 : 0, censored: o.event ? 0 : 1 })),
  );
}

/** Observations counted per time (as a database GROUP BY returns them). */
export interface SurvivalCount {
  time: number;
  events: number;
  censored: number;
}

/** Kaplan–Meier from counts per time; the same estimator as `kaplanMeier`. */
export function kaplanMeierGrouped(counts: readonly SurvivalCount[]): KaplanMeierResult {
  const sorted = [...counts].sort((a, b) => a.time - b.time);
  const n = sorted.reduce((sum, c) => sum + c.events + c.censored, 0);
  const points: KaplanMeierPoint[] = [];
  let atRisk = n;
  let survival = 1;
  let median: number | null = null;
  let totalEvents = 0;
  let i = 0;
  while (i < sorted.length) {
    const time = sorted[i]!.time;
    let events = 0;
    let censored = 0;
    while (i < sorted.length && sorted[i]!.time === time) {
      events += sorted[i]!.events;
      censored += sorted[i]!.censored;
      i++;
    }
    if (events > 0) survival *= 1 - events / atRisk;
    points.push({ time, atRisk, events, censored, survival });
    if (median === null && events > 0 && survival <= 0.5) median = time;
    totalEvents += events;
    atRisk -= events + censored;
  }
  return {
    n,
    events: totalEvents,
    censored: n - totalEvents,
    points,
    median,
  };
}

/**
 * Ceil for counts computed in floating point: ignores float noise below 1e-9 so that 50.000000001
 * (from 10 / 0.2) is 50, not 51.
 * See docs/analytics.md#days-means-and-medians.
 */
export function ceilCount(value: number): number {
  return Math.ceil(value - 1e-9) + 0;
}
