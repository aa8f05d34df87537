import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { UpdateWorkspaceBody, Workspace } from '@funnel/contracts';
import { actorOf } from '../../http/request-context';
import type { WorkspaceService } from './workspace.service';

export const workspaceRoutes: FastifyPluginAsyncZod<{ workspace: WorkspaceService }> = async (
  app,
  { workspace },
) => {
  app.get(
    '/workspace',
    {
      schema: {
        tags: ['settings'],
        summary: 'Workspace settings and rules',
        response: { 200: Workspace },
      },
    },
    async (request) => workspace.get(actorOf(request)),
  );
  app.patch(
    '/workspace',
    {
      schema: {
        tags: ['settings'],
        summary: 'Change workspace settings (admin)',
        body: UpdateWorkspaceBody,
        response: { 200: Workspace },
      },
    },
    async (request) => workspace.update(actorOf(request), request.body),
  );
};
