import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AnalyticsQuery,
  BacktestQuery,
  BacktestResponse,
  BottleneckQuery,
  BottlenecksResponse,
  CalibrationResponse,
  ChannelsResponse,
  CollectionsResponse,
  CreateTargetBody,
  DashboardResponse,
  DwellResponse,
  ForecastResponse,
  FunnelQuery,
  FunnelResponse,
  GroupedQuery,
  HealthQuery,
  HealthResponse,
  Id,
  LossReasonsResponse,
  MissedEntryResponse,
  OkResponse,
  OutcomesResponse,
  StandardFunnelResponse,
  Target,
  TargetDecompositionBody,
  TargetDecompositionResponse,
  TargetListQuery,
  TeamResponse,
  TrendQuery,
  TrendResponse,
  UpdateTargetBody,
  VelocityResponse,
} from '@funnel/contracts';
import { requestLocale } from '../../http/error-handler';
import { actorOf } from '../../http/request-context';
import type { AnalyticsService, Context } from './analytics.service';
import type { TargetService } from './targets.service';

const tags = ['analytics'];

export const analyticsRoutes: FastifyPluginAsyncZod<{
  analytics: AnalyticsService;
  targets: TargetService;
}> = async (app, { analytics, targets }) => {
  /** Registers GET /analytics/<path>: parse the query, resolve the context once, run the report. */
  function report<Q extends z.ZodType, R extends z.ZodType>(
    path: string,
    summary: string,
    querystring: Q,
    response: R,
    run: (ctx: Context, query: z.infer<Q>) => Promise<z.infer<R>>,
  ) {
    // Typed through `run`; the route itself sees the schemas as plain zod types (they still validate and serialise).
    const schema = {
      tags,
      summary,
      querystring: querystring as z.ZodType,
      response: { 200: response as z.ZodType },
    };
    app.get(`/analytics/${path}`, { schema }, async (request) => {
      const query = request.query as z.infer<Q>;
      return analytics.withContext(
        actorOf(request),
        query as never,
        requestLocale(request),
        (ctx) => run(ctx, query),
      );
    });
  }

  report(
    'funnel',
    'Funnel conversion: cohort (default) or period flow, adjacent and cumulative, drop-off; optional as-of and grouping',
    FunnelQuery,
    FunnelResponse,
    (ctx, q) => analytics.funnelReport(ctx, q),
  );
  report(
    'outcomes',
    'Win rate, average deal size, sales cycle (mean, median, Kaplan–Meier time to win)',
    GroupedQuery,
    OutcomesResponse,
    (ctx, q) => analytics.outcomesReport(ctx, q),
  );
  report(
    'dwell',
    'Days in each stage against the standard dwell (速率分析)',
    AnalyticsQuery,
    DwellResponse,
    (ctx, q) => analytics.dwellReport(ctx, q),
  );
  report(
    'standard-funnel',
    'Open opportunities per stage against the standard funnel (产量/平衡分析)',
    AnalyticsQuery,
    StandardFunnelResponse,
    (ctx, q) => analytics.standardFunnelReport(ctx, q),
  );
  report(
    'health',
    'Funnel health: capacity (coverage of the remaining target), slope, evenness, velocity',
    HealthQuery,
    HealthResponse,
    (ctx, q) => analytics.healthReport(ctx, q),
  );
  report(
    'forecast',
    'Weighted forecast: realised + open x probability, by month, rep, team and category',
    AnalyticsQuery,
    ForecastResponse,
    (ctx, q) => analytics.forecastReport(ctx, q),
  );
  report(
    'forecast/backtest',
    'What the weighted forecast said at the start of a month against what was won',
    BacktestQuery,
    BacktestResponse,
    (ctx, q) => analytics.backtestReport(ctx, q),
  );
  report(
    'collections',
    'Collection forecast (销售收入预测表): expected, received, outstanding and overdue collections',
    AnalyticsQuery,
    CollectionsResponse,
    (ctx, q) => analytics.collectionsReport(ctx, q),
  );
  report(
    'calibration',
    'Per stage: share of deals ever in it that were won, against its configured probability',
    AnalyticsQuery,
    CalibrationResponse,
    (ctx, q) => analytics.calibrationReport(ctx, q),
  );
  report(
    'velocity',
    'Sales velocity = open deals x average won amount x win rate / average cycle days',
    AnalyticsQuery,
    VelocityResponse,
    (ctx, q) => analytics.velocityReport(ctx, q),
  );
  report(
    'loss-reasons',
    'Top 3 loss reasons overall and per stage lost from',
    AnalyticsQuery,
    LossReasonsResponse,
    (ctx, q) => analytics.lossReasonsReport(ctx, q),
  );
  report(
    'team',
    'Per rep: conversion, follow-ups per opportunity, A-priority conversion, follow-up compliance',
    AnalyticsQuery,
    TeamResponse,
    (ctx, q) => analytics.teamReport(ctx, q),
  );
  report(
    'channels',
    'Per lead source (or another grouping): conversion and average won amount',
    GroupedQuery,
    ChannelsResponse,
    (ctx, q) => analytics.channelsReport(ctx, q),
  );
  report(
    'missed-entry',
    '漏网率: contacted prospects with required fields missing / contacted prospects',
    AnalyticsQuery,
    MissedEntryResponse,
    (ctx, q) => analytics.missedEntryReport(ctx, q),
  );
  report(
    'bottlenecks',
    'Stages converting significantly below a benchmark (history or configured), with Wilson intervals',
    BottleneckQuery,
    BottlenecksResponse,
    (ctx, q) => analytics.bottlenecksReport(ctx, q),
  );
  report(
    'trend',
    'Cohort conversion and won amount by month or quarter',
    TrendQuery,
    TrendResponse,
    (ctx, q) => analytics.trendReport(ctx, q),
  );
  report(
    'dashboard',
    'The whole dashboard set for one filter',
    AnalyticsQuery,
    DashboardResponse,
    (ctx, q) => analytics.dashboardReport(ctx, q),
  );

  app.post(
    '/analytics/target-decomposition',
    {
      schema: {
        tags,
        summary:
          'Reverse funnel: from a revenue target to deals, wins per week, new opportunities and reps',
        body: TargetDecompositionBody,
        response: { 200: TargetDecompositionResponse },
      },
    },
    async (request) => analytics.decompose(actorOf(request), request.body),
  );

  app.get(
    '/targets',
    {
      schema: {
        tags,
        summary: 'Sales targets you may see',
        querystring: TargetListQuery,
        response: { 200: z.array(Target) },
      },
    },
    async (request) => targets.list(actorOf(request), request.query),
  );
  app.get(
    '/targets/:id',
    {
      schema: {
        tags,
        summary: 'One target',
        params: z.object({ id: Id }),
        response: { 200: Target },
      },
    },
    async (request) => targets.get(actorOf(request), request.params.id),
  );
  app.post(
    '/targets',
    {
      schema: {
        tags,
        summary: 'Set a target for the workspace, a team or a rep and a period',
        body: CreateTargetBody,
        response: { 201: Target },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return targets.create(actorOf(request), request.body);
    },
  );
  app.patch(
    '/targets/:id',
    {
      schema: {
        tags,
        summary: 'Change a target',
        params: z.object({ id: Id }),
        body: UpdateTargetBody,
        response: { 200: Target },
      },
    },
    async (request) => targets.update(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/targets/:id',
    {
      schema: {
        tags,
        summary: 'Remove a target',
        params: z.object({ id: Id }),
        response: { 200: OkResponse },
      },
    },
    async (request) => {
      await targets.remove(actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
};
