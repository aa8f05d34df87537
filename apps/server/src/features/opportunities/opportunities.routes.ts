import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AuditEntry,
  CloseLostBody,
  CloseWonBody,
  Collection,
  CreateCollectionBody,
  CreateOpportunityBody,
  Id,
  MoveResult,
  MoveStageBody,
  Opportunity,
  OpportunityListQuery,
  OpportunitySummary,
  PageQuery,
  PostponeBody,
  PriorityChange,
  PriorityOverrideBody,
  ReassignBody,
  ReopenBody,
  StageChange,
  StageSummary,
  UpdateCollectionBody,
  UpdateOpportunityBody,
  pageOf,
} from '@funnel/contracts';
import { actorOf } from '../../http/request-context';
import type { AuditService } from '../audit/audit.service';
import type { CollectionService } from './collections.service';
import type { OpportunityService } from './opportunities.service';

const IdParams = z.object({ id: Id });

export interface OpportunityRoutesOptions {
  opportunities: OpportunityService;
  collections: CollectionService;
  audit: AuditService;
}

export const opportunityRoutes: FastifyPluginAsyncZod<OpportunityRoutesOptions> = async (
  app,
  { opportunities, collections, audit },
) => {
  app.get(
    '/opportunities',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'List opportunities you may see (filter, sort, page)',
        querystring: OpportunityListQuery,
        response: { 200: pageOf(OpportunitySummary) },
      },
    },
    async (request) => {
      const { page, pageSize, sort, createdFrom, createdTo, ...filter } = request.query;
      return opportunities.list(
        actorOf(request),
        {
          ...filter,
          createdFrom: createdFrom ? new Date(createdFrom) : undefined,
          createdTo: createdTo ? new Date(createdTo) : undefined,
        },
        sort,
        page,
        pageSize,
      );
    },
  );
  app.get(
    '/opportunities/summary',
    {
      schema: {
        tags: ['opportunities'],
        summary:
          'Per-stage count, amount and weighted amount for the list filters (board column headers)',
        querystring: OpportunityListQuery.omit({ page: true, pageSize: true, sort: true }),
        response: { 200: z.array(StageSummary) },
      },
    },
    async (request) => {
      const { createdFrom, createdTo, ...filter } = request.query;
      return opportunities.summary(actorOf(request), {
        ...filter,
        createdFrom: createdFrom ? new Date(createdFrom) : undefined,
        createdTo: createdTo ? new Date(createdTo) : undefined,
      });
    },
  );
  app.get(
    '/opportunities/:id',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'One opportunity with contacts and competitors',
        params: IdParams,
        response: { 200: Opportunity },
      },
    },
    async (request) => opportunities.get(actorOf(request), request.params.id),
  );
  app.post(
    '/opportunities',
    {
      schema: {
        tags: ['opportunities'],
        summary:
          'Create an opportunity (code generated, priority computed, first follow-up planned)',
        body: CreateOpportunityBody,
        response: { 201: MoveResult },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return opportunities.create(actorOf(request), request.body);
    },
  );
  app.patch(
    '/opportunities/:id',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Update fields (send the version you read)',
        params: IdParams,
        body: UpdateOpportunityBody,
        response: { 200: Opportunity },
      },
    },
    async (request) => opportunities.update(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/opportunities/:id/move',
    {
      schema: {
        tags: ['opportunities'],
        summary:
          'Move to another open stage (reason required to skip or go back; stage gate checked)',
        params: IdParams,
        body: MoveStageBody,
        response: { 200: MoveResult },
      },
    },
    async (request) => opportunities.move(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/opportunities/:id/close-won',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Close as won (contract amount, signing date, collections)',
        params: IdParams,
        body: CloseWonBody,
        response: { 200: Opportunity },
      },
    },
    async (request) => opportunities.closeWon(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/opportunities/:id/close-lost',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Close as lost (reason, competitor, note)',
        params: IdParams,
        body: CloseLostBody,
        response: { 200: Opportunity },
      },
    },
    async (request) => opportunities.closeLost(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/opportunities/:id/postpone',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Park as postponed (reason and remedial measure; not counted as lost)',
        params: IdParams,
        body: PostponeBody,
        response: { 200: Opportunity },
      },
    },
    async (request) => opportunities.postpone(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/opportunities/:id/reopen',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Reopen a won, lost or postponed opportunity',
        params: IdParams,
        body: ReopenBody,
        response: { 200: Opportunity },
      },
    },
    async (request) => opportunities.reopen(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/opportunities/:id/reassign',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Give the opportunity to another owner (managers and above; logged)',
        params: IdParams,
        body: ReassignBody,
        response: { 200: Opportunity },
      },
    },
    async (request) => opportunities.reassign(actorOf(request), request.params.id, request.body),
  );
  app.post(
    '/opportunities/:id/priority',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Override the computed priority (null clears it)',
        params: IdParams,
        body: PriorityOverrideBody,
        response: { 200: Opportunity },
      },
    },
    async (request) =>
      opportunities.overridePriority(actorOf(request), request.params.id, request.body),
  );
  app.get(
    '/opportunities/:id/stage-changes',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Stage history (from, to, when, who, why)',
        params: IdParams,
        response: { 200: z.array(StageChange) },
      },
    },
    async (request) => opportunities.stageHistory(actorOf(request), request.params.id),
  );
  app.get(
    '/opportunities/:id/priority-changes',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Priority history',
        params: IdParams,
        response: { 200: z.array(PriorityChange) },
      },
    },
    async (request) => opportunities.priorityHistory(actorOf(request), request.params.id),
  );
  app.get(
    '/opportunities/:id/audit',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Audit trail of one opportunity',
        params: IdParams,
        querystring: PageQuery,
        response: { 200: pageOf(AuditEntry) },
      },
    },
    async (request) =>
      audit.forOpportunity(
        actorOf(request),
        request.params.id,
        request.query.page,
        request.query.pageSize,
      ),
  );
  app.get(
    '/opportunities/:id/collections',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Collections (回款) of an opportunity',
        params: IdParams,
        response: { 200: z.array(Collection) },
      },
    },
    async (request) => collections.list(actorOf(request), request.params.id),
  );
  app.post(
    '/opportunities/:id/collections',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Add an expected or received collection',
        params: IdParams,
        body: CreateCollectionBody,
        response: { 201: Collection },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return collections.create(actorOf(request), request.params.id, request.body);
    },
  );
  app.get(
    '/collections/:id',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'One collection',
        params: IdParams,
        response: { 200: Collection },
      },
    },
    async (request) => collections.get(actorOf(request), request.params.id),
  );
  app.patch(
    '/collections/:id',
    {
      schema: {
        tags: ['opportunities'],
        summary: 'Update a collection (e.g. record the payment received)',
        params: IdParams,
        body: UpdateCollectionBody,
        response: { 200: Collection },
      },
    },
    async (request) => collections.update(actorOf(request), request.params.id, request.body),
  );
};
