import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AuditEntry, AuditQuery, pageOf } from '@funnel/contracts';
import { actorOf } from '../../http/request-context';
import type { AuditService } from './audit.service';

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (
  app,
  { audit },
) => {
  app.get(
    '/audit-log',
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log: who changed what, before and after (directors and admins)',
        querystring: AuditQuery,
        response: { 200: pageOf(AuditEntry) },
      },
    },
    async (request) => {
      const { page, pageSize, ...filter } = request.query;
      return audit.list(actorOf(request), filter, page, pageSize);
    },
  );
};
