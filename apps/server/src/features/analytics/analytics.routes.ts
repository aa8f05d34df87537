import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateTargetBody,
  Id,
  OkResponse,
  Target,
  TargetDecompositionBody,
  TargetDecompositionResponse,
  TargetListQuery,
  UpdateTargetBody,
} from '@funnel/contracts';
import { requestLocale } from '../../http/error-handler';
import { actorOf } from '../../http/request-context';
import type { AnalyticsService } from './analytics.service';
import { ANALYTICS_REPORTS, REPORT_NAMES, runReport } from './reports';
import type { TargetService } from './targets.service';

const tags = ['analytics'];

export const analyticsRoutes: FastifyPluginAsyncZod<{
  analytics: AnalyticsService;
  targets: TargetService;
}> = async (app, { analytics, targets }) => {
  // GET /analytics/<path> for every report: parse the query, resolve the context once, run it.
  for (const name of REPORT_NAMES) {
    const definition = ANALYTICS_REPORTS[name];
    const schema = {
      tags,
      summary: definition.summary,
      querystring: definition.query as z.ZodType,
      response: { 200: definition.response as z.ZodType },
    };
    app.get(`/analytics/${definition.path}`, { schema }, async (request) =>
      runReport(analytics, actorOf(request), name, request.query as never, requestLocale(request)),
    );
  }

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
