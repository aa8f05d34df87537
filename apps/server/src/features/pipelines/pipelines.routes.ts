import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreatePipelineBody,
  Id,
  Pipeline,
  PipelinePresetOut,
  ReplaceStagesBody,
  UpdatePipelineBody,
} from '@funnel/contracts';
import { actorOf } from '../../http/request-context';
import type { PipelineService } from './pipelines.service';

const IdParams = z.object({ id: Id });

export const pipelineRoutes: FastifyPluginAsyncZod<{ pipelines: PipelineService }> = async (
  app,
  { pipelines },
) => {
  app.get(
    '/pipelines',
    {
      schema: {
        tags: ['pipelines'],
        summary: 'Pipelines with their ordered stages',
        response: { 200: z.array(Pipeline) },
      },
    },
    async (request) => pipelines.list(actorOf(request)),
  );
  app.get(
    '/pipelines/presets',
    {
      schema: {
        tags: ['pipelines'],
        summary: 'Stage templates from SPEC F-2',
        response: { 200: z.array(PipelinePresetOut) },
      },
    },
    async () => pipelines.presets(),
  );
  app.get(
    '/pipelines/:id',
    {
      schema: {
        tags: ['pipelines'],
        summary: 'One pipeline',
        params: IdParams,
        response: { 200: Pipeline },
      },
    },
    async (request) => pipelines.get(actorOf(request), request.params.id),
  );
  app.post(
    '/pipelines',
    {
      schema: {
        tags: ['pipelines'],
        summary: 'Create a pipeline from a preset or stages (admin)',
        body: CreatePipelineBody,
        response: { 201: Pipeline },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return pipelines.create(actorOf(request), request.body);
    },
  );
  app.patch(
    '/pipelines/:id',
    {
      schema: {
        tags: ['pipelines'],
        summary: 'Rename, make default or archive (admin)',
        params: IdParams,
        body: UpdatePipelineBody,
        response: { 200: Pipeline },
      },
    },
    async (request) => pipelines.update(actorOf(request), request.params.id, request.body),
  );
  app.put(
    '/pipelines/:id/stages',
    {
      schema: {
        tags: ['pipelines'],
        summary: 'Replace the ordered stage list (admin)',
        params: IdParams,
        body: ReplaceStagesBody,
        response: { 200: Pipeline },
      },
    },
    async (request) => pipelines.replaceStages(actorOf(request), request.params.id, request.body),
  );
};
