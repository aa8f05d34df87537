/**
 * `funnel analytics <report>`: the same numbers as GET /api/v1/analytics/<report>, computed by
 * the same service, for scripts and cron (--json), a terminal (--table), or a file (--format
 * xlsx|csv, the same file as GET /api/v1/exports/analytics/<report>). The tables are the export's
 * (report-tables.ts in the server), so the terminal and the spreadsheet never disagree.
 */
import { Command, Option, InvalidArgumentError } from 'commander';
import { fieldErrorsFromIssues } from '@funnel/contracts';
import { formatMoney } from '@funnel/domain';
import {
  ANALYTICS_REPORTS,
  createServices,
  findMemberByEmailInWorkspace,
  REPORT_NAMES,
  reportTables,
  runReport,
  type ColumnType,
  type Db,
  type ReportName,
  type RowValues,
  type ReportTable,
} from '@funnel/server';
import { CliError, withDatabase, type GlobalOptions } from '../context';
import { openOutput } from '../output';
import { resolveWorkspace } from '../workspace';
import { commandActor } from './import';

/** The CLI's names: the API's (forecast-backtest as backtest), plus flow (the funnel in period-flow mode). */
const ALIASES: Record<string, ReportName> = { flow: 'funnel', backtest: 'forecast-backtest' };
export const REPORTS: string[] = REPORT_NAMES.flatMap((name) =>
  name === 'funnel' ? ['funnel', 'flow'] : name === 'forecast-backtest' ? ['backtest'] : [name],
);
const apiName = (report: string): ReportName => ALIASES[report] ?? (report as ReportName);

const FILTER_KEYS: Record<string, string> = {
  owner: 'ownerId',
  team: 'teamId',
  region: 'region',
  'product-line': 'productLine',
  industry: 'industry',
  source: 'source',
  priority: 'priority',
  'size-band': 'sizeBand',
  custom: 'customField',
};

function collect(value: string, previous: string[]): string[] {
  if (!/^[\w-]+=.+$/.test(value))
    throw new InvalidArgumentError('use key=value, e.g. --filter source=website');
  return [...previous, value];
}

interface AnalyticsOptions {
  period: string;
  date?: string;
  from?: string;
  to?: string;
  groupBy?: string;
  filter: string[];
  pipeline?: string;
  month?: string;
  asOf?: string;
  target?: string;
  benchmark?: string;
  interval?: string;
  count?: string;
  as?: string;
  workspace?: string;
  json?: boolean;
  table?: boolean;
  format?: 'xlsx' | 'csv';
  out?: string;
  lang?: 'zh-CN' | 'en';
}

type Actor = Awaited<ReturnType<typeof commandActor>>;

export function analyticsCommand(global: () => GlobalOptions): Command {
  return new Command('analytics')
    .description(
      'funnel analytics, the same numbers as the API (docs/analytics.md): printed, as JSON, or to .xlsx / CSV',
    )
    .argument('<report>', REPORTS.join(' | '))
    .addOption(
      new Option('--period <period>', 'period')
        .choices(['week', 'month', 'quarter', 'year', 'custom'])
        .default('month'),
    )
    .option('--date <YYYY-MM-DD>', 'a day inside the period (default today)')
    .option('--from <YYYY-MM-DD>', 'first day of a custom period')
    .option('--to <YYYY-MM-DD>', 'last day of a custom period')
    .option(
      '--group-by <key>',
      'owner, team, region, productLine, industry, source, priority, sizeBand, custom:<field>',
    )
    .option(
      '--filter <key=value>',
      `filter (repeatable): ${Object.keys(FILTER_KEYS).join(', ')}; owner by e-mail, team by name`,
      collect,
      [],
    )
    .option('--pipeline <name>', 'pipeline name or id (default: the default pipeline)')
    .option('--month <YYYY-MM>', 'month of the forecast backtest')
    .option('--as-of <instant>', 'cohort as of an ISO instant')
    .option('--target <amount>', 'target for the health report (元)')
    .option('--benchmark <kind>', 'bottlenecks: history or configured')
    .option('--interval <interval>', 'trend: month or quarter')
    .option('--count <n>', 'trend: number of periods')
    .option('--as <email>', 'compute as this user (their access rules); default: everything')
    .option('--workspace <name>', 'workspace name or id when there are several')
    .option('--json', 'print JSON (as the API answers)')
    .option('--table', 'print tables (default)')
    .addOption(
      new Option(
        '--format <format>',
        'write a file instead: .xlsx (a sheet per table) or CSV (the tables one after another)',
      ).choices(['xlsx', 'csv']),
    )
    .option(
      '--out <file>',
      'with --format: the file (default: standard output); alone: the format from its extension',
    )
    .addOption(
      new Option('--lang <lang>', 'labels and headers (default: the workspace language)').choices([
        'zh-CN',
        'en',
      ]),
    )
    .addHelpText(
      'after',
      `
Examples:
  funnel analytics funnel --period quarter --group-by source
  funnel analytics team --as manager.east@funnel.demo --json
  funnel analytics forecast --format xlsx --out forecast.xlsx --lang zh-CN
  funnel analytics trend --interval quarter --count 8 --out trend.csv
The file is the one GET /api/v1/exports/analytics/<report> answers (backtest is forecast-backtest,
flow is funnel with mode=flow); see docs/import-export.md.`,
    )
    .action(async (reportName: string, options: AnalyticsOptions) => {
      if (!REPORTS.includes(reportName)) {
        throw new CliError(`Unknown report "${reportName}". Reports: ${REPORTS.join(', ')}`, 2);
      }
      const report = reportName;
      const name = apiName(report);
      const format = options.format ?? (options.out ? formatOf(options.out) : undefined);
      if (format && options.json) throw new CliError('Choose --json or --format, not both.', 2);
      await withDatabase(global(), async (database) => {
        const workspace = await resolveWorkspace(database.db, options.workspace);
        const services = createServices({ db: database.db });
        const actor = await commandActor(database.db, workspace.id, options.as);
        const raw = await rawQuery(database.db, services, actor, report, options);
        const parsed = ANALYTICS_REPORTS[name].query.safeParse(raw, { reportInput: true });
        if (!parsed.success) {
          const problems = fieldErrorsFromIssues(parsed.error.issues, 'en').map(
            (f) => `  ${f.path}: ${f.message}`,
          );
          throw new CliError(`Invalid options:\n${problems.join('\n')}`, 2);
        }
        const locale = options.lang ?? (workspace.locale === 'en' ? 'en' : 'zh-CN');
        const result = await runReport(
          services.analytics,
          actor,
          name,
          parsed.data as never,
          locale,
        );
        if (options.json) {
          console.log(JSON.stringify(result, null, 2));
          return;
        }
        const tables = reportTables(name, result, raw);
        if (!format) {
          printTables(tables, locale);
          return;
        }
        const { out, closed } = openOutput(options.out);
        await services.dataTransfer.exports.writeReport(
          actor,
          name,
          tables,
          out,
          { format, locale },
          { query: parsed.data },
        );
        if (closed) {
          await closed;
          console.error(`Exported ${report} (${tables.length} tables) to ${options.out}.`);
        }
      });
    });
}

function formatOf(file: string): 'xlsx' | 'csv' {
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.xlsx$/i.test(file)) return 'xlsx';
  throw new CliError(`Give --format xlsx or csv (the file ${file} says neither).`, 2);
}

/** Options -> the API's query object (filters by e-mail and team name resolved to ids). */
async function rawQuery(
  db: Db,
  services: ReturnType<typeof createServices>,
  actor: Actor,
  report: string,
  o: AnalyticsOptions,
) {
  const query: Record<string, unknown> = { period: o.period };
  for (const [key, value] of [
    ['date', o.date],
    ['from', o.from],
    ['to', o.to],
    ['groupBy', o.groupBy],
    ['month', o.month],
    ['asOf', o.asOf],
    ['target', o.target],
    ['benchmark', o.benchmark],
    ['interval', o.interval],
    ['count', o.count],
  ] as const) {
    if (value !== undefined) query[key] = value;
  }
  if (o.pipeline) {
    const pipelines = await services.pipelines.list(actor);
    const found = pipelines.find((p) => p.name === o.pipeline || p.id === o.pipeline);
    if (!found)
      throw new CliError(
        `No pipeline "${o.pipeline}". Pipelines: ${pipelines.map((p) => p.name).join(', ')}`,
      );
    query.pipelineId = found.id;
  }
  const lists: Record<string, string[]> = {};
  for (const pair of o.filter) {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at);
    const value = pair.slice(at + 1);
    const field = FILTER_KEYS[key];
    if (!field)
      throw new CliError(
        `Unknown filter "${key}". Filters: ${Object.keys(FILTER_KEYS).join(', ')}`,
        2,
      );
    if (field === 'ownerId') {
      const member = await findMemberByEmailInWorkspace(db, actor.workspaceId, value.toLowerCase());
      if (!member) throw new CliError(`No user ${value} in this workspace.`);
      (lists[field] ??= []).push(member.id);
    } else if (field === 'teamId') {
      const team = (await services.people.listTeams(actor)).find(
        (t) => t.name === value || t.id === value,
      );
      if (!team) throw new CliError(`No team "${value}".`);
      query.teamId = team.id;
    } else {
      (lists[field] ??= []).push(value);
    }
  }
  for (const [field, values] of Object.entries(lists)) query[field] = values.join(',');
  if (report === 'flow') query.mode = 'flow';
  return query;
}

const dash = '—';

/** A cell for the terminal: percents as 25.00%, money as the API writes it, numbers rounded. */
function cellText(type: ColumnType, value: RowValues[string]): string {
  if (value === null || value === undefined || value === '') return dash;
  switch (type) {
    case 'percent':
      return `${(Number(value) * 100).toFixed(2)}%`;
    case 'money':
      return typeof value === 'string' ? value : formatMoney(Number(value));
    case 'days':
      return Number(value).toFixed(1);
    case 'number':
      return String(Number(Number(value).toPrecision(4)));
    case 'datetime':
    case 'integer':
    case 'date':
    case 'text':
      return value instanceof Date ? value.toISOString() : String(value);
  }
}

/**
 * Prints the export's tables, compacted for a terminal: a rate's numerator and denominator go
 * into its cell ("25.00% (1/4)"), and its interval after it ("[4.56%, 69.94%]").
 */
function printTables(tables: ReportTable[], locale: 'zh-CN' | 'en'): void {
  const label = (named: { zh: string; en: string }) => (locale === 'zh-CN' ? named.zh : named.en);
  for (const table of tables) {
    const keys = new Set(table.columns.map((c) => c.key));
    const shown = table.columns.filter(
      (c) =>
        !/\.(numerator|denominator|low|high)$/.test(c.key) ||
        !keys.has(c.key.replace(/\.\w+$/, '')),
    );
    const rows = table.rows.map((row) =>
      shown.map((c) => {
        let text = cellText(c.type, row[c.key]);
        if (c.type === 'percent' && keys.has(`${c.key}.numerator`)) {
          const part = table.columns.find((x) => x.key === `${c.key}.numerator`)!.type;
          text += ` (${cellText(part, row[`${c.key}.numerator`])}/${cellText(part, row[`${c.key}.denominator`])})`;
        }
        if (keys.has(`${c.key}.low`) && row[`${c.key}.low`] !== null) {
          text += ` [${cellText('percent', row[`${c.key}.low`])}, ${cellText('percent', row[`${c.key}.high`])}]`;
        }
        return text;
      }),
    );
    printTable(label(table.name), shown.map(label), rows);
  }
}

function printTable(title: string, headers: string[], rows: string[][]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) {
    console.log('  (none)');
    return;
  }
  const width = (text: string) =>
    [...text].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const line = (cells: string[]) =>
    '  ' + cells.map((cell, i) => cell + ' '.repeat(widths[i]! - width(cell))).join('  ');
  console.log(line(headers));
  for (const row of rows) console.log(line(row));
}
