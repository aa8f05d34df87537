/**
 * The analytics reports, each once: its API path, summary, query and response schemas, and how
 * the service computes it. GET /analytics/<path>, GET /exports/analytics/<name> and
 * `funnel analytics <report>` are all built from this list, so the three take the same query.
 */
import type { z } from 'zod';
import {
  AnalyticsQuery,
  BacktestQuery,
  BacktestResponse,
  BottleneckQuery,
  BottlenecksResponse,
  CalibrationResponse,
  ChannelsResponse,
  CollectionsResponse,
  DashboardResponse,
  DwellResponse,
  ForecastResponse,
  FunnelQuery,
  FunnelResponse,
  GroupedQuery,
  HealthQuery,
  HealthResponse,
  LossReasonsResponse,
  MissedEntryResponse,
  OutcomesResponse,
  StandardFunnelResponse,
  TeamResponse,
  TrendQuery,
  TrendResponse,
  VelocityResponse,
} from '@funnel/contracts';
import type { Actor } from '../access/actor';
import type { AnalyticsService, Context } from './analytics.service';

export interface ReportDefinition<Q extends z.ZodObject, R extends z.ZodType> {
  /** Below /api/v1/analytics/. */
  path: string;
  summary: string;
  query: Q;
  response: R;
  run: (analytics: AnalyticsService, ctx: Context, query: z.infer<Q>) => Promise<z.infer<R>>;
}

const report = <Q extends z.ZodObject, R extends z.ZodType>(definition: ReportDefinition<Q, R>) =>
  definition;

export const ANALYTICS_REPORTS = {
  funnel: report({
    path: 'funnel',
    summary:
      'Funnel conversion: cohort (default) or period flow, adjacent and cumulative, drop-off; optional as-of and grouping',
    query: FunnelQuery,
    response: FunnelResponse,
    run: (a, ctx, q) => a.funnelReport(ctx, q),
  }),
  outcomes: report({
    path: 'outcomes',
    summary: 'Win rate, average deal size, sales cycle (mean, median, Kaplan–Meier time to win)',
    query: GroupedQuery,
    response: OutcomesResponse,
    run: (a, ctx, q) => a.outcomesReport(ctx, q),
  }),
  dwell: report({
    path: 'dwell',
    summary: 'Days in each stage against the standard dwell (速率分析)',
    query: AnalyticsQuery,
    response: DwellResponse,
    run: (a, ctx, q) => a.dwellReport(ctx, q),
  }),
  'standard-funnel': report({
    path: 'standard-funnel',
    summary: 'Open opportunities per stage against the standard funnel (产量/平衡分析)',
    query: AnalyticsQuery,
    response: StandardFunnelResponse,
    run: (a, ctx, q) => a.standardFunnelReport(ctx, q),
  }),
  health: report({
    path: 'health',
    summary:
      'Funnel health: capacity (coverage of the remaining target), slope, evenness, velocity',
    query: HealthQuery,
    response: HealthResponse,
    run: (a, ctx, q) => a.healthReport(ctx, q),
  }),
  forecast: report({
    path: 'forecast',
    summary: 'Weighted forecast: realised + open x probability, by month, rep, team and category',
    query: AnalyticsQuery,
    response: ForecastResponse,
    run: (a, ctx, q) => a.forecastReport(ctx, q),
  }),
  'forecast-backtest': report({
    path: 'forecast/backtest',
    summary: 'What the weighted forecast said at the start of a month against what was won',
    query: BacktestQuery,
    response: BacktestResponse,
    run: (a, ctx, q) => a.backtestReport(ctx, q),
  }),
  collections: report({
    path: 'collections',
    summary:
      'Collection forecast (销售收入预测表): expected, received, outstanding and overdue collections',
    query: AnalyticsQuery,
    response: CollectionsResponse,
    run: (a, ctx, q) => a.collectionsReport(ctx, q),
  }),
  calibration: report({
    path: 'calibration',
    summary:
      'Per stage: share of deals ever in it that were won, against its configured probability',
    query: AnalyticsQuery,
    response: CalibrationResponse,
    run: (a, ctx, q) => a.calibrationReport(ctx, q),
  }),
  velocity: report({
    path: 'velocity',
    summary: 'Sales velocity = open deals x average won amount x win rate / average cycle days',
    query: AnalyticsQuery,
    response: VelocityResponse,
    run: (a, ctx, q) => a.velocityReport(ctx, q),
  }),
  'loss-reasons': report({
    path: 'loss-reasons',
    summary: 'Top 3 loss reasons overall and per stage lost from',
    query: AnalyticsQuery,
    response: LossReasonsResponse,
    run: (a, ctx, q) => a.lossReasonsReport(ctx, q),
  }),
  team: report({
    path: 'team',
    summary:
      'Per rep: conversion, follow-ups per opportunity, A-priority conversion, follow-up compliance',
    query: AnalyticsQuery,
    response: TeamResponse,
    run: (a, ctx, q) => a.teamReport(ctx, q),
  }),
  channels: report({
    path: 'channels',
    summary: 'Per lead source (or another grouping): conversion and average won amount',
    query: GroupedQuery,
    response: ChannelsResponse,
    run: (a, ctx, q) => a.channelsReport(ctx, q),
  }),
  'missed-entry': report({
    path: 'missed-entry',
    summary: '漏网率: contacted prospects with required fields missing / contacted prospects',
    query: AnalyticsQuery,
    response: MissedEntryResponse,
    run: (a, ctx, q) => a.missedEntryReport(ctx, q),
  }),
  bottlenecks: report({
    path: 'bottlenecks',
    summary:
      'Stages converting significantly below a benchmark (history or configured), with Wilson intervals',
    query: BottleneckQuery,
    response: BottlenecksResponse,
    run: (a, ctx, q) => a.bottlenecksReport(ctx, q),
  }),
  trend: report({
    path: 'trend',
    summary: 'Cohort conversion and won amount by month or quarter',
    query: TrendQuery,
    response: TrendResponse,
    run: (a, ctx, q) => a.trendReport(ctx, q),
  }),
  dashboard: report({
    path: 'dashboard',
    summary: 'The whole dashboard set for one filter',
    query: AnalyticsQuery,
    response: DashboardResponse,
    run: (a, ctx, q) => a.dashboardReport(ctx, q),
  }),
};

export type ReportName = keyof typeof ANALYTICS_REPORTS;
export const REPORT_NAMES = Object.keys(ANALYTICS_REPORTS) as ReportName[];
export type ReportQuery<K extends ReportName> = z.infer<(typeof ANALYTICS_REPORTS)[K]['query']>;
export type ReportResponse<K extends ReportName> = z.infer<
  (typeof ANALYTICS_REPORTS)[K]['response']
>;

/** Computes one report for the actor, with the access rules and context of the analytics routes. */
export function runReport<K extends ReportName>(
  analytics: AnalyticsService,
  actor: Actor,
  name: K,
  query: ReportQuery<K>,
  locale: 'zh-CN' | 'en',
): Promise<ReportResponse<K>> {
  // Each entry is typed on its own; indexed by a generic key, TypeScript sees only the union.
  const definition = ANALYTICS_REPORTS[name] as unknown as ReportDefinition<
    z.ZodObject,
    z.ZodType<ReportResponse<K>>
  >;
  return analytics.withContext(actor, query, locale, (ctx) =>
    definition.run(analytics, ctx, query),
  );
}
