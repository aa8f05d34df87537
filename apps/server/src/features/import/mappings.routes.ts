import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateImportMappingBody,
  Id,
  OkResponse,
  SavedImportMapping,
  UpdateImportMappingBody,
} from '@funnel/contracts';
import { actorOf } from '../../http/request-context';
import type { ImportMappingService } from './mappings.service';

const tags = ['import-export'];
const IdParams = z.object({ id: Id });

export const importMappingRoutes: FastifyPluginAsyncZod<{
  mappings: ImportMappingService;
}> = async (app, { mappings }) => {
  app.get(
    '/import-mappings',
    {
      schema: {
        tags,
        summary: 'Import mappings saved for reuse',
        response: { 200: z.array(SavedImportMapping) },
      },
    },
    async (request) => mappings.list(actorOf(request)),
  );
  app.get(
    '/import-mappings/:id',
    {
      schema: {
        tags,
        summary: 'One saved import mapping',
        params: IdParams,
        response: { 200: SavedImportMapping },
      },
    },
    async (request) => mappings.get(actorOf(request), request.params.id),
  );
  app.post(
    '/import-mappings',
    {
      schema: {
        tags,
        summary: 'Save an import mapping under a name',
        body: CreateImportMappingBody,
        response: { 201: SavedImportMapping },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return mappings.create(actorOf(request), request.body);
    },
  );
  app.patch(
    '/import-mappings/:id',
    {
      schema: {
        tags,
        summary: 'Rename or change a saved import mapping',
        params: IdParams,
        body: UpdateImportMappingBody,
        response: { 200: SavedImportMapping },
      },
    },
    async (request) => mappings.update(actorOf(request), request.params.id, request.body),
  );
  app.delete(
    '/import-mappings/:id',
    {
      schema: {
        tags,
        summary: 'Delete a saved import mapping',
        params: IdParams,
        response: { 200: OkResponse },
      },
    },
    async (request) => {
      await mappings.remove(actorOf(request), request.params.id);
      return { ok: true as const };
    },
  );
};
