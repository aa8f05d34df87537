/**
 * Weighted forecast, forecast backtest, probability calibration and sales velocity
 * (docs/analytics.md#weighted-forecast, #forecast-backtest, #calibration, #sales-velocity).
 */
import type { ForecastCategory } from '../stages';
import { compareGroupKeys } from './grouping';
import {
  eventsByOpportunity,
  funnelOf,
  requireStage,
  stageIndex,
  stateFromEvents,
} from './history';
import { averageDealSize, isWonInPeriod, salesCycle, winRate } from './outcomes';
import { dateInPeriod, localMidnight, monthKeyOfDate, monthPeriod } from './periods';
import { rate, wilsonInterval } from './stats';
import type { Interval } from './stats';
import type { AnalyticsStage, OpportunityFacts, Period, Rate, StageChangeEvent } from './types';

/**
 * amount × probability% rounded half away from zero to whole 分, computed exactly (probability
 * is read with 2 decimals, as stored).
 * See docs/analytics.md#money.
 */
export function weightedAmount(amountMinor: number, probabilityPercent: number): number {
  if (!Number.isSafeInteger(amountMinor)) throw new Error('weightedAmount: amount must be integer');
  const basisPoints = BigInt(Math.round(probabilityPercent * 100));
  const product = BigInt(amountMinor) * basisPoints;
  let q = product / 10_000n;
  const r = product % 10_000n;
  const absR = r < 0n ? -r : r;
  if (absR * 2n >= 10_000n) q += product < 0n ? -1n : 1n;
  return Number(q);
}

/**
 * The probability in force: the opportunity's override, else its stage's.
 * See docs/analytics.md#weighted-forecast.
 */
export function effectiveProbability(o: OpportunityFacts, stage: AnalyticsStage): number {
  return o.winProbability ?? stage.winProbability;
}

/**
 * The forecast category in force: the opportunity's override, else its stage's.
 * See docs/analytics.md#weighted-forecast.
 */
export function effectiveForecastCategory(
  o: OpportunityFacts,
  stage: AnalyticsStage,
): ForecastCategory {
  return o.forecastCategoryOverride ?? stage.forecastCategory;
}

export type ForecastBucket = 'closed_won' | ForecastCategory;

export interface ForecastItem {
  opportunityId: string;
  kind: 'realised' | 'weighted';
  ownerId: string;
  teamId: string | null;
  /** 'YYYY-MM' of wonDate (realised) or expectedCloseDate (weighted). */
  month: string;
  bucket: ForecastBucket;
  /** wonAmount (realised) or expectedAmount (weighted). */
  amount: number;
  /** 100 for realised. */
  probability: number;
  /** Contribution in whole 分. */
  value: number;
}

export interface ForecastLine {
  realisedCount: number;
  openCount: number;
  realised: number;
  weighted: number;
  /** realised + weighted. */
  total: number;
}

export interface ForecastGroup extends ForecastLine {
  key: string | null;
}

export interface WeightedForecastInput {
  /** Stages of every pipeline the opportunities are in. */
  stages: readonly AnalyticsStage[];
  opportunities: readonly OpportunityFacts[];
  period: Period;
}

export interface WeightedForecastResult {
  period: Period;
  total: ForecastLine;
  byMonth: ForecastGroup[];
  byOwner: ForecastGroup[];
  byTeam: ForecastGroup[];
  byBucket: ForecastGroup[];
  items: ForecastItem[];
  /** Open deals left out of the total: no expected close date, or one before the period. */
  excluded: {
    undated: { count: number; weighted: number };
    overdue: { count: number; weighted: number };
  };
}

function emptyLine(): ForecastLine {
  return { realisedCount: 0, openCount: 0, realised: 0, weighted: 0, total: 0 };
}

function addItem(line: ForecastLine, item: ForecastItem): void {
  if (item.kind === 'realised') {
    line.realisedCount++;
    line.realised += item.value;
  } else {
    line.openCount++;
    line.weighted += item.value;
  }
  line.total += item.value;
}

function groupItems(
  items: readonly ForecastItem[],
  key: (item: ForecastItem) => string | null,
): ForecastGroup[] {
  const map = new Map<string | null, ForecastLine>();
  for (const item of items) {
    const k = key(item);
    let line = map.get(k);
    if (!line) {
      line = emptyLine();
      map.set(k, line);
    }
    addItem(line, item);
  }
  return [...map.entries()]
    .sort(([a], [b]) => compareGroupKeys(a, b))
    .map(([k, line]) => ({ key: k, ...line }));
}

/**
 * Weighted forecast = realised (won in the period, by wonDate, 100%) + Σ over open deals with
 * expectedCloseDate in the period of round(expectedAmount × probability%); grouped by month,
 * owner, team and category, each total equal to the sum of its groups. docs/analytics.md#weighted-forecast
 */
export function weightedForecast(input: WeightedForecastInput): WeightedForecastResult {
  const stages = stageIndex(input.stages);
  const items: ForecastItem[] = [];
  const undated = { count: 0, weighted: 0 };
  const overdue = { count: 0, weighted: 0 };
  for (const o of input.opportunities) {
    if (isWonInPeriod(o, input.period)) {
      const amount = o.wonAmount ?? 0;
      items.push({
        opportunityId: o.id,
        kind: 'realised',
        ownerId: o.ownerId,
        teamId: o.teamId,
        month: monthKeyOfDate(o.wonDate!),
        bucket: 'closed_won',
        amount,
        probability: 100,
        value: amount,
      });
      continue;
    }
    if (o.status !== 'open') continue;
    const stage = requireStage(stages, o.stageId);
    const probability = effectiveProbability(o, stage);
    const value = weightedAmount(o.expectedAmount, probability);
    if (o.expectedCloseDate === null) {
      undated.count++;
      undated.weighted += value;
      continue;
    }
    if (!dateInPeriod(o.expectedCloseDate, input.period)) {
      if (localMidnight(o.expectedCloseDate, input.period.timeZone) < input.period.from) {
        overdue.count++;
        overdue.weighted += value;
      }
      continue;
    }
    items.push({
      opportunityId: o.id,
      kind: 'weighted',
      ownerId: o.ownerId,
      teamId: o.teamId,
      month: monthKeyOfDate(o.expectedCloseDate),
      bucket: effectiveForecastCategory(o, stage),
      amount: o.expectedAmount,
      probability,
      value,
    });
  }
  const total = emptyLine();
  for (const item of items) addItem(total, item);
  return {
    period: input.period,
    total,
    byMonth: groupItems(items, (i) => i.month),
    byOwner: groupItems(items, (i) => i.ownerId),
    byTeam: groupItems(items, (i) => i.teamId),
    byBucket: groupItems(items, (i) => i.bucket),
    items,
    excluded: { undated, overdue },
  };
}

export interface ForecastBacktestInput {
  /** Stages of every pipeline the opportunities are in. */
  stages: readonly AnalyticsStage[];
  opportunities: readonly OpportunityFacts[];
  events: readonly StageChangeEvent[];
  /** 'YYYY-MM' */
  month: string;
  timeZone: string;
}

export interface ForecastBacktestResult {
  month: string;
  /** Start of the month in the zone: the instant the forecast is rebuilt at. */
  at: Date;
  /** Weighted forecast for the month as of `at` (whole 分). */
  forecast: number;
  forecastCount: number;
  /** wonAmount of opportunities won in the month (by wonDate). */
  actual: number;
  actualCount: number;
  /** Part of `actual` from deals that were in the forecast. */
  actualFromForecast: number;
  /** actual − forecast. */
  error: number;
  /** actual / forecast. */
  ratio: Rate;
  items: { opportunityId: string; stageId: string; probability: number; value: number }[];
}

/**
 * Forecast backtest for month M: the weighted forecast rebuilt as of the start of M (stage and
 * status from events; expected close date, amount and override as they are now) vs the amount
 * won in M. docs/analytics.md#forecast-backtest
 */
export function forecastBacktest(input: ForecastBacktestInput): ForecastBacktestResult {
  const period = monthPeriod(input.month, input.timeZone);
  const stages = stageIndex(input.stages);
  const byOpp = eventsByOpportunity(input.events, period.from);
  const items: ForecastBacktestResult['items'] = [];
  const inForecast = new Set<string>();
  let forecast = 0;
  let actual = 0;
  let actualCount = 0;
  let actualFromForecast = 0;
  for (const o of input.opportunities) {
    const state = stateFromEvents(byOpp.get(o.id) ?? [], period.from);
    if (
      state &&
      state.status === 'open' &&
      o.expectedCloseDate !== null &&
      dateInPeriod(o.expectedCloseDate, period)
    ) {
      const stage = requireStage(stages, state.stageId);
      const probability = effectiveProbability(o, stage);
      const value = weightedAmount(o.expectedAmount, probability);
      items.push({ opportunityId: o.id, stageId: stage.id, probability, value });
      inForecast.add(o.id);
      forecast += value;
    }
    if (isWonInPeriod(o, period)) {
      actualCount++;
      actual += o.wonAmount ?? 0;
      if (inForecast.has(o.id)) actualFromForecast += o.wonAmount ?? 0;
    }
  }
  return {
    month: input.month,
    at: period.from,
    forecast,
    forecastCount: items.length,
    actual,
    actualCount,
    actualFromForecast,
    error: actual - forecast,
    ratio: rate(actual, forecast),
    items,
  };
}

export interface CalibrationInput {
  /** One pipeline's stages. */
  stages: readonly AnalyticsStage[];
  opportunities: readonly OpportunityFacts[];
  events: readonly StageChangeEvent[];
}

export interface CalibrationRow {
  stageId: string;
  name: string;
  /** The stage's configured probability as a fraction (winProbability / 100). */
  configured: number;
  /** Opportunities with an event into this stage. */
  everIn: number;
  /** Of those, the ones now won or lost. */
  closed: number;
  won: number;
  /** won / closed. */
  observed: Rate;
  /** 95% Wilson interval of observed. */
  interval: Interval | null;
  /** configured within the interval; null without closed deals. */
  withinInterval: boolean | null;
}

/**
 * Calibration per open stage: of the opportunities ever in the stage and now closed, the share
 * won, vs the configured probability, with a 95% Wilson interval. docs/analytics.md#calibration
 */
export function calibration(input: CalibrationInput): CalibrationRow[] {
  const funnel = funnelOf(input.stages);
  const byOpp = eventsByOpportunity(input.events);
  const counts = new Map(funnel.open.map((s) => [s.id, { everIn: 0, closed: 0, won: 0 }]));
  for (const o of input.opportunities) {
    const seen = new Set<string>();
    for (const e of byOpp.get(o.id) ?? []) seen.add(e.toStageId);
    for (const id of seen) {
      const c = counts.get(id);
      if (!c) continue;
      c.everIn++;
      if (o.status === 'won' || o.status === 'lost') c.closed++;
      if (o.status === 'won') c.won++;
    }
  }
  return funnel.open.map((s) => {
    const c = counts.get(s.id)!;
    const interval = wilsonInterval(c.won, c.closed);
    const configured = s.winProbability / 100;
    return {
      stageId: s.id,
      name: s.name,
      configured,
      everIn: c.everIn,
      closed: c.closed,
      won: c.won,
      observed: rate(c.won, c.closed),
      interval,
      withinInterval: interval
        ? configured >= interval.lower && configured <= interval.upper
        : null,
    };
  });
}

export interface SalesVelocityResult {
  /** Opportunities with status open now (postponed excluded). */
  openDeals: number;
  /** Exact mean wonAmount of deals won in the period (分). */
  averageWonAmount: number | null;
  winRate: Rate;
  averageCycleDays: number | null;
  /** openDeals × averageWonAmount × winRate / averageCycleDays, in 分 per day (not rounded). */
  perDay: number | null;
  /** perDay × 30. */
  per30Days: number | null;
}

/**
 * Sales velocity = open deals × average won amount × win rate / average cycle days (per day and
 * per 30 days), with its inputs. docs/analytics.md#sales-velocity
 */
export function salesVelocity(input: {
  opportunities: readonly OpportunityFacts[];
  period: Period;
}): SalesVelocityResult {
  const openDeals = input.opportunities.filter((o) => o.status === 'open').length;
  const size = averageDealSize(input);
  const wr = winRate(input).winRate;
  const cycle = salesCycle(input).meanDays;
  const perDay =
    size.mean === null || wr.value === null || cycle === null || cycle <= 0
      ? null
      : (openDeals * size.mean * wr.value) / cycle;
  return {
    openDeals,
    averageWonAmount: size.mean,
    winRate: wr,
    averageCycleDays: cycle,
    perDay,
    per30Days: perDay === null ? null : perDay * 30,
  };
}
