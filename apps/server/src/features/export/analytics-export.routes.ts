/**
 * GET /exports/analytics/<report>: an analytics report as .xlsx (one sheet per table) or CSV.
 * The query is exactly the analytics route's (from the same registry) plus format and lang, and
 * the report is computed by the same service under the same access rules before anything is sent,
 * so a bad parameter answers 400 like the analytics route does.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ExportFormatQuery } from '@funnel/contracts';
import { requestLocale } from '../../http/error-handler';
import { actorOf } from '../../http/request-context';
import type { AnalyticsService } from '../analytics/analytics.service';
import { ANALYTICS_REPORTS, REPORT_NAMES, runReport } from '../analytics/reports';
import type { ExportService } from './export.service';
import { reportTables, type ReportQuery } from './report-tables';
import { sendExport } from './send-export';

/** A period label as a file-name part: 2024-05, 2024-Q2, 2024-05-01..2024-05-31 → 2024-05-01_2024-05-31. */
const filePart = (label: string) => label.replace(/\.\./g, '_').replace(/[^\w.-]+/g, '_');

/** The report's parameters as the caller wrote them (amounts in 元, defaults left out), for the file. */
function givenQuery(url: string): ReportQuery {
  const given: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(url.split('?')[1] ?? '')) {
    if (key === 'format' || key === 'lang') continue;
    given[key] = key in given ? `${given[key]},${value}` : value;
  }
  return given;
}

export const analyticsExportRoutes: FastifyPluginAsyncZod<{
  analytics: AnalyticsService;
  exports: ExportService;
}> = async (app, { analytics, exports }) => {
  for (const name of REPORT_NAMES) {
    const definition = ANALYTICS_REPORTS[name];
    const querystring = (definition.query as z.ZodObject).extend(ExportFormatQuery.shape);
    app.get(
      `/exports/analytics/${name}`,
      {
        schema: {
          tags: ['import-export', 'analytics'],
          summary: `Export as .xlsx or CSV (the query and access of GET /analytics/${definition.path}): ${definition.summary}`,
          querystring,
        },
      },
      async (request, reply) => {
        const { format, lang, ...query } = request.query as z.infer<typeof ExportFormatQuery> &
          ReportQuery;
        const actor = actorOf(request);
        const locale = lang ?? requestLocale(request);
        const response = await runReport(analytics, actor, name, query as never, locale);
        const tables = reportTables(name, response, givenQuery(request.url));
        const meta = response as { period?: { label: string }; month?: string };
        const label = meta.period?.label ?? meta.month;
        return sendExport(reply, format, label ? `${name}-${filePart(label)}` : name, (out) =>
          exports.writeReport(actor, name, tables, out, { format, locale }, { query }),
        );
      },
    );
  }
};
