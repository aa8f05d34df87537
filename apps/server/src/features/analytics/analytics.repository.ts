/**
 * The analytics of SPEC F-6 / F-7 as SQL run by the database (definitions: docs/analytics.md;
 * the pure reference in packages/domain/src/analytics returns the same numbers, which the
 * property tests check). Every query takes an AnalyticsScope: the actor's visibility, one
 * pipeline and the filters, applied to the opportunities alias `o`.
 */
import { sql, type SQL } from 'drizzle-orm';
import { DEFAULT_SIZE_BANDS } from '@funnel/domain';
import type { Executor } from '../../db/database';
import { queryRows } from '../../db/query';
import type { Actor } from '../access/actor';
import { opportunityVisibilitySql } from '../access/access';

export interface AnalyticsFilters {
  ownerIds?: string[] | undefined;
  teamIds?: string[] | undefined;
  regions?: string[] | undefined;
  productLines?: string[] | undefined;
  industries?: string[] | undefined;
  sources?: string[] | undefined;
  priorities?: string[] | undefined;
  sizeBands?: string[] | undefined;
  customFields?: { key: string; value: string }[] | undefined;
}

export interface AnalyticsScope {
  actor: Actor;
  pipelineId: string;
  filters: AnalyticsFilters;
  /**
   * True when the scope is "the whole pipeline": the actor sees everything and no filter is set.
   * Queries over events and follow-ups then need not join opportunities (the stage, or the only
   * pipeline, already says whose they are), which keeps them off the largest table.
   */
  wholePipeline?: boolean;
  /** The workspace has this one pipeline only. */
  onlyPipeline?: boolean;
}

/**
 * Restricts stage changes (alias `alias`) to the scope: through the event's stage when the scope
 * is the whole pipeline, otherwise through the opportunity (alias `o`) and scopeSql.
 */
function eventScopeJoin(scope: AnalyticsScope, alias: string): SQL {
  const a = sql.raw(alias);
  if (scope.wholePipeline) {
    return sql`join stages es on es.id = ${a}.to_stage_id and es.pipeline_id = ${scope.pipelineId}::uuid`;
  }
  return sql`join opportunities o on o.id = ${a}.opportunity_id and ${scopeSql(scope)}`;
}

/** A period in instants plus its calendar-date bounds in the workspace zone. */
export interface SqlPeriod {
  from: Date;
  to: Date;
  /** local date of `from` (inclusive) */
  fromDate: string;
  /** local date of `to` (exclusive) */
  toDate: string;
}

export type GroupBy =
  | 'owner'
  | 'team'
  | 'region'
  | 'productLine'
  | 'industry'
  | 'source'
  | 'priority'
  | 'sizeBand'
  | `custom:${string}`;

const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;
const ids = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}::uuid`),
    sql`, `,
  );
const texts = (values: string[]) =>
  sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  );

/** SQL of a size band by account employees, as `sizeBand()` in the domain. */
function sizeBandSql(employees: SQL): SQL {
  const bands = [...DEFAULT_SIZE_BANDS].sort((a, b) => b.min - a.min);
  const cases = bands.map((b) => sql`when ${employees} >= ${b.min} then ${b.label}`);
  return sql`(case ${sql.join(cases, sql` `)} else null end)`;
}

const employeesOf = sql`(select a.employees from accounts a where a.id = o.account_id)`;

/** The group key of an opportunity as SQL text (null = the "none" group), as `groupKeys` in the domain. */
export function groupKeySql(groupBy: GroupBy): SQL {
  switch (groupBy) {
    case 'owner':
      return sql`o.owner_id::text`;
    case 'team':
      return sql`o.team_id::text`;
    case 'region':
      return sql`nullif(o.region, '')`;
    case 'productLine':
      return sql`nullif(o.product_line, '')`;
    case 'industry':
      return sql`nullif(o.industry, '')`;
    case 'source':
      return sql`nullif(o.source, '')`;
    case 'priority':
      return sql`o.priority`;
    case 'sizeBand':
      return sizeBandSql(employeesOf);
    default: {
      const key = groupBy.slice('custom:'.length);
      return sql`nullif(o.custom_fields ->> ${key}, '')`;
    }
  }
}

/** Visibility, pipeline and filters as one condition on `o`. */
export function scopeSql(scope: AnalyticsScope): SQL {
  const f = scope.filters;
  const parts: SQL[] = [
    opportunityVisibilitySql(scope.actor, 'o'),
    sql`o.pipeline_id = ${scope.pipelineId}::uuid`,
  ];
  if (f.ownerIds?.length) parts.push(sql`o.owner_id in (${ids(f.ownerIds)})`);
  if (f.teamIds) parts.push(f.teamIds.length ? sql`o.team_id in (${ids(f.teamIds)})` : sql`false`);
  if (f.regions?.length) parts.push(sql`o.region in (${texts(f.regions)})`);
  if (f.productLines?.length) parts.push(sql`o.product_line in (${texts(f.productLines)})`);
  if (f.industries?.length) parts.push(sql`o.industry in (${texts(f.industries)})`);
  if (f.sources?.length) parts.push(sql`o.source in (${texts(f.sources)})`);
  if (f.priorities?.length) parts.push(sql`o.priority in (${texts(f.priorities)})`);
  if (f.sizeBands?.length) parts.push(sql`${sizeBandSql(employeesOf)} in (${texts(f.sizeBands)})`);
  for (const cf of f.customFields ?? [])
    parts.push(sql`o.custom_fields ->> ${cf.key} = ${cf.value}`);
  return sql.join(parts, sql` and `);
}

const groupOrNull = (groupBy: GroupBy | undefined) =>
  groupBy ? groupKeySql(groupBy) : sql`null::text`;

// ---------------------------------------------------------------- funnel

export interface ReachedRow {
  groupKey: string | null;
  position: number;
  count: number;
  lost: number;
}

/**
 * Cohort created in the period, by furthest position reached and lost status now
 * (docs/analytics.md#cohort-conversion). Uses the maintained `reached_position`.
 */
export async function cohortReached(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
  groupBy?: GroupBy,
): Promise<ReachedRow[]> {
  return numeric(
    await queryRows<ReachedRow>(
      q,
      sql`select ${groupOrNull(groupBy)} as "groupKey", o.reached_position as position, count(*)::int as count,
            (count(*) filter (where o.status = 'lost'))::int as lost
          from opportunities o
          where ${scopeSql(scope)} and o.acquired_at >= ${ts(period.from)} and o.acquired_at < ${ts(period.to)}
          group by 1, 2`,
    ),
  );
}

/** The same, rebuilt from the stage history as of an instant (docs/analytics.md#as-of). */
export async function cohortReachedAsOf(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
  asOf: Date,
  groupBy?: GroupBy,
): Promise<ReachedRow[]> {
  return numeric(
    await queryRows<ReachedRow>(
      q,
      sql`with cohort as (
            select o.id, ${groupOrNull(groupBy)} as group_key from opportunities o
            where ${scopeSql(scope)} and o.acquired_at >= ${ts(period.from)} and o.acquired_at < ${ts(period.to)}
              and o.acquired_at <= ${ts(asOf)}
          ),
          states as (
            select c.id, c.group_key,
              max(s.position) filter (where s.kind in ('open', 'won')) as furthest,
              (array_agg(sc.status order by sc.changed_at desc, sc.id desc))[1] as status
            from cohort c
            join stage_changes sc on sc.opportunity_id = c.id and sc.changed_at <= ${ts(asOf)}
            join stages s on s.id = sc.to_stage_id
            group by c.id, c.group_key
          )
          select group_key as "groupKey", furthest as position, count(*)::int as count,
            (count(*) filter (where status = 'lost'))::int as lost
          from states where furthest is not null group by 1, 2`,
    ),
  );
}

export async function cohortSizeAsOf(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
  asOf: Date | null,
) {
  const rows = await queryRows<{ n: number }>(
    q,
    sql`select count(*)::int as n from opportunities o
        where ${scopeSql(scope)} and o.acquired_at >= ${ts(period.from)} and o.acquired_at < ${ts(period.to)}
        ${asOf ? sql`and o.acquired_at <= ${ts(asOf)}` : sql``}`,
  );
  return rows[0]!.n;
}

export interface FlowRow {
  position: number;
  entered: number;
  advanced: number;
}

/**
 * Period flow (docs/analytics.md#period-flow-conversion): per funnel position k, opportunities
 * whose position moved from below k to k or beyond during the period (first such event), and of
 * those the ones at k+1 or beyond from that event until the end of the period. Position after an
 * event = its target stage's position, or for a loss the position it was lost from.
 */
export async function periodFlow(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
  funnelLength: number,
): Promise<FlowRow[]> {
  return numeric(
    await queryRows<FlowRow>(
      q,
      sql`with opp as (
            select distinct x.opportunity_id as id from stage_changes x ${eventScopeJoin(scope, 'x')}
            where x.workspace_id = ${scope.actor.workspaceId} and x.changed_at >= ${ts(period.from)} and x.changed_at < ${ts(period.to)}
          ),
          ev as (
            select sc.opportunity_id as id, sc.changed_at, sc.id as seq,
              case when ts.kind = 'lost' then fs.position when ts.kind in ('open', 'won') then ts.position end as pos
            from stage_changes sc join opp on opp.id = sc.opportunity_id
            join stages ts on ts.id = sc.to_stage_id
            left join stages fs on fs.id = sc.from_stage_id
            where sc.changed_at < ${ts(period.to)}
          ),
          walked as (
            select id, changed_at, seq, pos as pos_after,
              coalesce(lag(pos) over (partition by id order by changed_at, seq), 0) as pos_before
            from ev where pos is not null
          ),
          in_period as (select * from walked where changed_at >= ${ts(period.from)}),
          entries as (
            select e.id, k, min(e.changed_at) as first_at
            from in_period e cross join lateral generate_series(e.pos_before + 1, e.pos_after) as k
            where e.pos_after > e.pos_before and k between 1 and ${funnelLength}
            group by e.id, k
          )
          select n.k as position, count(*)::int as entered,
            (count(*) filter (where exists (
              select 1 from in_period e where e.id = n.id and e.changed_at >= n.first_at and e.pos_after >= n.k + 1)))::int as advanced
          from entries n group by n.k`,
    ),
  );
}

// ---------------------------------------------------------------- outcomes

export interface OutcomeRow {
  groupKey: string | null;
  won: number;
  lost: number;
  open: number;
  postponed: number;
  wonInPeriod: number;
  wonTotal: string;
  cycleMean: number | null;
  cycleMedian: number | null;
}

/** Win rate, deal size and sales cycle per group (docs/analytics.md#win-rate, #average-deal-size, #sales-cycle). */
export async function outcomes(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
  groupBy?: GroupBy,
): Promise<OutcomeRow[]> {
  const closedIn = sql`o.closed_at >= ${ts(period.from)} and o.closed_at < ${ts(period.to)}`;
  const wonIn = sql`o.status = 'won' and o.won_date >= ${period.fromDate}::date and o.won_date < ${period.toDate}::date`;
  const rows = await queryRows<OutcomeRow>(
    q,
    sql`select ${groupOrNull(groupBy)} as "groupKey",
          (count(*) filter (where ${closedIn} and o.status = 'won'))::int as won,
          (count(*) filter (where ${closedIn} and o.status = 'lost'))::int as lost,
          (count(*) filter (where not coalesce(${closedIn}, false) and o.acquired_at < ${ts(period.to)} and o.status = 'open'))::int as open,
          (count(*) filter (where not coalesce(${closedIn}, false) and o.acquired_at < ${ts(period.to)} and o.status = 'postponed'))::int as postponed,
          (count(*) filter (where ${wonIn}))::int as "wonInPeriod",
          coalesce(sum(o.won_amount) filter (where ${wonIn}), 0)::text as "wonTotal",
          avg(extract(epoch from o.closed_at - o.acquired_at) / 86400) filter (where ${wonIn} and o.closed_at is not null) as "cycleMean",
          percentile_cont(0.5) within group (order by extract(epoch from o.closed_at - o.acquired_at) / 86400)
            filter (where ${wonIn} and o.closed_at is not null) as "cycleMedian"
        from opportunities o
        where ${scopeSql(scope)} and (${closedIn} or (${wonIn}) or (o.status in ('open', 'postponed') and o.acquired_at < ${ts(period.to)}))
        group by 1`,
  );
  return rows.map((r) => ({ ...r, cycleMean: num(r.cycleMean), cycleMedian: num(r.cycleMedian) }));
}

/** Per group: observed times (`event`) and censored ones, their mean and median, and the KM median. */
export interface SurvivalStats {
  groupKey: string | null;
  events: number;
  censored: number;
  meanDays: number | null;
  medianDays: number | null;
  kmMedianDays: number | null;
}

/**
 * Kaplan–Meier in SQL over observations (grp, days, event): S(t) = product over event times of
 * (1 - d/n) (n at risk just before t; events before censorings at a tie), taken as exp(sum ln) with
 * a count of factors that are 0; the median is the first event time with S <= 0.5 (a 1e-9
 * tolerance absorbs the logarithms' rounding). Mean and median are over the events' times.
 * The same estimator as kaplanMeier() in the domain (docs/analytics.md#days-means-and-medians).
 */
function survivalSql(observations: SQL): SQL {
  return sql`with obs as (${observations}),
    g as (select grp, days, count(*) filter (where event) as e, count(*) as c from obs group by 1, 2),
    r as (select grp, days, e, sum(c) over (partition by grp order by days desc) as at_risk from g),
    s as (
      select grp, days, e,
        sum(case when e = at_risk then 1 else 0 end) over w as zeros,
        sum(case when e > 0 and e < at_risk then ln(1 - e::float8 / at_risk) else 0 end) over w as logs
      from r window w as (partition by grp order by days rows between unbounded preceding and current row)
    ),
    km as (select grp, min(days) filter (where e > 0 and (zeros > 0 or exp(logs) <= 0.5 + 1e-9)) as median from s group by grp),
    stats as (
      select grp, (count(*) filter (where event))::int as events, (count(*) filter (where not event))::int as censored,
        avg(days) filter (where event) as mean,
        percentile_cont(0.5) within group (order by days) filter (where event) as median
      from obs group by grp
    )
    select stats.grp::text as "groupKey", stats.events, stats.censored, stats.mean as "meanDays",
      stats.median as "medianDays", km.median as "kmMedianDays"
    from stats left join km on km.grp is not distinct from stats.grp`;
}

const survivalRows = (rows: SurvivalStats[]) =>
  rows.map((r) => ({
    ...r,
    events: Number(r.events),
    censored: Number(r.censored),
    meanDays: r.meanDays === null ? null : Number(r.meanDays),
    medianDays: r.medianDays === null ? null : Number(r.medianDays),
    kmMedianDays: r.kmMedianDays === null ? null : Number(r.kmMedianDays),
  }));

/**
 * Time to win (docs/analytics.md#time-to-win): Kaplan–Meier over the cohort, won at closed_at =
 * event; lost at closed_at, open/postponed at now = censored.
 */
export async function timeToWin(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
  now: Date,
): Promise<SurvivalStats | undefined> {
  const rows = await queryRows<SurvivalStats>(
    q,
    survivalSql(sql`
      select 1 as grp, extract(epoch from (case when o.closed_at is not null and o.closed_at <= ${ts(now)} then o.closed_at else ${ts(now)} end)
          - o.acquired_at)::float8 / 86400 as days,
        (o.status = 'won' and o.closed_at is not null and o.closed_at <= ${ts(now)}) as event
      from opportunities o
      where ${scopeSql(scope)} and o.acquired_at >= ${ts(period.from)} and o.acquired_at < ${ts(period.to)}
        and o.acquired_at <= ${ts(now)}`),
  );
  return survivalRows(rows)[0];
}

// ---------------------------------------------------------------- dwell

/**
 * Stays per stage (docs/analytics.md#dwell): a stay starts with an event whose target differs
 * from the previous event's and ends at the next start; events after `now` are ignored; with a
 * period only stays started in it. Per stage: completed (events), running (censored), mean and
 * median of completed stays, and the KM median.
 */
export async function dwellStats(
  q: Executor,
  scope: AnalyticsScope,
  now: Date,
  period: SqlPeriod | null,
): Promise<SurvivalStats[]> {
  // Stays ended by a change carry their start (stage_changes.stay_started_at, the change before):
  // their stage is the change's from-stage; a change after `now` leaves the stay running at now.
  // Stays still running are each opportunity's current stay (stage_entered_at).
  const endedIn = period
    ? sql`and sc.stay_started_at >= ${ts(period.from)} and sc.stay_started_at < ${ts(period.to)}`
    : sql`and sc.stay_started_at is not null`;
  const runningIn = period
    ? sql`and o.stage_entered_at >= ${ts(period.from)} and o.stage_entered_at < ${ts(period.to)}`
    : sql``;
  const endedScope = scope.wholePipeline
    ? sql`join stages es on es.id = sc.from_stage_id and es.pipeline_id = ${scope.pipelineId}::uuid and es.kind = 'open'`
    : sql`join stages es on es.id = sc.from_stage_id and es.kind = 'open'
          join opportunities o on o.id = sc.opportunity_id and ${scopeSql(scope)}`;
  const rows = await queryRows<SurvivalStats>(
    q,
    survivalSql(sql`
      with stays as (
        select sc.from_stage_id as stage_id, sc.stay_started_at as entered_at,
          case when sc.changed_at <= ${ts(now)} then sc.changed_at end as left_at
        from stage_changes sc ${endedScope}
        where sc.workspace_id = ${scope.actor.workspaceId} ${endedIn} and sc.stay_started_at <= ${ts(now)}
          and sc.from_stage_id is distinct from sc.to_stage_id
        union all
        select o.stage_id, o.stage_entered_at, null
        from opportunities o join stages os on os.id = o.stage_id and os.kind = 'open'
        where ${scopeSql(scope)} ${runningIn} and o.stage_entered_at <= ${ts(now)} and o.status in ('open', 'postponed')
      )
      select stage_id as grp, extract(epoch from coalesce(left_at, ${ts(now)}) - entered_at)::float8 / 86400 as days,
        left_at is not null as event
      from stays`),
  );
  return survivalRows(rows);
}

// ---------------------------------------------------------------- open pipeline

export interface OpenStageRow {
  stageId: string;
  count: number;
  amount: string;
  weighted: string;
}

/** Open (not postponed) opportunities now per stage, with amounts and weighted amounts (rounded per opportunity). */
export async function openByStage(q: Executor, scope: AnalyticsScope): Promise<OpenStageRow[]> {
  return queryRows<OpenStageRow>(
    q,
    sql`select o.stage_id as "stageId", count(*)::int as count, coalesce(sum(o.expected_amount), 0)::text as amount,
          coalesce(sum(round(o.expected_amount::numeric * coalesce(o.win_probability, s.win_probability) / 100)), 0)::text as weighted
        from opportunities o join stages s on s.id = o.stage_id
        where ${scopeSql(scope)} and o.status = 'open'
        group by 1`,
  );
}

// ---------------------------------------------------------------- forecast

export interface ForecastSqlRow {
  dimension: 'total' | 'month' | 'owner' | 'team' | 'bucket' | 'monthBucket';
  key: string | null;
  /** for monthBucket: the bucket (key is the month) */
  bucket?: string | null;
  realisedCount: number;
  openCount: number;
  realised: string;
  weighted: string;
}

/**
 * Weighted forecast (docs/analytics.md#weighted-forecast): realised = won in the period (by won
 * date) at 100%; weighted = open deals expected to close in the period x probability (override,
 * else stage), rounded per deal; grouped by month, owner, team and bucket in one pass.
 */
export async function forecast(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
): Promise<ForecastSqlRow[]> {
  return queryRows<ForecastSqlRow>(
    q,
    sql`with items as (
          select o.owner_id::text as owner, o.team_id::text as team,
            case when o.status = 'won' then to_char(o.won_date, 'YYYY-MM') else to_char(o.expected_close_date, 'YYYY-MM') end as month,
            case when o.status = 'won' then 'closed_won' else coalesce(o.forecast_category_override, s.forecast_category) end as bucket,
            (o.status = 'won') as realised,
            case when o.status = 'won' then o.won_amount::numeric
                 else round(o.expected_amount::numeric * coalesce(o.win_probability, s.win_probability) / 100) end as amount
          from opportunities o join stages s on s.id = o.stage_id
          where ${scopeSql(scope)} and (
            (o.status = 'won' and o.won_date >= ${period.fromDate}::date and o.won_date < ${period.toDate}::date)
            or (o.status = 'open' and o.expected_close_date >= ${period.fromDate}::date and o.expected_close_date < ${period.toDate}::date))
        )
        select case when grouping(month) = 0 and grouping(bucket) = 0 then 'monthBucket'
                    when grouping(month) = 0 then 'month' when grouping(owner) = 0 then 'owner'
                    when grouping(team) = 0 then 'team' when grouping(bucket) = 0 then 'bucket' else 'total' end as dimension,
          coalesce(case when grouping(month) = 0 then month end, case when grouping(owner) = 0 then owner end,
                   case when grouping(team) = 0 then team end, case when grouping(bucket) = 0 then bucket end) as key,
          case when grouping(month) = 0 and grouping(bucket) = 0 then bucket end as bucket,
          (count(*) filter (where realised))::int as "realisedCount", (count(*) filter (where not realised))::int as "openCount",
          coalesce(sum(amount) filter (where realised), 0)::text as realised,
          coalesce(sum(amount) filter (where not realised), 0)::text as weighted
        from items
        group by grouping sets ((month), (owner), (team), (bucket), (month, bucket), ())`,
  );
}

export interface ExcludedRow {
  kind: 'undated' | 'overdue';
  count: number;
  weighted: string;
}

/** Open deals the forecast leaves out: without an expected close date, or expected before the period. */
export async function forecastExcluded(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
): Promise<ExcludedRow[]> {
  return queryRows<ExcludedRow>(
    q,
    sql`select case when o.expected_close_date is null then 'undated' else 'overdue' end as kind, count(*)::int as count,
          coalesce(sum(round(o.expected_amount::numeric * coalesce(o.win_probability, s.win_probability) / 100)), 0)::text as weighted
        from opportunities o join stages s on s.id = o.stage_id
        where ${scopeSql(scope)} and o.status = 'open' and (o.expected_close_date is null or o.expected_close_date < ${period.fromDate}::date)
        group by 1`,
  );
}

export interface BacktestRow {
  forecast: string;
  forecastCount: number;
  actual: string;
  actualCount: number;
  actualFromForecast: string;
}

/**
 * Forecast backtest (docs/analytics.md#forecast-backtest): the weighted forecast for month M as
 * it stood at the start of M (stage and status rebuilt from history; other fields as now) against
 * what was won in M.
 */
export async function backtest(
  q: Executor,
  scope: AnalyticsScope,
  month: SqlPeriod,
): Promise<BacktestRow> {
  const rows = await queryRows<BacktestRow>(
    q,
    sql`with candidates as (
          select o.id, o.expected_amount, o.win_probability, o.status, o.won_amount, o.won_date, o.expected_close_date
          from opportunities o
          where ${scopeSql(scope)} and (
            (o.expected_close_date >= ${month.fromDate}::date and o.expected_close_date < ${month.toDate}::date)
            or (o.status = 'won' and o.won_date >= ${month.fromDate}::date and o.won_date < ${month.toDate}::date))
        ),
        at_start as (
          select distinct on (c.id) c.id, sc.status, sc.to_stage_id
          from candidates c join stage_changes sc on sc.opportunity_id = c.id and sc.changed_at <= ${ts(month.from)}
          order by c.id, sc.changed_at desc, sc.id desc
        ),
        predicted as (
          select c.id, round(c.expected_amount::numeric * coalesce(c.win_probability, s.win_probability) / 100) as weighted
          from candidates c join at_start a on a.id = c.id join stages s on s.id = a.to_stage_id
          where a.status = 'open' and c.expected_close_date >= ${month.fromDate}::date and c.expected_close_date < ${month.toDate}::date
        ),
        actual as (
          select c.id, c.won_amount from candidates c
          where c.status = 'won' and c.won_date >= ${month.fromDate}::date and c.won_date < ${month.toDate}::date
        )
        select coalesce((select sum(weighted) from predicted), 0)::text as forecast,
          (select count(*) from predicted)::int as "forecastCount",
          coalesce((select sum(won_amount) from actual), 0)::text as actual,
          (select count(*) from actual)::int as "actualCount",
          coalesce((select sum(a.won_amount) from actual a join predicted p on p.id = a.id), 0)::text as "actualFromForecast"`,
  );
  return rows[0]!;
}

export interface CalibrationSqlRow {
  stageId: string;
  everIn: number;
  closed: number;
  won: number;
}

/** Calibration (docs/analytics.md#calibration): per stage, deals ever in it, of those closed now, and won. */
export async function calibrationCounts(
  q: Executor,
  scope: AnalyticsScope,
): Promise<CalibrationSqlRow[]> {
  return queryRows<CalibrationSqlRow>(
    q,
    sql`with visits as (
          select distinct sc.to_stage_id as stage_id, o.id, o.status
          from opportunities o join stage_changes sc on sc.opportunity_id = o.id
          where ${scopeSql(scope)}
        )
        select v.stage_id as "stageId", count(*)::int as "everIn",
          (count(*) filter (where v.status in ('won', 'lost')))::int as closed,
          (count(*) filter (where v.status = 'won'))::int as won
        from visits v join stages s on s.id = v.stage_id and s.kind = 'open'
        group by 1`,
  );
}

// ---------------------------------------------------------------- breakdowns

export interface LossSqlRow {
  stageId: string | null;
  reason: string | null;
  count: number;
}

/** Loss reasons (docs/analytics.md#loss-reasons): lost now (and closed in the period), by the stage lost from and reason. */
export async function lossCounts(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod | null,
): Promise<LossSqlRow[]> {
  return numeric(
    await queryRows<LossSqlRow>(
      q,
      sql`select o.lost_from_stage_id::text as "stageId",
            o.loss_reason as reason, count(*)::int as count
          from opportunities o
          where ${scopeSql(scope)} and o.status = 'lost'
            ${period ? sql`and o.closed_at >= ${ts(period.from)} and o.closed_at < ${ts(period.to)}` : sql``}
          group by 1, 2`,
    ),
  );
}

export interface TeamSqlRow {
  ownerId: string;
  ownerName: string;
  cohort: number;
  won: number;
  doneFollowUps: number;
  priorityA: number;
  priorityAWon: number;
}

/** Team effectiveness per rep over the cohort created in the period (docs/analytics.md#team-effectiveness). */
export async function teamCohort(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
): Promise<TeamSqlRow[]> {
  return queryRows<TeamSqlRow>(
    q,
    sql`select o.owner_id as "ownerId", u.name as "ownerName", count(*)::int as cohort,
          (count(*) filter (where o.status = 'won'))::int as won,
          coalesce(sum(d.n), 0)::int as "doneFollowUps",
          (count(*) filter (where o.priority = 'A'))::int as "priorityA",
          (count(*) filter (where o.priority = 'A' and o.status = 'won'))::int as "priorityAWon"
        from opportunities o join users u on u.id = o.owner_id
        -- done follow-ups of each cohort opportunity, by index, rather than a pass over all follow-ups
        left join lateral (
          select count(*) as n from follow_ups f
          where f.workspace_id = o.workspace_id and f.opportunity_id = o.id and f.status = 'done'
        ) d on true
        where ${scopeSql(scope)} and o.acquired_at >= ${ts(period.from)} and o.acquired_at < ${ts(period.to)}
        group by 1, 2`,
  );
}

export interface ComplianceSqlRow {
  ownerId: string;
  ownerName: string;
  due: number;
  cancelled: number;
  onTime: number;
  late: number;
  overdue: number;
  doneInPeriod: number;
  lateEntries: number;
}

/**
 * Follow-up compliance per owner (docs/analytics.md#follow-up-compliance): due = planned in the
 * period and before now; done on time within the grace; late; overdue; and late entries among
 * follow-ups done in the period. Follow-ups of opportunities in scope.
 */
export async function complianceCounts(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
  now: Date,
  graceHours: number,
): Promise<ComplianceSqlRow[]> {
  const due = sql`f.planned_at >= ${ts(period.from)} and f.planned_at < ${ts(period.to)} and f.planned_at < ${ts(now)}`;
  return queryRows<ComplianceSqlRow>(
    q,
    sql`select f.owner_id as "ownerId", u.name as "ownerName",
          (count(*) filter (where ${due}))::int as due,
          (count(*) filter (where ${due} and f.status = 'cancelled'))::int as cancelled,
          (count(*) filter (where ${due} and f.status = 'done' and f.occurred_at <= f.planned_at + make_interval(hours => ${graceHours})))::int as "onTime",
          (count(*) filter (where ${due} and f.status = 'done' and (f.occurred_at is null or f.occurred_at > f.planned_at + make_interval(hours => ${graceHours}))))::int as late,
          (count(*) filter (where ${due} and f.status = 'planned'))::int as overdue,
          (count(*) filter (where f.status = 'done' and f.occurred_at >= ${ts(period.from)} and f.occurred_at < ${ts(period.to)}))::int as "doneInPeriod",
          (count(*) filter (where f.status = 'done' and f.occurred_at >= ${ts(period.from)} and f.occurred_at < ${ts(period.to)} and f.late_entry))::int as "lateEntries"
        from follow_ups f join users u on u.id = f.owner_id
          ${
            scope.wholePipeline && scope.onlyPipeline
              ? sql``
              : sql`cross join lateral (select 1 from opportunities o where o.id = f.opportunity_id and ${scopeSql(scope)}) visible`
          }
        where f.workspace_id = ${scope.actor.workspaceId}
          and ((f.planned_at >= ${ts(period.from)} and f.planned_at < ${ts(period.to)})
            or (f.occurred_at >= ${ts(period.from)} and f.occurred_at < ${ts(period.to)}))
        group by 1, 2`,
  );
}

export interface ChannelSqlRow {
  groupKey: string | null;
  created: number;
  won: number;
  wonTotal: string;
}

/** Channel effectiveness (docs/analytics.md#channel-effectiveness): per source over the cohort, won now and won amounts. */
export async function channelCounts(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
  groupBy: GroupBy,
): Promise<ChannelSqlRow[]> {
  return queryRows<ChannelSqlRow>(
    q,
    sql`select ${groupKeySql(groupBy)} as "groupKey", count(*)::int as created,
          (count(*) filter (where o.status = 'won'))::int as won,
          coalesce(sum(o.won_amount) filter (where o.status = 'won'), 0)::text as "wonTotal"
        from opportunities o
        where ${scopeSql(scope)} and o.acquired_at >= ${ts(period.from)} and o.acquired_at < ${ts(period.to)}
        group by 1`,
  );
}

export interface TrendRow {
  bucket: string;
  created: number;
  won: number;
  lost: number;
  wonAmount: string;
}

/**
 * Created per bucket (months or quarters, given as instants in the workspace zone), with how many
 * of them are won and lost now. Buckets are ranges of acquired_at, so no per-row zone conversion.
 */
export async function cohortTrend(
  q: Executor,
  scope: AnalyticsScope,
  buckets: { label: string; from: Date; to: Date }[],
) {
  const values = sql.join(
    buckets.map((b) => sql`(${b.label}, ${ts(b.from)}, ${ts(b.to)})`),
    sql`, `,
  );
  return queryRows<TrendRow>(
    q,
    sql`with buckets(label, from_at, to_at) as (values ${values})
        select b.label as bucket, count(*)::int as created,
          (count(*) filter (where o.status = 'won'))::int as won,
          (count(*) filter (where o.status = 'lost'))::int as lost,
          coalesce(sum(o.won_amount) filter (where o.status = 'won'), 0)::text as "wonAmount"
        from buckets b join opportunities o on o.acquired_at >= b.from_at and o.acquired_at < b.to_at
        where ${scopeSql(scope)}
        group by b.label order by b.label`,
  );
}

export interface MissedEntrySqlRow {
  contacted: number;
  missed: number;
  field: string | null;
  missingCount: number;
}

/**
 * 漏网率 (docs/analytics.md#missed-entry-rate): prospects = the cohort created in the period;
 * contacted = with a done follow-up; missing = fields required by the gates of the stages up to
 * the current one (or workspace-required custom fields) that are empty.
 */
export async function missedEntry(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
  requiredCustom: string[],
) {
  const fieldChecks: [string, SQL][] = [
    ['needsDescription', sql`coalesce(btrim(o.needs_description), '') = ''`],
    ['budgetRange', sql`coalesce(btrim(o.budget_range), '') = ''`],
    ['expectedAmount', sql`o.expected_amount <= 0`],
    ['expectedCloseDate', sql`o.expected_close_date is null`],
    ['source', sql`coalesce(btrim(o.source), '') = ''`],
    ['industry', sql`coalesce(btrim(o.industry), '') = ''`],
    ['region', sql`coalesce(btrim(o.region), '') = ''`],
    ['productLine', sql`coalesce(btrim(o.product_line), '') = ''`],
    ['partner', sql`coalesce(btrim(o.partner), '') = ''`],
    ['channelManager', sql`coalesce(btrim(o.channel_manager), '') = ''`],
    ['marketNotes', sql`coalesce(btrim(o.market_notes), '') = ''`],
    [
      'contacts',
      sql`not exists (select 1 from opportunity_contacts oc where oc.opportunity_id = o.id)`,
    ],
    [
      'competitors',
      sql`not exists (select 1 from opportunity_competitors oc where oc.opportunity_id = o.id)`,
    ],
  ];
  const required = sql`(select coalesce(jsonb_agg(distinct f), '[]'::jsonb) from stages s2
      cross join lateral jsonb_array_elements_text(s2.required_fields) f
      where s2.pipeline_id = o.pipeline_id and s2.kind = 'open' and s2.position <= o.reached_position)`;
  const missing = sql.join(
    [
      ...fieldChecks.map(
        ([field, empty]) => sql`case when ${required} ? ${field} and ${empty} then ${field} end`,
      ),
      ...requiredCustom.map(
        (key) =>
          sql`case when coalesce(o.custom_fields ->> ${key}, '') = '' then ${'custom.' + key} end`,
      ),
    ],
    sql`, `,
  );
  return queryRows<{ id: string; contacted: boolean; missing: string[] }>(
    q,
    sql`select o.id,
          exists (select 1 from follow_ups f where f.opportunity_id = o.id and f.status = 'done') as contacted,
          array_remove(array[${missing}]::text[], null) as missing
        from opportunities o
        where ${scopeSql(scope)} and o.acquired_at >= ${ts(period.from)} and o.acquired_at < ${ts(period.to)}
          and exists (select 1 from follow_ups f where f.opportunity_id = o.id and f.status = 'done')`,
  );
}

export interface CollectionsSqlRow {
  expectedCount: number;
  expected: string;
  receivedCount: number;
  received: string;
  receivedOfExpected: string;
  outstandingCount: number;
  outstanding: string;
  overdueCount: number;
  overdue: string;
}

/**
 * Collection forecast (销售收入预测表, docs/analytics.md#collections): collections expected in the
 * period, received in the period, still outstanding of those expected, and overdue from before.
 */
export async function collectionCounts(
  q: Executor,
  scope: AnalyticsScope,
  period: SqlPeriod,
  today: string,
): Promise<CollectionsSqlRow> {
  const expectedIn = sql`c.expected_date >= ${period.fromDate}::date and c.expected_date < ${period.toDate}::date`;
  const receivedIn = sql`c.actual_date >= ${period.fromDate}::date and c.actual_date < ${period.toDate}::date`;
  const rows = await queryRows<CollectionsSqlRow>(
    q,
    sql`select (count(*) filter (where ${expectedIn}))::int as "expectedCount",
          coalesce(sum(c.expected_amount) filter (where ${expectedIn}), 0)::text as expected,
          (count(*) filter (where ${receivedIn}))::int as "receivedCount",
          coalesce(sum(c.actual_amount) filter (where ${receivedIn}), 0)::text as received,
          coalesce(sum(c.actual_amount) filter (where ${expectedIn} and ${receivedIn}), 0)::text as "receivedOfExpected",
          (count(*) filter (where ${expectedIn} and c.actual_date is null))::int as "outstandingCount",
          coalesce(sum(c.expected_amount) filter (where ${expectedIn} and c.actual_date is null), 0)::text as outstanding,
          (count(*) filter (where c.expected_date < ${today}::date and c.actual_date is null))::int as "overdueCount",
          coalesce(sum(c.expected_amount) filter (where c.expected_date < ${today}::date and c.actual_date is null), 0)::text as overdue
        from collections c join opportunities o on o.id = c.opportunity_id
        where c.workspace_id = ${scope.actor.workspaceId} and ${scopeSql(scope)} and o.status = 'won'
          and ((${expectedIn}) or (${receivedIn}) or (c.expected_date < ${today}::date and c.actual_date is null))`,
  );
  return rows[0]!;
}

// ---------------------------------------------------------------- helpers

function num(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

/** Both drivers may return numeric columns as strings; counts and positions are numbers. */
function numeric<T extends object>(rows: T[]): T[] {
  return rows.map((row) => {
    const out = { ...row } as Record<string, unknown>;
    for (const key of [
      'position',
      'count',
      'lost',
      'entered',
      'advanced',
      'days',
      'events',
      'censored',
      'completed',
      'running',
    ]) {
      if (key in out && out[key] !== null) out[key] = Number(out[key]);
    }
    return out as T;
  });
}
