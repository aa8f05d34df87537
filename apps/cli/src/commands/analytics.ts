/**
 * `funnel analytics <report>`: the same numbers as GET /api/v1/analytics/<report>, computed by
 * the same service, for scripts and cron (--json) or a terminal (--table).
 */
import { Command, Option, InvalidArgumentError } from 'commander';
import {
  AnalyticsQuery,
  BacktestQuery,
  BottleneckQuery,
  FunnelQuery,
  GroupedQuery,
  HealthQuery,
  TrendQuery,
  fieldErrorsFromIssues,
} from '@funnel/contracts';
import { createServices, findMemberByEmailInWorkspace, systemActor, type Db } from '@funnel/server';
import type { z } from 'zod';
import { CliError, withDatabase, type GlobalOptions } from '../context';
import { resolveWorkspace } from '../workspace';

type Row = Record<string, string | number | boolean | null>;

export const REPORTS = [
  'funnel',
  'flow',
  'outcomes',
  'dwell',
  'standard-funnel',
  'health',
  'forecast',
  'backtest',
  'collections',
  'calibration',
  'velocity',
  'loss-reasons',
  'team',
  'channels',
  'missed-entry',
  'bottlenecks',
  'trend',
  'dashboard',
] as const;
type Report = (typeof REPORTS)[number];

const QUERY_OF: Record<Report, z.ZodType> = {
  funnel: FunnelQuery,
  flow: FunnelQuery,
  outcomes: GroupedQuery,
  dwell: AnalyticsQuery,
  'standard-funnel': AnalyticsQuery,
  health: HealthQuery,
  forecast: AnalyticsQuery,
  backtest: BacktestQuery,
  collections: AnalyticsQuery,
  calibration: AnalyticsQuery,
  velocity: AnalyticsQuery,
  'loss-reasons': AnalyticsQuery,
  team: AnalyticsQuery,
  channels: GroupedQuery,
  'missed-entry': AnalyticsQuery,
  bottlenecks: BottleneckQuery,
  trend: TrendQuery,
  dashboard: AnalyticsQuery,
};

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
  lang: string;
}

export function analyticsCommand(global: () => GlobalOptions): Command {
  return new Command('analytics')
    .description('funnel analytics, the same numbers as the API (docs/analytics.md)')
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
      new Option('--lang <lang>', 'labels language').choices(['zh-CN', 'en']).default('zh-CN'),
    )
    .action(async (reportName: string, options: AnalyticsOptions) => {
      if (!(REPORTS as readonly string[]).includes(reportName)) {
        throw new CliError(`Unknown report "${reportName}". Reports: ${REPORTS.join(', ')}`, 2);
      }
      const report = reportName as Report;
      await withDatabase(global(), async (database) => {
        const workspace = await resolveWorkspace(database.db, options.workspace);
        const services = createServices({ db: database.db });
        const actor = options.as
          ? await actorFor(database.db, services, workspace.id, options.as)
          : systemActor(workspace.id);
        const raw = await rawQuery(database.db, services, actor, report, options);
        const parsed = QUERY_OF[report].safeParse(raw, { reportInput: true });
        if (!parsed.success) {
          const problems = fieldErrorsFromIssues(parsed.error.issues, 'en').map(
            (f) => `  ${f.path}: ${f.message}`,
          );
          throw new CliError(`Invalid options:\n${problems.join('\n')}`, 2);
        }
        const query = parsed.data as Record<string, unknown> & { period: 'month' };
        const locale = options.lang === 'en' ? 'en' : 'zh-CN';
        const result = await services.analytics.withContext(
          actor,
          query,
          locale,
          (ctx): Promise<unknown> => {
            const a = services.analytics;
            const q = query as never;
            switch (report) {
              case 'funnel':
                return a.funnelReport(ctx, { ...query, mode: 'cohort' } as never);
              case 'flow':
                return a.funnelReport(ctx, { ...query, mode: 'flow' } as never);
              case 'outcomes':
                return a.outcomesReport(ctx, q);
              case 'dwell':
                return a.dwellReport(ctx, q);
              case 'standard-funnel':
                return a.standardFunnelReport(ctx, q);
              case 'health':
                return a.healthReport(ctx, q);
              case 'forecast':
                return a.forecastReport(ctx, q);
              case 'backtest':
                return a.backtestReport(ctx, q);
              case 'collections':
                return a.collectionsReport(ctx, q);
              case 'calibration':
                return a.calibrationReport(ctx, q);
              case 'velocity':
                return a.velocityReport(ctx, q);
              case 'loss-reasons':
                return a.lossReasonsReport(ctx, q);
              case 'team':
                return a.teamReport(ctx, q);
              case 'channels':
                return a.channelsReport(ctx, q);
              case 'missed-entry':
                return a.missedEntryReport(ctx, q);
              case 'bottlenecks':
                return a.bottlenecksReport(ctx, q);
              case 'trend':
                return a.trendReport(ctx, q);
              case 'dashboard':
                return a.dashboardReport(ctx, q);
            }
          },
        );
        if (options.json) console.log(JSON.stringify(result, null, 2));
        else printTables(report, result);
      });
    });
}

async function actorFor(
  db: Db,
  services: ReturnType<typeof createServices>,
  workspaceId: string,
  email: string,
) {
  const member = await findMemberByEmailInWorkspace(db, workspaceId, email.trim().toLowerCase());
  if (!member) throw new CliError(`No user ${email} in this workspace.`);
  const actor = await services.auth.actorFor(workspaceId, member.id, 'system', null);
  if (!actor) throw new CliError(`${email} is not active.`);
  return actor;
}

/** Options -> the API's query object (filters by e-mail and team name resolved to ids). */
async function rawQuery(
  db: Db,
  services: ReturnType<typeof createServices>,
  actor: ReturnType<typeof systemActor>,
  report: Report,
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

const pct = (
  r: { numerator: number; denominator: number; value: number | null } | null | undefined,
) =>
  !r || r.value === null ? '—' : `${(r.value * 100).toFixed(2)}% (${r.numerator}/${r.denominator})`;
const days = (d: number | null | undefined) => (d === null || d === undefined ? '—' : d.toFixed(1));

function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  if (rows.length === 0) {
    console.log('  (none)');
    return;
  }
  const columns = Object.keys(rows[0]!);
  const width = (text: string) =>
    [...text].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const widths = columns.map((c) =>
    Math.max(width(c), ...rows.map((r) => width(String(r[c] ?? '')))),
  );
  const line = (cells: string[]) =>
    '  ' + cells.map((cell, i) => cell + ' '.repeat(widths[i]! - width(cell))).join('  ');
  console.log(line(columns));
  for (const row of rows) console.log(line(columns.map((c) => String(row[c] ?? ''))));
}

/* eslint-disable @typescript-eslint/no-explicit-any -- report shapes are printed loosely; --json is the typed output */
/** A readable table per report; --json gives everything. */
function printTables(report: Report, r: unknown): void {
  const x = r as Record<string, any>;
  if (x.period)
    console.log(`${report} · ${x.period.label} (${x.period.timeZone}) · ${x.definition ?? ''}`);
  switch (report) {
    case 'funnel':
      printTable(
        `cohort of ${x.result.cohortSize}`,
        x.result.stages.map((s: any) => ({
          stage: s.name,
          reached: s.reached,
          cumulative: pct(s.cumulative),
          lost: s.lost,
          dropOff: pct(s.dropOff),
        })),
      );
      printTable(
        'adjacent conversion',
        x.result.steps.map((s: any) => ({
          from: s.fromName,
          to: s.toName,
          conversion: pct(s.rate),
        })),
      );
      break;
    case 'flow':
      printTable(
        'period flow',
        x.result.steps.map((s: any) => ({
          from: s.fromName,
          to: s.toName,
          entered: s.entered,
          advanced: s.advanced,
          conversion: pct(s.rate),
        })),
      );
      break;
    case 'outcomes':
      printTable('outcomes', [
        {
          winRate: pct(x.result.winRate.rate),
          open: x.result.winRate.open,
          postponed: x.result.winRate.postponed,
          wonDeals: x.result.dealSize.count,
          wonTotal: x.result.dealSize.total,
          averageDeal: x.result.dealSize.average ?? '—',
          cycleMeanDays: days(x.result.salesCycle.meanDays),
          cycleMedianDays: days(x.result.salesCycle.medianDays),
          timeToWinMedianDays: days(x.result.timeToWin.medianDays),
        },
      ]);
      break;
    case 'dwell':
      printTable(
        'days in stage',
        x.stages.map((s: any) => ({
          stage: s.name,
          stays: s.count,
          running: s.openCount,
          meanDays: days(s.meanDays),
          medianDays: days(s.medianDays),
          standard: s.standardDwellDays ?? '—',
          ratio: s.ratioToStandard?.toFixed(2) ?? '—',
        })),
      );
      break;
    case 'standard-funnel':
      printTable(
        'open opportunities vs standard',
        x.stages.map((s: any) => ({
          stage: s.name,
          actual: s.actual,
          standard: s.standard?.toFixed(1) ?? '—',
          amount: s.amount,
          weighted: s.weighted,
        })),
      );
      break;
    case 'forecast':
      printTable(
        'by month',
        x.byMonth.map((l: any) => ({
          month: l.key,
          realised: l.realised,
          weighted: l.weighted,
          total: l.total,
        })),
      );
      printTable(
        'by category',
        x.byBucket.map((l: any) => ({ category: l.key, total: l.total })),
      );
      printTable('total', [
        { realised: x.total.realised, weighted: x.total.weighted, total: x.total.total },
      ]);
      break;
    case 'loss-reasons':
      printTable(
        `top reasons of ${x.lost} lost`,
        x.top.map((t: any) => ({
          reason: t.label ?? t.reason ?? '—',
          count: t.count,
          share: pct(t.share),
        })),
      );
      break;
    case 'team':
      printTable(
        'per rep',
        x.reps.map((rep: any) => ({
          rep: rep.name,
          cohort: rep.cohort,
          conversion: pct(rep.conversion),
          followUpsPerDeal: rep.followUpsPerOpportunity?.toFixed(2) ?? '—',
          aPriority: pct(rep.priorityA),
          onTime: pct(rep.compliance.onTimeRate),
        })),
      );
      break;
    case 'channels':
      printTable(
        'per channel',
        x.channels.map((c: any) => ({
          channel: c.label ?? c.key ?? '—',
          created: c.created,
          won: c.won,
          conversion: pct(c.conversion),
          averageWon: c.averageWonAmount ?? '—',
        })),
      );
      break;
    case 'bottlenecks':
      printTable(
        `against ${x.benchmark}`,
        x.rows.map((b: any) => ({
          from: b.fromName,
          to: b.toName,
          observed: b.observed === null ? '—' : `${(b.observed * 100).toFixed(1)}%`,
          benchmark: `${(b.benchmark * 100).toFixed(1)}%`,
          n: b.n,
          verdict: b.verdict,
        })),
      );
      break;
    case 'trend':
      printTable(
        'trend',
        x.points.map((p: any) => ({
          period: p.bucket,
          created: p.created,
          won: p.won,
          conversion: pct(p.conversion),
          wonAmount: p.wonAmount,
        })),
      );
      break;
    default:
      console.log(JSON.stringify(r, null, 2));
  }
}
/* eslint-enable @typescript-eslint/no-explicit-any */
