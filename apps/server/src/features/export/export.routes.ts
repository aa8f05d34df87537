import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AccountListQuery,
  ContactListQuery,
  ExportFormatQuery,
  Id,
  OpportunityListQuery,
  type ExportList,
} from '@funnel/contracts';
import { requestLocale } from '../../http/error-handler';
import { actorOf } from '../../http/request-context';
import type { Actor } from '../access/actor';
import type { ExportService } from './export.service';
import { sendExport } from './send-export';
import type { ExportTable } from './table-writer';

export const exportRoutes: FastifyPluginAsyncZod<{ exports: ExportService }> = async (
  app,
  { exports },
) => {
  /**
   * Registers GET /exports/<list>: the list's query plus format and lang; `build` makes the table
   * (and what the audit entry records) for the actor, then the file streams as it is written.
   */
  function list<Q extends z.ZodType<{ format: 'xlsx' | 'csv'; lang?: 'en' | 'zh-CN' | undefined }>>(
    name: ExportList,
    summary: string,
    querystring: Q,
    build: (
      actor: Actor,
      filter: Omit<z.infer<Q>, 'format' | 'lang'>,
    ) => Promise<{ table: ExportTable; audit: Record<string, unknown> }>,
  ) {
    app.get(
      `/exports/${name}`,
      { schema: { tags: ['import-export'], summary, querystring: querystring } },
      async (request, reply) => {
        const { format, lang, ...filter } = request.query as z.infer<Q>;
        const actor = actorOf(request);
        const { table, audit } = await build(actor, filter);
        const options = { format, locale: lang ?? requestLocale(request) };
        return sendExport(reply, format, name, (out) =>
          exports.write(actor, table, out, options, audit),
        );
      },
    );
  }

  list(
    'opportunities',
    'Export opportunities (same filters and access as GET /opportunities) as .xlsx or CSV',
    OpportunityListQuery.omit({ page: true, pageSize: true, sort: true }).extend(
      ExportFormatQuery.shape,
    ),
    async (actor, { createdFrom, createdTo, ...filter }) => ({
      table: await exports.opportunities(actor, {
        ...filter,
        createdFrom: createdFrom ? new Date(createdFrom) : undefined,
        createdTo: createdTo ? new Date(createdTo) : undefined,
      }),
      audit: { filter: { ...filter, createdFrom, createdTo } },
    }),
  );
  list(
    'accounts',
    'Export accounts as .xlsx or CSV',
    AccountListQuery.omit({ page: true, pageSize: true, sort: true }).extend(
      ExportFormatQuery.shape,
    ),
    async (actor, filter) => ({ table: await exports.accounts(actor, filter), audit: { filter } }),
  );
  list(
    'contacts',
    'Export contacts as .xlsx or CSV (details masked where you may not see them)',
    ContactListQuery.omit({ page: true, pageSize: true }).extend(ExportFormatQuery.shape),
    async (actor, filter) => {
      const audit = { unmasked: 0 };
      return { table: await exports.contacts(actor, filter, audit), audit };
    },
  );
  list(
    'follow-ups',
    'Export follow-ups as GET /follow-ups selects them (scope, team, owner, status or due bucket) as .xlsx or CSV',
    ExportFormatQuery.extend({
      scope: z.enum(['mine', 'team', 'all']).optional(),
      teamId: Id.optional(),
      bucket: z.enum(['overdue', 'today', 'upcoming']).optional(),
      status: z.enum(['planned', 'done', 'cancelled']).optional(),
      ownerId: Id.optional(),
      opportunityId: Id.optional(),
    }),
    async (actor, filter) => ({ table: await exports.followUps(actor, filter), audit: { filter } }),
  );
};
