import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  FollowUp,
  FollowUpListQuery,
  FollowUpQueue,
  FollowUpQueueQuery,
  Id,
  LogFollowUpBody,
  PlanFollowUpBody,
  UpdateFollowUpBody,
  pageOf,
} from '@funnel/contracts';
import { actorOf } from '../../http/request-context';
import type { FollowUpService } from './follow-ups.service';

const IdParams = z.object({ id: Id });

export const followUpRoutes: FastifyPluginAsyncZod<{ followUps: FollowUpService }> = async (
  app,
  { followUps },
) => {
  app.get(
    '/follow-ups/queue',
    {
      schema: {
        tags: ['follow-ups'],
        summary: 'Overdue, due today and upcoming planned follow-ups (mine, my team, all)',
        querystring: FollowUpQueueQuery,
        response: { 200: FollowUpQueue },
      },
    },
    async (request) => followUps.queue(actorOf(request), request.query),
  );
  app.get(
    '/follow-ups',
    {
      schema: {
        tags: ['follow-ups'],
        summary: 'List follow-ups by scope, status or due bucket',
        querystring: FollowUpListQuery,
        response: { 200: pageOf(FollowUp) },
      },
    },
    async (request) => followUps.list(actorOf(request), request.query),
  );
  app.get(
    '/opportunities/:id/follow-ups',
    {
      schema: {
        tags: ['follow-ups'],
        summary: 'Follow-up timeline of an opportunity',
        params: IdParams,
        response: { 200: z.array(FollowUp) },
      },
    },
    async (request) => followUps.forOpportunity(actorOf(request), request.params.id),
  );
  app.post(
    '/opportunities/:id/follow-ups',
    {
      schema: {
        tags: ['follow-ups'],
        summary: 'Log a follow-up and plan the next (by cadence unless given)',
        params: IdParams,
        body: LogFollowUpBody,
        response: { 201: z.object({ logged: FollowUp, next: FollowUp.nullable() }) },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return followUps.log(actorOf(request), request.params.id, request.body);
    },
  );
  app.post(
    '/opportunities/:id/follow-ups/plan',
    {
      schema: {
        tags: ['follow-ups'],
        summary: 'Plan a follow-up',
        params: IdParams,
        body: PlanFollowUpBody,
        response: { 201: FollowUp },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return followUps.plan(actorOf(request), request.params.id, request.body);
    },
  );
  app.get(
    '/follow-ups/:id',
    {
      schema: {
        tags: ['follow-ups'],
        summary: 'One follow-up',
        params: IdParams,
        response: { 200: FollowUp },
      },
    },
    async (request) => followUps.get(actorOf(request), request.params.id),
  );
  app.patch(
    '/follow-ups/:id',
    {
      schema: {
        tags: ['follow-ups'],
        summary: 'Reschedule, change or cancel a planned follow-up',
        params: IdParams,
        body: UpdateFollowUpBody,
        response: { 200: FollowUp },
      },
    },
    async (request) => followUps.update(actorOf(request), request.params.id, request.body),
  );
};
