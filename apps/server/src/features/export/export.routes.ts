import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  AccountListQuery,
  ContactListQuery,
  ExportFormatQuery,
  Id,
  OpportunityListQuery,
} from '@funnel/contracts';
import { requestLocale } from '../../http/error-handler';
import { actorOf } from '../../http/request-context';
import type { Actor } from '../access/actor';
import type { ExportService } from './export.service';
import { sendExport } from './send-export';
import type { ExportTable } from './table-writer';

function stream(
  exports: ExportService,
  actor: Actor,
  reply: FastifyReply,
  table: ExportTable,
  request: { format: 'xlsx' | 'csv'; locale: 'en' | 'zh-CN' },
  file: string,
  audit: Record<string, unknown>,
) {
  return sendExport(reply, request.format, file, (out) =>
    exports.write(actor, table, out, request, audit),
  );
}

export const exportRoutes: FastifyPluginAsyncZod<{ exports: ExportService }> = async (
  app,
  { exports },
) => {
  app.get(
    '/exports/opportunities',
    {
      schema: {
        tags: ['import-export'],
        summary:
          'Export opportunities (same filters and access as GET /opportunities) as .xlsx or CSV',
        querystring: OpportunityListQuery.omit({ page: true, pageSize: true, sort: true }).extend(
          ExportFormatQuery.shape,
        ),
      },
    },
    async (request, reply) => {
      const { format, lang, createdFrom, createdTo, ...filter } = request.query;
      const actor = actorOf(request);
      const table = await exports.opportunities(actor, {
        ...filter,
        createdFrom: createdFrom ? new Date(createdFrom) : undefined,
        createdTo: createdTo ? new Date(createdTo) : undefined,
      });
      return stream(
        exports,
        actor,
        reply,
        table,
        { format, locale: lang ?? requestLocale(request) },
        'opportunities',
        { filter: request.query },
      );
    },
  );
  app.get(
    '/exports/accounts',
    {
      schema: {
        tags: ['import-export'],
        summary: 'Export accounts as .xlsx or CSV',
        querystring: AccountListQuery.omit({ page: true, pageSize: true, sort: true }).extend(
          ExportFormatQuery.shape,
        ),
      },
    },
    async (request, reply) => {
      const { format, lang, ...filter } = request.query;
      const actor = actorOf(request);
      const table = await exports.accounts(actor, filter);
      return stream(
        exports,
        actor,
        reply,
        table,
        { format, locale: lang ?? requestLocale(request) },
        'accounts',
        { filter },
      );
    },
  );
  app.get(
    '/exports/contacts',
    {
      schema: {
        tags: ['import-export'],
        summary: 'Export contacts as .xlsx or CSV (details masked where you may not see them)',
        querystring: ContactListQuery.omit({ page: true, pageSize: true }).extend(
          ExportFormatQuery.shape,
        ),
      },
    },
    async (request, reply) => {
      const { format, lang, ...filter } = request.query;
      const actor = actorOf(request);
      const audit = { unmasked: 0 };
      const table = await exports.contacts(actor, filter, audit);
      return stream(
        exports,
        actor,
        reply,
        table,
        { format, locale: lang ?? requestLocale(request) },
        'contacts',
        audit,
      );
    },
  );
  app.get(
    '/exports/follow-ups',
    {
      schema: {
        tags: ['import-export'],
        summary:
          'Export follow-ups as GET /follow-ups selects them (scope, team, owner, status or due bucket) as .xlsx or CSV',
        querystring: ExportFormatQuery.extend({
          scope: z.enum(['mine', 'team', 'all']).optional(),
          teamId: Id.optional(),
          bucket: z.enum(['overdue', 'today', 'upcoming']).optional(),
          status: z.enum(['planned', 'done', 'cancelled']).optional(),
          ownerId: Id.optional(),
          opportunityId: Id.optional(),
        }),
      },
    },
    async (request, reply) => {
      const { format, lang, ...filter } = request.query;
      const actor = actorOf(request);
      const table = await exports.followUps(actor, filter);
      return stream(
        exports,
        actor,
        reply,
        table,
        { format, locale: lang ?? requestLocale(request) },
        'follow-ups',
        { filter },
      );
    },
  );
};
