/**
 * Outcome metrics: win rate, average deal size, sales cycle and the Kaplan–Meier time to win
 * (docs/analytics.md#win-rate, #average-deal-size, #sales-cycle, #time-to-win).
 */
import { roundMinor } from '../money';
import { dateInPeriod, inPeriod } from './periods';
import { daysBetween, kaplanMeier, mean, median, rate } from './stats';
import type { KaplanMeierResult } from './stats';
import type { OpportunityFacts, Period, Rate } from './types';

/**
 * Won in the period: status won and wonDate (the signing date) in the period's calendar days.
 * See docs/analytics.md#average-deal-size.
 */
export function isWonInPeriod(o: OpportunityFacts, period: Period): boolean {
  return o.status === 'won' && o.wonDate !== null && dateInPeriod(o.wonDate, period);
}

export interface PeriodInput {
  opportunities: readonly OpportunityFacts[];
  period: Period;
}

export interface WinRateResult {
  won: number;
  lost: number;
  /** won / (won + lost) among opportunities closed in the period. */
  winRate: Rate;
  /** Created before the period's end and open now (not part of the rate). */
  open: number;
  /** Created before the period's end and postponed now (not part of the rate). */
  postponed: number;
}

/**
 * Win rate = won / (won + lost) among opportunities with closedAt in the period; open and
 * postponed ones created before the period's end are counted beside it. docs/analytics.md#win-rate
 */
export function winRate(input: PeriodInput): WinRateResult {
  let won = 0;
  let lost = 0;
  let open = 0;
  let postponed = 0;
  const end = input.period.to.getTime();
  for (const o of input.opportunities) {
    if (o.closedAt && inPeriod(o.closedAt, input.period)) {
      if (o.status === 'won') won++;
      else if (o.status === 'lost') lost++;
    } else if (o.createdAt.getTime() < end) {
      if (o.status === 'open') open++;
      else if (o.status === 'postponed') postponed++;
    }
  }
  return { won, lost, winRate: rate(won, won + lost), open, postponed };
}

export interface DealSizeResult {
  count: number;
  /** Sum of wonAmount (分). */
  total: number;
  /** Exact mean (分, may be fractional); null when nothing was won. */
  mean: number | null;
  /** The mean rounded half away from zero to whole 分. */
  average: number | null;
}

/** Average deal size = mean wonAmount of opportunities won in the period. docs/analytics.md#average-deal-size */
export function averageDealSize(input: PeriodInput): DealSizeResult {
  let count = 0;
  let total = 0;
  for (const o of input.opportunities) {
    if (!isWonInPeriod(o, input.period)) continue;
    count++;
    total += o.wonAmount ?? 0;
  }
  const exact = count === 0 ? null : total / count;
  return { count, total, mean: exact, average: exact === null ? null : roundMinor(exact) };
}

export interface SalesCycleResult {
  count: number;
  meanDays: number | null;
  medianDays: number | null;
}

/**
 * Sales cycle = days from createdAt to closedAt (the won event) over opportunities won in the
 * period; mean and median. docs/analytics.md#sales-cycle
 */
export function salesCycle(input: PeriodInput): SalesCycleResult {
  const days: number[] = [];
  for (const o of input.opportunities) {
    if (!isWonInPeriod(o, input.period) || !o.closedAt) continue;
    days.push(daysBetween(o.createdAt, o.closedAt));
  }
  return { count: days.length, meanDays: mean(days), medianDays: median(days) };
}

export interface TimeToWinInput {
  /** Cohort: opportunities created in `period` (and by `now`). */
  opportunities: readonly OpportunityFacts[];
  period: Period;
  now: Date;
}

export interface TimeToWinResult extends KaplanMeierResult {
  /** Median days to win from the curve (null when it never drops to 0.5). */
  medianDays: number | null;
}

/**
 * Kaplan–Meier time to win over a cohort: event = won at closedAt; lost deals are censored at
 * closedAt, open and postponed ones at `now`. docs/analytics.md#time-to-win
 */
export function timeToWin(input: TimeToWinInput): TimeToWinResult {
  const now = input.now.getTime();
  const observations: { time: number; event: boolean }[] = [];
  for (const o of input.opportunities) {
    if (!inPeriod(o.createdAt, input.period) || o.createdAt.getTime() > now) continue;
    const closed = o.closedAt && o.closedAt.getTime() <= now ? o.closedAt : null;
    if (o.status === 'won' && closed) {
      observations.push({ time: daysBetween(o.createdAt, closed), event: true });
    } else {
      observations.push({ time: daysBetween(o.createdAt, closed ?? input.now), event: false });
    }
  }
  const km = kaplanMeier(observations);
  return { ...km, medianDays: km.median };
}
