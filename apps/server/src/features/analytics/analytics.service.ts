/**
 * Funnel analytics (SPEC F-6, F-7) for the API and the CLI. Counting is done by the database
 * (analytics.repository.ts); this service turns the aggregates into the metrics of
 * docs/analytics.md with the domain's statistics (rates, Wilson intervals, binomial tests,
 * Kaplan–Meier), applies access rules through the scope, and names every number's definition.
 */
import {
  assessConversion,
  ceilCount,
  customPeriod,
  formatMoney,
  historicalBenchmarks,
  localDate,
  monthPeriod,
  overallConversion,
  periodContaining,
  rate,
  roundMinor,
  shiftPeriod,
  targetDecomposition,
  wilsonInterval,
  type AnalyticsStage,
  type Benchmark,
  type CohortConversionResult,
  type ConversionSource,
  type Period,
  type PeriodKind,
  type Rate,
} from '@funnel/domain';
import type { Db, Executor } from '../../db/database';
import { invalid } from '../../http/domain-error';
import { actorSeesAll, type Actor } from '../access/actor';
import * as people from '../people/people.repository';
import { teamFilter } from '../people/team-filter';
import * as pipelines from '../pipelines/pipelines.repository';
import { listPicklist } from '../settings/settings.repository';
import { listCustomFields } from '../settings/settings.repository';
import { loadWorkspaceSettings, type WorkspaceSettings } from '../workspace/workspace.service';
import * as repo from './analytics.repository';
import { findTarget } from './targets.repository';

const DOCS = 'docs/analytics.md';
const def = (anchor: string) => `${DOCS}#${anchor}`;

export interface AnalyticsQueryInput {
  period: PeriodKind | 'custom';
  date?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  pipelineId?: string | undefined;
  ownerId?: string[] | undefined;
  teamId?: string | undefined;
  region?: string[] | undefined;
  productLine?: string[] | undefined;
  industry?: string[] | undefined;
  source?: string[] | undefined;
  priority?: ('A' | 'B' | 'C')[] | undefined;
  sizeBand?: string[] | undefined;
  customField?: string[] | undefined;
}

export interface Context {
  actor: Actor;
  settings: WorkspaceSettings;
  scope: repo.AnalyticsScope;
  period: Period;
  sqlPeriod: repo.SqlPeriod;
  periodKind: PeriodKind | 'custom';
  stages: AnalyticsStage[];
  /** open stages in order, then won */
  funnel: AnalyticsStage[];
  now: Date;
  locale: 'zh-CN' | 'en';
  /** Results shared by the reports of one context (the dashboard asks for some twice). */
  memo: Map<string, Promise<unknown>>;
}

function memo<T>(ctx: Context, key: string, compute: () => Promise<T>): Promise<T> {
  let value = ctx.memo.get(key) as Promise<T> | undefined;
  if (!value) {
    value = compute();
    ctx.memo.set(key, value);
  }
  return value;
}

type Labeller = (key: string | null) => string | null;

export function toSqlPeriod(period: Period): repo.SqlPeriod {
  return {
    from: period.from,
    to: period.to,
    fromDate: localDate(period.from, period.timeZone),
    toDate: localDate(period.to, period.timeZone),
  };
}

const periodOut = (p: Period) => ({
  from: p.from.toISOString(),
  to: p.to.toISOString(),
  label: p.label,
  timeZone: p.timeZone,
});
const money = (minor: number | string) => formatMoney(Number(minor));
const withInterval = (r: Rate) => wilsonInterval(r.numerator, r.denominator);

export class AnalyticsService {
  constructor(private readonly deps: { db: Db; clock: () => Date }) {}

  /** Runs one report (or several, for the dashboard) in one resolved context. */
  async withContext<T>(
    actor: Actor,
    query: AnalyticsQueryInput,
    locale: 'zh-CN' | 'en',
    report: (ctx: Context) => Promise<T>,
  ): Promise<T> {
    return report(await this.context(actor, query, locale));
  }

  /** Resolves period, pipeline, filters and access into one context. */
  async context(
    actor: Actor,
    query: AnalyticsQueryInput,
    locale: 'zh-CN' | 'en' = 'en',
    q: Executor = this.deps.db,
  ): Promise<Context> {
    const settings = await loadWorkspaceSettings(q, actor.workspaceId);
    const now = this.deps.clock();
    const tz = settings.timeZone;
    let period: Period;
    if (query.period === 'custom') {
      if (!query.from) throw invalid('from', 'required');
      if (!query.to) throw invalid('to', 'required');
      if (query.to < query.from) throw invalid('to', 'date_order', { other: 'from' });
      period = customPeriod(query.from, query.to, tz);
    } else {
      period = periodContaining(query.period, query.date ?? localDate(now, tz), tz);
    }
    const pipeline = query.pipelineId
      ? await pipelines.findPipeline(q, actor.workspaceId, query.pipelineId)
      : await pipelines.findDefaultPipeline(q, actor.workspaceId);
    if (!pipeline) throw invalid('pipelineId', 'unknown_reference', { entity: 'pipeline' });
    const stageRows = await pipelines.stagesOf(q, actor.workspaceId, [pipeline.id]);
    const stages: AnalyticsStage[] = stageRows.map((s) => ({
      id: s.id,
      position: s.position,
      name: s.name,
      kind: s.kind,
      winProbability: s.winProbability,
      standardDwellDays: s.standardDwellDays,
      standardCountRatio: s.standardCountRatio,
      forecastCategory: s.forecastCategory,
    }));
    const teamIds = await teamFilter(q, actor.workspaceId, query.teamId);
    const customFields = query.customField?.map((pair) => {
      const at = pair.indexOf(':');
      return { key: pair.slice(0, at), value: pair.slice(at + 1) };
    });
    const filtered =
      [
        query.ownerId,
        query.region,
        query.productLine,
        query.industry,
        query.source,
        query.priority,
        query.sizeBand,
        customFields,
      ].some((f) => f?.length) || !!teamIds;
    const pipelineCount = (await pipelines.listPipelines(q, actor.workspaceId)).length;
    return {
      actor,
      settings,
      scope: {
        actor,
        wholePipeline: actorSeesAll(actor) && !filtered,
        onlyPipeline: pipelineCount === 1,
        pipelineId: pipeline.id,
        filters: {
          ownerIds: query.ownerId,
          teamIds,
          regions: query.region,
          productLines: query.productLine,
          industries: query.industry,
          sources: query.source,
          priorities: query.priority,
          sizeBands: query.sizeBand,
          customFields,
        },
      },
      period,
      sqlPeriod: toSqlPeriod(period),
      periodKind: query.period,
      stages,
      funnel: [
        ...stages.filter((s) => s.kind === 'open'),
        ...stages.filter((s) => s.kind === 'won'),
      ],
      now,
      locale,
      memo: new Map(),
    };
  }

  /** Labels of group keys: people and teams by name, value lists in the requester's language. */
  private async labeller(ctx: Context, groupBy: repo.GroupBy | undefined): Promise<Labeller> {
    if (!groupBy) return () => null;
    if (groupBy === 'owner') {
      const { rows } = await people.listMembers(
        this.deps.db,
        ctx.actor.workspaceId,
        {},
        1,
        100_000,
      );
      const names = new Map(rows.map((r) => [r.id, r.name]));
      return (key) => (key ? (names.get(key) ?? key) : null);
    }
    if (groupBy === 'team') {
      const names = new Map(
        (await people.listTeams(this.deps.db, ctx.actor.workspaceId)).map((t) => [t.id, t.name]),
      );
      return (key) => (key ? (names.get(key) ?? key) : null);
    }
    const kind = {
      region: 'region',
      productLine: 'product_line',
      industry: 'industry',
      source: 'source',
    }[groupBy as string];
    if (kind) return this.picklistLabeller(ctx, kind);
    return (key) => key;
  }

  private async picklistLabeller(ctx: Context, kind: string): Promise<Labeller> {
    const values = await listPicklist(this.deps.db, ctx.actor.workspaceId, kind);
    const labels = new Map(
      values.map((v) => [v.code, ctx.locale === 'zh-CN' ? v.labelZh : v.labelEn]),
    );
    return (key) => (key ? (labels.get(key) ?? key) : null);
  }

  private overallOutcomes(ctx: Context) {
    return memo(ctx, 'outcomes', () => repo.outcomes(this.deps.db, ctx.scope, ctx.sqlPeriod));
  }

  private openByStage(ctx: Context) {
    return memo(ctx, 'openByStage', () => repo.openByStage(this.deps.db, ctx.scope));
  }

  // ------------------------------------------------------------ funnel

  /** Cohort conversion built from reached counts per position (docs/analytics.md#cohort-conversion). */
  cohortFrom(
    ctx: Context,
    rows: repo.ReachedRow[],
    cohortSize: number,
    asOf: Date | null,
  ): CohortConversionResult {
    const n = ctx.funnel.length;
    const exactly = new Array<number>(n).fill(0);
    const lostAt = new Array<number>(n).fill(0);
    const indexOfPosition = new Map(ctx.funnel.map((s, i) => [s.position, i]));
    for (const row of rows) {
      const k = indexOfPosition.get(row.position);
      if (k === undefined) continue;
      exactly[k]! += row.count;
      lostAt[k]! += row.lost;
    }
    const reached = new Array<number>(n).fill(0);
    let running = 0;
    for (let k = n - 1; k >= 0; k--) {
      running += exactly[k]!;
      reached[k] = running;
    }
    return {
      period: ctx.period,
      asOf,
      cohortSize,
      stages: ctx.funnel.map((s, k) => ({
        stageId: s.id,
        name: s.name,
        index: k,
        reached: reached[k]!,
        cumulative: rate(reached[k]!, reached[0]!),
        lost: lostAt[k]!,
        dropOff: rate(lostAt[k]!, reached[k]!),
      })),
      steps: ctx.funnel.slice(0, -1).map((from, k) => {
        const to = ctx.funnel[k + 1]!;
        return {
          fromStageId: from.id,
          toStageId: to.id,
          fromName: from.name,
          toName: to.name,
          rate: rate(reached[k + 1]!, reached[k]!),
        };
      }),
    };
  }

  async cohort(
    ctx: Context,
    asOf: Date | null,
    q: Executor = this.deps.db,
  ): Promise<CohortConversionResult> {
    const rows = asOf
      ? await repo.cohortReachedAsOf(q, ctx.scope, ctx.sqlPeriod, asOf)
      : await repo.cohortReached(q, ctx.scope, ctx.sqlPeriod);
    const size = rows.reduce((s, r) => s + r.count, 0);
    const cohortSize = asOf ? await repo.cohortSizeAsOf(q, ctx.scope, ctx.sqlPeriod, asOf) : size;
    return this.cohortFrom(ctx, rows, cohortSize, asOf);
  }

  private cohortOut(c: CohortConversionResult) {
    return {
      cohortSize: c.cohortSize,
      asOf: c.asOf?.toISOString() ?? null,
      stages: c.stages,
      steps: c.steps.map((s) => ({ ...s, interval: withInterval(s.rate) })),
    };
  }

  async flow(ctx: Context) {
    const rows = await repo.periodFlow(this.deps.db, ctx.scope, ctx.sqlPeriod, ctx.funnel.length);
    const byIndex = new Map<number, repo.FlowRow>();
    ctx.funnel.forEach((s, k) => {
      const row = rows.find((r) => r.position === s.position);
      if (row) byIndex.set(k, row);
    });
    return {
      stages: ctx.funnel.map((s, k) => ({
        stageId: s.id,
        name: s.name,
        entered: byIndex.get(k)?.entered ?? 0,
      })),
      steps: ctx.funnel.slice(0, -1).map((from, k) => {
        const to = ctx.funnel[k + 1]!;
        const entered = byIndex.get(k)?.entered ?? 0;
        const advanced = byIndex.get(k)?.advanced ?? 0;
        const r = rate(advanced, entered);
        return {
          fromStageId: from.id,
          toStageId: to.id,
          fromName: from.name,
          toName: to.name,
          entered,
          advanced,
          rate: r,
          interval: withInterval(r),
        };
      }),
    };
  }

  async funnelReport(
    ctx: Context,
    query: AnalyticsQueryInput & {
      mode: 'cohort' | 'flow';
      asOf?: string | undefined;
      groupBy?: string | undefined;
    },
  ) {
    const asOf = query.asOf ? new Date(query.asOf) : null;
    const meta = { period: periodOut(ctx.period), mode: query.mode };
    if (query.mode === 'flow') {
      return {
        metric: 'period_flow_conversion',
        definition: def('period-flow-conversion'),
        ...meta,
        result: await this.flow(ctx),
        groups: null,
      };
    }
    const result = this.cohortOut(
      asOf ? await this.cohort(ctx, asOf) : await memo(ctx, 'cohort', () => this.cohort(ctx, null)),
    );
    let groups = null;
    if (query.groupBy) {
      const groupBy = query.groupBy as repo.GroupBy;
      const rows = asOf
        ? await repo.cohortReachedAsOf(this.deps.db, ctx.scope, ctx.sqlPeriod, asOf, groupBy)
        : await repo.cohortReached(this.deps.db, ctx.scope, ctx.sqlPeriod, groupBy);
      const label = await this.labeller(ctx, groupBy);
      groups = sortGroups([...new Set(rows.map((r) => r.groupKey))]).map((key) => {
        const mine = rows.filter((r) => r.groupKey === key);
        const size = mine.reduce((s, r) => s + r.count, 0);
        return {
          key,
          label: label(key),
          result: this.cohortOut(this.cohortFrom(ctx, mine, size, asOf)),
        };
      });
    }
    return {
      metric: 'cohort_conversion',
      definition: def('cohort-conversion'),
      ...meta,
      result,
      groups,
    };
  }

  // ------------------------------------------------------------ outcomes

  private outcomeOut(row: repo.OutcomeRow | undefined) {
    const won = row?.won ?? 0;
    const lost = row?.lost ?? 0;
    const r = rate(won, won + lost);
    const count = row?.wonInPeriod ?? 0;
    const total = Number(row?.wonTotal ?? 0);
    const mean = count === 0 ? null : total / count;
    return {
      winRate: {
        won,
        lost,
        open: row?.open ?? 0,
        postponed: row?.postponed ?? 0,
        rate: r,
        interval: withInterval(r),
      },
      dealSize: {
        count,
        total: money(total),
        mean: mean === null ? null : (mean / 100).toFixed(4),
        average: mean === null ? null : money(roundMinor(mean)),
      },
      salesCycle: { count, meanDays: row?.cycleMean ?? null, medianDays: row?.cycleMedian ?? null },
    };
  }

  async outcomesReport(
    ctx: Context,
    query: AnalyticsQueryInput & { groupBy?: string | undefined },
  ) {
    const [overall] = await this.overallOutcomes(ctx);
    const km = (await repo.timeToWin(this.deps.db, ctx.scope, ctx.sqlPeriod, ctx.now)) ?? {
      events: 0,
      censored: 0,
      kmMedianDays: null,
    };
    let groups = null;
    if (query.groupBy) {
      const groupBy = query.groupBy as repo.GroupBy;
      const rows = await repo.outcomes(this.deps.db, ctx.scope, ctx.sqlPeriod, groupBy);
      const label = await this.labeller(ctx, groupBy);
      groups = sortGroups(rows.map((r) => r.groupKey)).map((key) => ({
        key,
        label: label(key),
        result: this.outcomeOut(rows.find((r) => r.groupKey === key)),
      }));
    }
    return {
      metric: 'outcomes',
      definition: def('win-rate'),
      period: periodOut(ctx.period),
      result: {
        ...this.outcomeOut(overall),
        timeToWin: {
          n: km.events + km.censored,
          events: km.events,
          censored: km.censored,
          medianDays: km.kmMedianDays,
        },
      },
      groups,
    };
  }

  // ------------------------------------------------------------ dwell, standard funnel, health

  async dwellRows(ctx: Context, withPeriod: boolean) {
    const rows = await repo.dwellStats(
      this.deps.db,
      ctx.scope,
      ctx.now,
      withPeriod ? ctx.sqlPeriod : null,
    );
    return ctx.stages
      .filter((s) => s.kind === 'open')
      .map((s) => {
        const row = rows.find((r) => r.groupKey === s.id);
        const meanDays = row?.meanDays ?? null;
        const standard = s.standardDwellDays;
        return {
          stageId: s.id,
          name: s.name,
          count: row?.events ?? 0,
          openCount: row?.censored ?? 0,
          meanDays,
          medianDays: row?.medianDays ?? null,
          kmMedianDays: row?.kmMedianDays ?? null,
          standardDwellDays: standard,
          ratioToStandard: meanDays === null || !standard ? null : meanDays / standard,
        };
      });
  }

  async dwellReport(ctx: Context, _query: AnalyticsQueryInput) {
    return {
      metric: 'stage_dwell',
      definition: def('dwell'),
      period: periodOut(ctx.period),
      stages: await this.dwellRows(ctx, true),
    };
  }

  async standardRows(ctx: Context) {
    const rows = await this.openByStage(ctx);
    const open = ctx.stages.filter((s) => s.kind === 'open');
    const actualOf = (id: string) => rows.find((r) => r.stageId === id);
    const anchor = open.find((s) => (s.standardCountRatio ?? 0) > 0) ?? null;
    const anchorActual = anchor ? (actualOf(anchor.id)?.count ?? 0) : 0;
    return {
      anchorStageId: anchor?.id ?? null,
      weightedTotal: rows.reduce((sum, r) => sum + Number(r.weighted), 0),
      stages: open.map((s) => {
        const row = actualOf(s.id);
        const actual = row?.count ?? 0;
        const standard =
          anchor && s.standardCountRatio !== null
            ? (s.standardCountRatio / anchor.standardCountRatio!) * anchorActual
            : null;
        return {
          stageId: s.id,
          name: s.name,
          actual,
          amount: money(row?.amount ?? 0),
          weighted: money(row?.weighted ?? 0),
          standardCountRatio: s.standardCountRatio,
          standard,
          difference: standard === null ? null : actual - standard,
          ratioToStandard: standard ? actual / standard : null,
        };
      }),
    };
  }

  async standardFunnelReport(ctx: Context, _query: AnalyticsQueryInput) {
    const { anchorStageId, stages } = await this.standardRows(ctx);
    return {
      metric: 'standard_vs_actual',
      definition: def('standard-vs-actual'),
      anchorStageId,
      stages,
    };
  }

  /** The stored target for the filters' scope and the period (workspace, a team, or one rep). */
  private async targetFor(ctx: Context, query: AnalyticsQueryInput): Promise<number | null> {
    if (ctx.periodKind === 'custom' || ctx.periodKind === 'week') return null;
    const scope =
      query.ownerId?.length === 1
        ? { scope: 'user', scopeId: query.ownerId[0]! }
        : query.teamId
          ? { scope: 'team', scopeId: query.teamId }
          : { scope: 'workspace', scopeId: null };
    const target = await findTarget(
      this.deps.db,
      ctx.actor.workspaceId,
      scope.scope,
      scope.scopeId,
      ctx.periodKind,
      ctx.period.label,
    );
    return target?.amount ?? null;
  }

  async healthReport(ctx: Context, query: AnalyticsQueryInput & { target?: number | undefined }) {
    const target = query.target ?? (await this.targetFor(ctx, query));
    const [overall] = await this.overallOutcomes(ctx);
    const realised = Number(overall?.wonTotal ?? 0);
    const standard = await this.standardRows(ctx);
    const remaining = target === null ? null : target - realised;
    const cohort = await memo(ctx, 'cohort', () => this.cohort(ctx, null));
    const byId = new Map(ctx.stages.map((s) => [s.id, s]));
    const slope = cohort.steps.map((step) => {
      const a = byId.get(step.fromStageId)!.standardCountRatio;
      const b = byId.get(step.toStageId)!.standardCountRatio;
      const standardRate = a !== null && b !== null && a > 0 ? b / a : null;
      return {
        fromName: step.fromName,
        toName: step.toName,
        actual: step.rate.value,
        standard: standardRate,
        ratioToStandard:
          standardRate && step.rate.value !== null ? step.rate.value / standardRate : null,
      };
    });
    const withRatio = standard.stages.filter((r) => r.standardCountRatio !== null);
    const actualTotal = withRatio.reduce((s, r) => s + r.actual, 0);
    const ratioTotal = withRatio.reduce((s, r) => s + r.standardCountRatio!, 0);
    const tvd =
      actualTotal > 0 && ratioTotal > 0
        ? withRatio.reduce(
            (s, r) => s + Math.abs(r.actual / actualTotal - r.standardCountRatio! / ratioTotal),
            0,
          ) / 2
        : null;
    const dwell = await this.dwellRows(ctx, true);
    let meanSum = 0;
    let standardSum = 0;
    for (const row of dwell) {
      if (row.meanDays === null || !row.standardDwellDays) continue;
      meanSum += row.meanDays;
      standardSum += row.standardDwellDays;
    }
    return {
      metric: 'funnel_health',
      definition: def('funnel-health'),
      period: periodOut(ctx.period),
      capacity: {
        weightedPipeline: money(standard.weightedTotal),
        target: target === null ? null : money(target),
        realised: money(realised),
        remainingTarget: remaining === null ? null : money(remaining),
        coverage: remaining !== null && remaining > 0 ? standard.weightedTotal / remaining : null,
      },
      slope,
      evenness: { value: tvd === null ? null : 1 - tvd, totalVariationDistance: tvd },
      velocity: { overall: standardSum > 0 ? meanSum / standardSum : null },
    };
  }

  // ------------------------------------------------------------ forecast

  async forecastReport(ctx: Context, _query: AnalyticsQueryInput) {
    const rows = await repo.forecast(this.deps.db, ctx.scope, ctx.sqlPeriod);
    const excluded = await repo.forecastExcluded(this.deps.db, ctx.scope, ctx.sqlPeriod);
    const ownerLabel = await this.labeller(ctx, 'owner');
    const teamLabel = await this.labeller(ctx, 'team');
    const line = (
      r: repo.ForecastSqlRow | undefined,
      key: string | null,
      label: string | null,
    ) => ({
      key,
      label,
      realisedCount: r?.realisedCount ?? 0,
      openCount: r?.openCount ?? 0,
      realised: money(r?.realised ?? 0),
      weighted: money(r?.weighted ?? 0),
      total: money(Number(r?.realised ?? 0) + Number(r?.weighted ?? 0)),
    });
    const lines = (dimension: repo.ForecastSqlRow['dimension'], label: Labeller) =>
      sortGroups(rows.filter((r) => r.dimension === dimension).map((r) => r.key)).map((key) =>
        line(
          rows.find((r) => r.dimension === dimension && r.key === key),
          key,
          label(key),
        ),
      );
    const excludedOf = (kind: 'undated' | 'overdue') => {
      const row = excluded.find((e) => e.kind === kind);
      return { count: row?.count ?? 0, weighted: money(row?.weighted ?? 0) };
    };
    return {
      metric: 'weighted_forecast',
      definition: def('weighted-forecast'),
      period: periodOut(ctx.period),
      total: line(
        rows.find((r) => r.dimension === 'total'),
        null,
        null,
      ),
      byMonth: lines('month', (k) => k),
      byOwner: lines('owner', ownerLabel),
      byTeam: lines('team', teamLabel),
      byBucket: lines('bucket', (k) => k),
      byMonthBucket: rows
        .filter((r) => r.dimension === 'monthBucket')
        .sort(
          (a, b) => compareKeys(a.key, b.key) || compareKeys(a.bucket ?? null, b.bucket ?? null),
        )
        .map((r) => ({ month: r.key, ...line(r, r.bucket ?? null, r.bucket ?? null) })),
      excluded: { undated: excludedOf('undated'), overdue: excludedOf('overdue') },
    };
  }

  async backtestReport(ctx: Context, query: AnalyticsQueryInput & { month: string }) {
    const month = monthPeriod(query.month, ctx.settings.timeZone);
    const row = await repo.backtest(this.deps.db, ctx.scope, toSqlPeriod(month));
    const forecast = Number(row.forecast);
    const actual = Number(row.actual);
    return {
      metric: 'forecast_backtest',
      definition: def('forecast-backtest'),
      month: query.month,
      at: month.from.toISOString(),
      forecast: money(forecast),
      forecastCount: row.forecastCount,
      actual: money(actual),
      actualCount: row.actualCount,
      actualFromForecast: money(row.actualFromForecast),
      error: money(actual - forecast),
      ratio: forecast === 0 ? null : actual / forecast,
    };
  }

  async collectionsReport(ctx: Context, _query: AnalyticsQueryInput) {
    const today = localDate(ctx.now, ctx.settings.timeZone);
    const r = await repo.collectionCounts(this.deps.db, ctx.scope, ctx.sqlPeriod, today);
    return {
      metric: 'collection_forecast',
      definition: def('collections'),
      period: periodOut(ctx.period),
      expected: { count: r.expectedCount, amount: money(r.expected) },
      received: { count: r.receivedCount, amount: money(r.received) },
      receivedOfExpected: money(r.receivedOfExpected),
      collectionRate: rate(Number(r.receivedOfExpected), Number(r.expected)),
      outstanding: { count: r.outstandingCount, amount: money(r.outstanding) },
      overdue: { count: r.overdueCount, amount: money(r.overdue) },
    };
  }

  async calibrationReport(ctx: Context, _query: AnalyticsQueryInput) {
    const rows = await repo.calibrationCounts(this.deps.db, ctx.scope);
    return {
      metric: 'calibration',
      definition: def('calibration'),
      stages: ctx.stages
        .filter((s) => s.kind === 'open')
        .map((s) => {
          const row = rows.find((r) => r.stageId === s.id);
          const observed = rate(row?.won ?? 0, row?.closed ?? 0);
          const interval = withInterval(observed);
          const configured = s.winProbability / 100;
          return {
            stageId: s.id,
            name: s.name,
            configured,
            everIn: row?.everIn ?? 0,
            observed,
            interval,
            withinInterval: interval
              ? configured >= interval.lower && configured <= interval.upper
              : null,
          };
        }),
    };
  }

  async velocityReport(ctx: Context, _query: AnalyticsQueryInput) {
    const [row] = await this.overallOutcomes(ctx);
    const open = (await this.openByStage(ctx)).reduce((s, r) => s + r.count, 0);
    const out = this.outcomeOut(row);
    const count = row?.wonInPeriod ?? 0;
    const meanAmount = count === 0 ? null : Number(row!.wonTotal) / count;
    const cycle = row?.cycleMean ?? null;
    const perDay =
      meanAmount !== null && out.winRate.rate.value !== null && cycle !== null && cycle > 0
        ? (open * meanAmount * out.winRate.rate.value) / cycle
        : null;
    return {
      metric: 'sales_velocity',
      definition: def('sales-velocity'),
      period: periodOut(ctx.period),
      openDeals: open,
      averageWonAmount: meanAmount === null ? null : (meanAmount / 100).toFixed(4),
      winRate: out.winRate.rate,
      averageCycleDays: cycle,
      perDay: perDay === null ? null : (perDay / 100).toFixed(4),
      per30Days: perDay === null ? null : ((perDay * 30) / 100).toFixed(4),
    };
  }

  // ------------------------------------------------------------ breakdowns

  async lossReasonsReport(ctx: Context, _query: AnalyticsQueryInput) {
    const rows = await repo.lossCounts(this.deps.db, ctx.scope, ctx.sqlPeriod);
    const label = await this.picklistLabeller(ctx, 'loss_reason');
    const top = (subset: repo.LossSqlRow[]) => {
      const total = subset.reduce((s, r) => s + r.count, 0);
      const byReason = new Map<string | null, number>();
      for (const r of subset) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + r.count);
      return [...byReason.entries()]
        .sort((a, b) => b[1] - a[1] || compareKeys(a[0], b[0]))
        .slice(0, 3)
        .map(([reason, count]) => ({
          reason,
          label: label(reason),
          count,
          share: rate(count, total),
        }));
    };
    const stageIds = [...new Set(rows.map((r) => r.stageId))];
    const position = (id: string | null) =>
      ctx.stages.find((s) => s.id === id)?.position ?? (id === null ? Infinity : 1e9);
    stageIds.sort((a, b) => position(a) - position(b));
    return {
      metric: 'loss_reasons',
      definition: def('loss-reasons'),
      period: periodOut(ctx.period),
      lost: rows.reduce((s, r) => s + r.count, 0),
      top: top(rows),
      byStage: stageIds.map((stageId) => {
        const subset = rows.filter((r) => r.stageId === stageId);
        return {
          stageId,
          name: ctx.stages.find((s) => s.id === stageId)?.name ?? null,
          lost: subset.reduce((s, r) => s + r.count, 0),
          top: top(subset),
        };
      }),
    };
  }

  async teamReport(ctx: Context, _query: AnalyticsQueryInput) {
    const cohort = await repo.teamCohort(this.deps.db, ctx.scope, ctx.sqlPeriod);
    const compliance = await repo.complianceCounts(
      this.deps.db,
      ctx.scope,
      ctx.sqlPeriod,
      ctx.now,
      ctx.settings.rules.followUpGraceHours,
    );
    const owners = new Map<string, string>();
    for (const r of cohort) owners.set(r.ownerId, r.ownerName);
    for (const r of compliance) owners.set(r.ownerId, r.ownerName);
    const reps = [...owners.entries()]
      .sort((a, b) => compareKeys(a[0], b[0]))
      .map(([ownerId, name]) => {
        const c = cohort.find((r) => r.ownerId === ownerId);
        const f = compliance.find((r) => r.ownerId === ownerId);
        const size = c?.cohort ?? 0;
        const counted = (f?.due ?? 0) - (f?.cancelled ?? 0);
        return {
          ownerId,
          name,
          cohort: size,
          won: c?.won ?? 0,
          conversion: rate(c?.won ?? 0, size),
          followUpsPerOpportunity: size === 0 ? null : (c?.doneFollowUps ?? 0) / size,
          priorityA: rate(c?.priorityAWon ?? 0, c?.priorityA ?? 0),
          compliance: {
            due: f?.due ?? 0,
            cancelled: f?.cancelled ?? 0,
            onTime: f?.onTime ?? 0,
            late: f?.late ?? 0,
            overdue: f?.overdue ?? 0,
            onTimeRate: rate(f?.onTime ?? 0, counted),
            overdueRate: rate(f?.overdue ?? 0, counted),
            lateEntryRate: rate(f?.lateEntries ?? 0, f?.doneInPeriod ?? 0),
          },
        };
      });
    return {
      metric: 'team_effectiveness',
      definition: def('team-effectiveness'),
      period: periodOut(ctx.period),
      reps,
    };
  }

  async channelsReport(
    ctx: Context,
    query: AnalyticsQueryInput & { groupBy?: string | undefined },
  ) {
    const groupBy = (query.groupBy ?? 'source') as repo.GroupBy;
    const rows = await repo.channelCounts(this.deps.db, ctx.scope, ctx.sqlPeriod, groupBy);
    const label = await this.labeller(ctx, groupBy);
    return {
      metric: 'channel_effectiveness',
      definition: def('channel-effectiveness'),
      period: periodOut(ctx.period),
      groupBy,
      channels: sortGroups(rows.map((r) => r.groupKey)).map((key) => {
        const r = rows.find((x) => x.groupKey === key)!;
        const total = Number(r.wonTotal);
        return {
          key,
          label: label(key),
          created: r.created,
          won: r.won,
          conversion: rate(r.won, r.created),
          wonTotal: money(total),
          averageWonAmount: r.won === 0 ? null : money(roundMinor(total / r.won)),
        };
      }),
    };
  }

  async missedEntryReport(ctx: Context, _query: AnalyticsQueryInput) {
    const required = (await listCustomFields(this.deps.db, ctx.actor.workspaceId, 'opportunity'))
      .filter((f) => f.required && f.active)
      .map((f) => f.key);
    const rows = await repo.missedEntry(this.deps.db, ctx.scope, ctx.sqlPeriod, required);
    const byField = new Map<string, number>();
    let missed = 0;
    for (const row of rows) {
      if (row.missing.length > 0) missed++;
      for (const field of row.missing) byField.set(field, (byField.get(field) ?? 0) + 1);
    }
    return {
      metric: 'missed_entry_rate',
      definition: def('missed-entry-rate'),
      period: periodOut(ctx.period),
      contacted: rows.length,
      missed,
      rate: rate(missed, rows.length),
      byField: [...byField.entries()]
        .sort((a, b) => b[1] - a[1] || compareKeys(a[0], b[0]))
        .map(([field, count]) => ({ field, count })),
    };
  }

  async bottlenecksReport(
    ctx: Context,
    query: AnalyticsQueryInput & { benchmark: 'history' | 'configured' },
  ) {
    const conversion = await memo(ctx, 'cohort', () => this.cohort(ctx, null));
    let benchmarks: Benchmark[];
    if (query.benchmark === 'history') {
      if (ctx.periodKind === 'custom') {
        const length = ctx.period.to.getTime() - ctx.period.from.getTime();
        const previous: Period = {
          from: new Date(ctx.period.from.getTime() - length),
          to: ctx.period.from,
          timeZone: ctx.period.timeZone,
          label: 'previous',
        };
        benchmarks = historicalBenchmarks(
          await this.cohort({ ...ctx, period: previous, sqlPeriod: toSqlPeriod(previous) }, null),
        );
      } else {
        const previous = shiftPeriod(ctx.periodKind, ctx.period, -1);
        benchmarks = historicalBenchmarks(
          await this.cohort({ ...ctx, period: previous, sqlPeriod: toSqlPeriod(previous) }, null),
        );
      }
    } else {
      const byName = new Map(ctx.funnel.map((s) => [s.name, s]));
      benchmarks = ctx.settings.rules.conversionBenchmarks.flatMap((b) => {
        const from = byName.get(b.fromStage);
        const to = byName.get(b.toStage);
        if (!from || !to || ctx.funnel.indexOf(to) <= ctx.funnel.indexOf(from)) return [];
        return [
          { fromStageId: from.id, toStageId: to.id, rate: b.rate, source: 'configured' as const },
        ];
      });
    }
    const stageRow = new Map(conversion.stages.map((s) => [s.stageId, s]));
    const rows = benchmarks
      .filter((b) => b.rate > 0 && b.rate < 1)
      .map((b) => {
        const from = stageRow.get(b.fromStageId)!;
        const to = stageRow.get(b.toStageId)!;
        const a = assessConversion(to.reached, from.reached, b.rate);
        return {
          fromStageId: from.stageId,
          toStageId: to.stageId,
          fromName: from.name,
          toName: to.name,
          benchmark: b.rate,
          source: b.source,
          successes: to.reached,
          n: from.reached,
          observed: a.observed.value,
          interval: a.interval,
          verdict: a.verdict,
          pValueBelow: a.pBelow,
          pValueAbove: a.pAbove,
        };
      });
    return {
      metric: 'bottlenecks',
      definition: def('bottlenecks'),
      period: periodOut(ctx.period),
      benchmark: query.benchmark,
      rows,
    };
  }

  async trendReport(
    ctx: Context,
    query: AnalyticsQueryInput & { interval: 'month' | 'quarter'; count: number },
  ) {
    // The trend ends with the bucket holding the period's last day, or today when that is earlier.
    const end = Math.max(
      ctx.period.from.getTime(),
      Math.min(ctx.period.to.getTime() - 1, ctx.now.getTime()),
    );
    const current = periodContaining(query.interval, new Date(end), ctx.period.timeZone);
    const first = shiftPeriod(query.interval, current, -(query.count - 1));
    const span: Period = {
      from: first.from,
      to: current.to,
      timeZone: current.timeZone,
      label: `${first.label}..${current.label}`,
    };
    const buckets = Array.from({ length: query.count }, (_, i) =>
      shiftPeriod(query.interval, first, i),
    );
    const rows = await repo.cohortTrend(this.deps.db, ctx.scope, buckets);
    const points = [];
    for (const p of buckets) {
      const r = rows.find((x) => x.bucket === p.label);
      const created = r?.created ?? 0;
      const won = r?.won ?? 0;
      const lost = r?.lost ?? 0;
      points.push({
        bucket: p.label,
        created,
        won,
        lost,
        conversion: rate(won, created),
        winRate: rate(won, won + lost),
        wonAmount: money(r?.wonAmount ?? 0),
      });
    }
    return {
      metric: 'cohort_trend',
      definition: def('cohort-conversion'),
      period: periodOut(span),
      interval: query.interval,
      points,
    };
  }

  /**
   * The dashboard's whole set for one filter in one answer: cohort funnel, outcomes, dwell,
   * standard funnel, weighted forecast, velocity, loss reasons, team, channels, bottlenecks and
   * the monthly trend. The queries run concurrently (on PostgreSQL; PGlite serialises them).
   */
  async dashboardReport(ctx: Context, query: AnalyticsQueryInput) {
    const [
      funnel,
      outcomes,
      dwell,
      standard,
      forecast,
      velocity,
      losses,
      team,
      channels,
      bottlenecks,
      trend,
    ] = await Promise.all([
      this.funnelReport(ctx, { ...query, mode: 'cohort' }),
      this.outcomesReport(ctx, query),
      this.dwellReport(ctx, query),
      this.standardFunnelReport(ctx, query),
      this.forecastReport(ctx, query),
      this.velocityReport(ctx, query),
      this.lossReasonsReport(ctx, query),
      this.teamReport(ctx, query),
      this.channelsReport(ctx, query),
      this.bottlenecksReport(ctx, { ...query, benchmark: 'history' }),
      this.trendReport(ctx, { ...query, interval: 'month', count: 12 }),
    ]);
    return {
      period: periodOut(ctx.period),
      funnel,
      outcomes,
      dwell,
      standard,
      forecast,
      velocity,
      losses,
      team,
      channels,
      bottlenecks,
      trend,
    };
  }

  /** Reverse funnel (docs/analytics.md#target-decomposition); conversion may be measured from a cohort. */
  async decompose(
    actor: Actor,
    body: {
      revenueTarget: number;
      averageDealSize: number;
      conversion:
        | { standardCounts: number[] }
        | { stageConversions: number[] }
        | { overall: number }
        | { measured: true; pipelineId?: string | undefined; from: string; to: string };
      sellingWeeks: number;
      cycleWeeks: number;
      newOpportunitiesPerRepPerWeek: number;
    },
  ) {
    let source: ConversionSource;
    const c = body.conversion;
    if ('measured' in c) {
      const ctx = await this.context(actor, {
        period: 'custom',
        from: c.from,
        to: c.to,
        pipelineId: c.pipelineId,
      });
      const cohort = await this.cohort(ctx, null);
      const won = cohort.stages[cohort.stages.length - 1]!.cumulative.value;
      if (!won) throw invalid('conversion.from', 'no_wins_in_cohort', { from: c.from, to: c.to });
      source = { kind: 'overall', rate: won };
    } else if ('standardCounts' in c) {
      source = { kind: 'standardCounts', counts: c.standardCounts };
    } else if ('stageConversions' in c) {
      source = { kind: 'stageConversions', rates: c.stageConversions };
    } else {
      source = { kind: 'overall', rate: c.overall };
    }
    const conversion = overallConversion(source);
    if (!(conversion > 0 && conversion <= 1)) {
      // Only stage counts can say more reach the end than start (overall and stage rates are in
      // (0, 1] by the schema): a count above the one before it.
      throw invalid('conversion.standardCounts', 'counts_increase');
    }
    const result = targetDecomposition({
      revenueTarget: body.revenueTarget,
      averageDealSize: body.averageDealSize,
      conversion: source,
      sellingWeeks: body.sellingWeeks,
      cycleWeeks: body.cycleWeeks,
      newOpportunitiesPerRepPerWeek: body.newOpportunitiesPerRepPerWeek,
    });
    return {
      metric: 'target_decomposition',
      definition: def('target-decomposition'),
      conversion,
      dealsNeeded: result.dealsNeeded,
      winsPerWeek: result.winsPerWeek,
      newOpportunities: result.newOpportunities,
      newOpportunitiesPerWeek: result.newOpportunitiesPerWeek,
      repsNeeded: result.repsNeeded,
      leadTimeWeeks: result.leadTimeWeeks,
      lastEntryWeek: result.lastEntryWeek,
    };
  }
}

/** Group keys in code-unit order, the null group last (docs/analytics.md#grouping). */
export function sortGroups(keys: (string | null)[]): (string | null)[] {
  return [...new Set(keys)].sort(compareKeys);
}

function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

export { ceilCount };
