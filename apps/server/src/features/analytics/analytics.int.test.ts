/**
 * The SQL analytics against the pure reference (packages/domain/src/analytics) on random but
 * consistent histories written to a real database: two independent computations must agree.
 */
import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  averageDealSize,
  calibration,
  channelEffectiveness,
  cohortConversion,
  forecastBacktest,
  lossReasons,
  monthPeriod,
  periodContaining,
  periodFlowConversion,
  salesCycle,
  stageDwell,
  standardVsActual,
  teamEffectiveness,
  timeToWin,
  weightedForecast,
  winRate,
  FORECAST_CATEGORIES,
  localDate,
  lostFromStageId,
  stayStartsOf,
  type AnalyticsStage,
  type FollowUpFacts,
  type OpportunityFacts,
  type PeriodKind,
  type StageChangeEvent,
} from '@funnel/domain';
import {
  build,
  type OppSpec,
  type Step,
} from '../../../../../packages/domain/src/analytics/test-support';
import { createTestContext, type TestContext } from '../../../test/harness';
import {
  accounts,
  followUps as followUpsTable,
  opportunities,
  stageChanges,
} from '../../db/schema';
import { rebuildReachedPositions } from '../opportunities/opportunities.repository';
import type { Actor } from '../access/actor';
import type { AnalyticsQueryInput } from './analytics.service';

let t: TestContext;
let director: Actor;
let stages: AnalyticsStage[];
let open: AnalyticsStage[];
let accountId: string;
const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;
const NOW = new Date(T0 + 400 * 24 * HOUR);
const ZONES = ['Asia/Shanghai', 'UTC', 'America/New_York'];
const SOURCES = ['website', 'trade_show', 'referral'];
const REASONS = ['price_too_high', 'chose_competitor', null];

beforeAll(async () => {
  t = await createTestContext();
  t.setNow(NOW);
  director = (await t.services.auth.actorFor(
    t.world.workspaceId,
    t.world.users.director.id,
    'system',
    null,
  ))!;
  const [pipeline] = await t.services.pipelines.list(director);
  stages = pipeline!.stages.map((s) => ({
    id: s.id,
    position: s.position,
    name: s.name,
    kind: s.kind,
    winProbability: s.winProbability,
    standardDwellDays: s.standardDwellDays,
    standardCountRatio: s.standardCountRatio,
    forecastCategory: s.forecastCategory,
  }));
  open = stages.filter((s) => s.kind === 'open');
  const account = await t.database.db
    .insert(accounts)
    .values({ workspaceId: t.world.workspaceId, name: '属性测试客户', normalizedName: 'prop' })
    .returning();
  accountId = account[0]!.id;
});
afterAll(async () => t?.close());

const stepArb = fc.record({
  action: fc.integer({ min: 0, max: 5 }),
  target: fc.integer({ min: 0, max: 4 }),
  hours: fc.integer({ min: 0, max: 24 * 40 }),
  amount: fc.integer({ min: 0, max: 1_000_000_000 }),
});
const followUpArb = fc.record({
  status: fc.constantFrom('planned', 'done', 'cancelled'),
  plannedHours: fc.option(fc.integer({ min: 0, max: 24 * 300 })),
  lagHours: fc.integer({ min: -48, max: 96 }),
  late: fc.boolean(),
});
const oppArb = fc.record({
  createdHours: fc.integer({ min: 0, max: 24 * 330 }),
  stage: fc.integer({ min: 0, max: 4 }),
  owner: fc.integer({ min: 0, max: 2 }),
  team: fc.integer({ min: 0, max: 2 }),
  source: fc.integer({ min: 0, max: 3 }),
  priority: fc.constantFrom<'A' | 'B' | 'C'>('A', 'B', 'C'),
  amount: fc.integer({ min: 0, max: 1_000_000_000_000 }),
  closeDay: fc.option(fc.integer({ min: 0, max: 400 })),
  probability: fc.option(fc.integer({ min: 0, max: 10_000 }).map((x) => x / 100)),
  category: fc.option(fc.constantFrom(...FORECAST_CATEGORIES)),
  steps: fc.array(stepArb, { maxLength: 8 }),
  followUps: fc.array(followUpArb, { maxLength: 3 }),
});
type OppSeed = typeof oppArb extends fc.Arbitrary<infer T> ? T : never;

interface World {
  opportunities: OpportunityFacts[];
  events: StageChangeEvent[];
  followUps: FollowUpFacts[];
}

function toWorld(seeds: OppSeed[]): World {
  const owners = [t.world.users.repA.id, t.world.users.repB.id, t.world.users.repC.id];
  const teams = [null, t.world.teams.east, t.world.teams.north];
  const specs: OppSpec[] = [];
  const followUps: FollowUpFacts[] = [];
  seeds.forEach((seed, i) => {
    let time = T0 + seed.createdHours * HOUR;
    let stage = seed.stage;
    let status: 'open' | 'won' | 'lost' | 'postponed' = 'open';
    const steps: Step[] = [];
    for (const s of seed.steps) {
      time += s.hours * HOUR;
      const when = new Date(time);
      if (status === 'open') {
        if (s.action === 2) {
          steps.push({ at: when, won: s.amount });
          status = 'won';
        } else if (s.action === 3) {
          steps.push({ at: when, lost: REASONS[s.target % 3]! });
          status = 'lost';
        } else if (s.action === 4) {
          steps.push({ at: when, postpone: true });
          status = 'postponed';
        } else {
          const target = s.target === stage ? (stage + 1) % open.length : s.target;
          steps.push({ at: when, move: open[target]!.id });
          stage = target;
        }
      } else {
        const target = status === 'postponed' && s.action % 2 === 0 ? stage : s.target;
        steps.push({ at: when, reopen: open[target]!.id });
        stage = target;
        status = 'open';
      }
    }
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    specs.push({
      id,
      createdAt: new Date(T0 + seed.createdHours * HOUR),
      stage: open[seed.stage]!.id,
      ownerId: owners[seed.owner]!,
      teamId: teams[seed.team]!,
      source: SOURCES[seed.source] ?? null,
      priority: seed.priority,
      expectedAmount: seed.amount,
      expectedCloseDate:
        seed.closeDay === null
          ? null
          : new Date(T0 + seed.closeDay * 24 * HOUR).toISOString().slice(0, 10),
      winProbability: seed.probability,
      forecastCategoryOverride: seed.category,
      steps,
    });
    for (const f of seed.followUps) {
      const plannedAt = f.plannedHours === null ? null : new Date(T0 + f.plannedHours * HOUR);
      const occurredAt =
        f.status === 'done'
          ? new Date((plannedAt?.getTime() ?? T0 + seed.createdHours * HOUR) + f.lagHours * HOUR)
          : null;
      followUps.push({
        opportunityId: id,
        ownerId: owners[seed.owner]!,
        status: f.status,
        plannedAt: f.status === 'done' && !plannedAt ? null : (plannedAt ?? new Date(T0)),
        occurredAt,
        lateEntry: f.status === 'done' && f.late,
      });
    }
  });
  return { ...build(stages, specs), followUps };
}

async function store(world: World, zone: string) {
  const db = t.database.db;
  const ws = t.world.workspaceId;
  await db.execute(sql`delete from follow_ups where workspace_id = ${ws}`);
  await db.execute(sql`delete from stage_changes where workspace_id = ${ws}`);
  await db.execute(sql`delete from opportunities where workspace_id = ${ws}`);
  await db.execute(sql`update workspaces set time_zone = ${zone} where id = ${ws}`);
  if (world.opportunities.length === 0) return;
  await db.insert(opportunities).values(
    world.opportunities.map((o, i) => ({
      id: o.id,
      workspaceId: ws,
      code: `P${i}`,
      name: `p${i}`,
      accountId,
      pipelineId: t.world.pipelineId,
      stageId: o.stageId,
      status: o.status,
      ownerId: o.ownerId,
      teamId: o.teamId,
      expectedAmount: o.expectedAmount,
      expectedCloseDate: o.expectedCloseDate,
      source: o.source,
      winProbability: o.winProbability,
      forecastCategoryOverride: o.forecastCategoryOverride,
      priority: o.priority,
      computedPriority: o.priority,
      acquiredAt: o.createdAt,
      stageEnteredAt: [...world.events]
        .filter((e) => e.opportunityId === o.id && e.fromStageId !== e.toStageId)
        .sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime())
        .at(-1)!.changedAt,
      wonAmount: o.wonAmount,
      wonDate: o.wonDate,
      closedAt: o.closedAt,
      lossReason: o.lossReason,
      lostFromStageId:
        o.status === 'lost'
          ? lostFromStageId(world.events.filter((e) => e.opportunityId === o.id))
          : null,
      createdAt: o.createdAt,
    })),
  );
  const ordered = [...world.events].sort(
    (a, b) =>
      a.opportunityId.localeCompare(b.opportunityId) ||
      a.changedAt.getTime() - b.changedAt.getTime(),
  );
  const stays = new Map<StageChangeEvent, Date | null>();
  for (const o of world.opportunities) {
    const mine = ordered.filter((e) => e.opportunityId === o.id);
    stayStartsOf(mine).forEach((start, i) => stays.set(mine[i]!, start));
  }
  await db.insert(stageChanges).values(
    ordered.map((e) => ({
      stayStartedAt: stays.get(e) ?? null,
      workspaceId: ws,
      opportunityId: e.opportunityId,
      fromStageId: e.fromStageId,
      toStageId: e.toStageId,
      kind: e.kind,
      status: e.status,
      changedAt: e.changedAt,
    })),
  );
  if (world.followUps.length) {
    await db.insert(followUpsTable).values(
      world.followUps.map((f) => ({
        workspaceId: ws,
        opportunityId: f.opportunityId,
        ownerId: f.ownerId,
        status: f.status,
        method: 'phone',
        plannedAt: f.plannedAt,
        occurredAt: f.occurredAt,
        lateEntry: f.lateEntry,
      })),
    );
  }
  await rebuildReachedPositions(db, ws, t.world.pipelineId);
}

const run = <T>(
  query: AnalyticsQueryInput,
  report: Parameters<typeof t.services.analytics.withContext<T>>[3],
) => t.services.analytics.withContext(director, query, 'en', report);
const minor = (money: string | null) => (money === null ? null : Math.round(Number(money) * 100));
const close = (a: number | null, b: number | null) =>
  a === null || b === null ? expect(a).toBe(b) : expect(a).toBeCloseTo(b, 6);

const caseArb = fc.record({
  seeds: fc.array(oppArb, { maxLength: 25 }),
  kind: fc.constantFrom<PeriodKind>('week', 'month', 'quarter', 'year'),
  day: fc.integer({ min: 0, max: 330 }),
  zone: fc.constantFrom(...ZONES),
  asOfDay: fc.integer({ min: 0, max: 420 }),
});

describe('SQL analytics equal the pure reference', () => {
  it('on random histories, periods and zones', async () => {
    await fc.assert(
      fc.asyncProperty(caseArb, async ({ seeds, kind, day, zone, asOfDay }) => {
        const world = toWorld(seeds);
        await store(world, zone);
        const period = periodContaining(kind, new Date(T0 + day * 24 * HOUR), zone);
        const query: AnalyticsQueryInput = { period: kind, date: localDate(period.from, zone) };
        const input = { stages, opportunities: world.opportunities, events: world.events, period };

        // cohort conversion, now and as of
        const cohort = cohortConversion(input);
        const sqlCohort = await run(query, (ctx) =>
          t.services.analytics.funnelReport(ctx, { ...query, mode: 'cohort' }),
        );
        expect(sqlCohort.result).toMatchObject({
          cohortSize: cohort.cohortSize,
          stages: cohort.stages.map((s) => ({
            stageId: s.stageId,
            reached: s.reached,
            lost: s.lost,
            cumulative: s.cumulative,
            dropOff: s.dropOff,
          })),
          steps: cohort.steps.map((s) => ({
            fromStageId: s.fromStageId,
            toStageId: s.toStageId,
            rate: s.rate,
          })),
        });
        const asOf = new Date(T0 + asOfDay * 24 * HOUR);
        const cohortAsOf = cohortConversion({ ...input, asOf });
        const sqlAsOf = await run(query, (ctx) =>
          t.services.analytics.funnelReport(ctx, {
            ...query,
            mode: 'cohort',
            asOf: asOf.toISOString(),
          }),
        );
        expect(sqlAsOf.result).toMatchObject({
          cohortSize: cohortAsOf.cohortSize,
          stages: cohortAsOf.stages.map((s) => ({ reached: s.reached, lost: s.lost })),
        });

        // grouped by owner: groups add up and each equals the reference on its subset
        const grouped = await run(query, (ctx) =>
          t.services.analytics.funnelReport(ctx, { ...query, mode: 'cohort', groupBy: 'owner' }),
        );
        for (const g of grouped.groups ?? []) {
          const subset = world.opportunities.filter((o) => o.ownerId === g.key);
          const ref = cohortConversion({ ...input, opportunities: subset });
          expect(g.result.stages.map((s) => s.reached)).toEqual(ref.stages.map((s) => s.reached));
        }

        // period flow
        const flow = periodFlowConversion(input);
        const sqlFlow = await run(query, (ctx) =>
          t.services.analytics.funnelReport(ctx, { ...query, mode: 'flow' }),
        );
        expect(sqlFlow.result).toMatchObject({
          stages: flow.stages.map((s) => ({ stageId: s.stageId, entered: s.entered })),
          steps: flow.steps.map((s) => ({
            entered: s.entered,
            advanced: s.advanced,
            rate: s.rate,
          })),
        });

        // outcomes
        const outcomes = await run(query, (ctx) => t.services.analytics.outcomesReport(ctx, query));
        const wr = winRate(input);
        expect(outcomes.result.winRate).toMatchObject({
          won: wr.won,
          lost: wr.lost,
          open: wr.open,
          postponed: wr.postponed,
          rate: wr.winRate,
        });
        const size = averageDealSize(input);
        expect(outcomes.result.dealSize).toMatchObject({
          count: size.count,
          total: (size.total / 100).toFixed(2),
        });
        expect(minor(outcomes.result.dealSize.average)).toBe(size.average);
        const cycle = salesCycle(input);
        expect(outcomes.result.salesCycle.count).toBe(cycle.count);
        close(outcomes.result.salesCycle.meanDays, cycle.meanDays);
        close(outcomes.result.salesCycle.medianDays, cycle.medianDays);
        const ttw = timeToWin({ opportunities: world.opportunities, period, now: NOW });
        expect(outcomes.result.timeToWin).toMatchObject({
          n: ttw.n,
          events: ttw.events,
          censored: ttw.censored,
        });
        close(outcomes.result.timeToWin.medianDays, ttw.medianDays);

        // dwell (stays entered in the period)
        const dwell = stageDwell({ ...input, now: NOW, period });
        const sqlDwell = await run(query, (ctx) => t.services.analytics.dwellReport(ctx, query));
        sqlDwell.stages.forEach((row, i) => {
          const ref = dwell[i]!;
          expect(row).toMatchObject({
            stageId: ref.stageId,
            count: ref.count,
            openCount: ref.openCount,
          });
          close(row.meanDays, ref.meanDays);
          close(row.medianDays, ref.medianDays);
          close(row.kmMedianDays, ref.kmMedianDays);
        });

        // standard vs actual
        const sva = standardVsActual(input);
        const sqlSva = await run(query, (ctx) =>
          t.services.analytics.standardFunnelReport(ctx, query),
        );
        expect(sqlSva.stages.map((s) => s.actual)).toEqual(sva.rows.map((r) => r.actual));
        sqlSva.stages.forEach((s, i) => close(s.standard, sva.rows[i]!.standard));

        // weighted forecast: every grouping equals the reference exactly
        const forecast = weightedForecast(input);
        const sqlForecast = await run(query, (ctx) =>
          t.services.analytics.forecastReport(ctx, query),
        );
        expect(minor(sqlForecast.total.total)).toBe(forecast.total.total);
        expect(minor(sqlForecast.total.realised)).toBe(forecast.total.realised);
        expect(sqlForecast.total.openCount).toBe(forecast.total.openCount);
        const byKey = (lines: { key: string | null; total: string }[]) =>
          Object.fromEntries(lines.map((l) => [l.key ?? 'null', minor(l.total)]));
        const refKey = (groups: { key: string | null; total: number }[]) =>
          Object.fromEntries(groups.map((g) => [g.key ?? 'null', g.total]));
        expect(byKey(sqlForecast.byMonth)).toEqual(refKey(forecast.byMonth));
        expect(byKey(sqlForecast.byOwner)).toEqual(refKey(forecast.byOwner));
        expect(byKey(sqlForecast.byTeam)).toEqual(refKey(forecast.byTeam));
        expect(byKey(sqlForecast.byBucket)).toEqual(refKey(forecast.byBucket));
        for (const lines of [
          sqlForecast.byMonth,
          sqlForecast.byOwner,
          sqlForecast.byTeam,
          sqlForecast.byBucket,
        ]) {
          expect(lines.reduce((sum, l) => sum + minor(l.total)!, 0)).toBe(
            minor(sqlForecast.total.total),
          );
        }
        // conversions lie in [0, 1] and reached counts never increase along the funnel
        const reached = (sqlCohort.result.stages as { reached: number }[]).map((x) => x.reached);
        expect(reached).toEqual([...reached].sort((a, b) => b - a));
        for (const step of sqlCohort.result.steps)
          expect(step.rate.value === null || (step.rate.value >= 0 && step.rate.value <= 1)).toBe(
            true,
          );

        // backtest of the period's first month
        const month = localDate(period.from, zone).slice(0, 7);
        const bt = forecastBacktest({
          stages,
          opportunities: world.opportunities,
          events: world.events,
          month,
          timeZone: zone,
        });
        const sqlBt = await run(query, (ctx) =>
          t.services.analytics.backtestReport(ctx, { ...query, month }),
        );
        expect({
          forecast: minor(sqlBt.forecast),
          actual: minor(sqlBt.actual),
          fromForecast: minor(sqlBt.actualFromForecast),
        }).toEqual({
          forecast: bt.forecast,
          actual: bt.actual,
          fromForecast: bt.actualFromForecast,
        });
        void monthPeriod;

        // calibration
        const cal = calibration(input);
        const sqlCal = await run(query, (ctx) =>
          t.services.analytics.calibrationReport(ctx, query),
        );
        expect(sqlCal.stages.map((s) => s.observed)).toEqual(cal.map((c) => c.observed));

        // loss reasons
        const losses = lossReasons({ ...input, period });
        const sqlLosses = await run(query, (ctx) =>
          t.services.analytics.lossReasonsReport(ctx, query),
        );
        expect(sqlLosses.lost).toBe(losses.lost);
        expect(sqlLosses.top.map((r) => [r.reason, r.count])).toEqual(
          losses.top.map((r) => [r.reason, r.count]),
        );
        expect(sqlLosses.byStage.map((s) => [s.stageId, s.lost])).toEqual(
          losses.byStage.map((s) => [s.stageId, s.lost]),
        );

        // team effectiveness and channels
        const team = teamEffectiveness({
          opportunities: world.opportunities,
          followUps: world.followUps,
          period,
          now: NOW,
        });
        const sqlTeam = await run(query, (ctx) => t.services.analytics.teamReport(ctx, query));
        const refTeam = Object.fromEntries(team.map((r) => [r.repId, r]));
        for (const rep of sqlTeam.reps) {
          const ref = refTeam[rep.ownerId]!;
          expect(rep.conversion).toEqual(ref.conversion);
          expect(rep.priorityA).toEqual(ref.aPriority.conversion);
          close(rep.followUpsPerOpportunity, ref.followUpsPerOpportunity.value);
          expect(rep.compliance).toMatchObject({
            due: ref.compliance.due,
            onTime: ref.compliance.doneOnTime,
            overdue: ref.compliance.overdue,
            onTimeRate: ref.compliance.onTime,
          });
        }
        expect(sqlTeam.reps.length).toBe(team.length);
        // the same through the general path: a manager's visibility, and a filter
        const manager = (await t.services.auth.actorFor(
          t.world.workspaceId,
          t.world.users.managerEast.id,
          'system',
          null,
        ))!;
        const scopes: [Actor, AnalyticsQueryInput, (o: OpportunityFacts) => boolean][] = [
          [
            manager,
            query,
            (o) => o.teamId === t.world.teams.east || o.teamId === t.world.teams.east1,
          ],
          [director, { ...query, source: ['website'] }, (o) => o.source === 'website'],
        ];
        for (const [actor, scopedQuery, visible] of scopes) {
          const opps = world.opportunities.filter(visible);
          const ids = new Set(opps.map((o) => o.id));
          const sub = {
            stages,
            opportunities: opps,
            events: world.events.filter((e) => ids.has(e.opportunityId)),
            period,
          };
          const within = <T>(report: Parameters<typeof t.services.analytics.withContext<T>>[3]) =>
            t.services.analytics.withContext(actor, scopedQuery, 'en', report);
          const c = await within((ctx) =>
            t.services.analytics.funnelReport(ctx, { ...scopedQuery, mode: 'cohort' }),
          );
          expect((c.result.stages as { reached: number }[]).map((x) => x.reached)).toEqual(
            cohortConversion(sub).stages.map((x) => x.reached),
          );
          const f = await within((ctx) =>
            t.services.analytics.funnelReport(ctx, { ...scopedQuery, mode: 'flow' }),
          );
          expect((f.result.stages as { entered: number }[]).map((x) => x.entered)).toEqual(
            periodFlowConversion(sub).stages.map((x) => x.entered),
          );
          const d = await within((ctx) => t.services.analytics.dwellReport(ctx, scopedQuery));
          expect(d.stages.map((x) => [x.count, x.openCount])).toEqual(
            stageDwell({ ...sub, now: NOW, period }).map((x) => [x.count, x.openCount]),
          );
          const l = await within((ctx) => t.services.analytics.lossReasonsReport(ctx, scopedQuery));
          expect(l.lost).toBe(lossReasons({ ...sub, period }).lost);
          const team = await within((ctx) => t.services.analytics.teamReport(ctx, scopedQuery));
          const ref = teamEffectiveness({
            opportunities: opps,
            followUps: world.followUps.filter((x) => ids.has(x.opportunityId)),
            period,
            now: NOW,
          });
          expect(team.reps.map((r) => [r.ownerId, r.compliance.due, r.compliance.onTime])).toEqual(
            ref.map((r) => [r.repId, r.compliance.due, r.compliance.doneOnTime]),
          );
        }

        const channels = channelEffectiveness({ opportunities: world.opportunities, period });
        const sqlChannels = await run(query, (ctx) =>
          t.services.analytics.channelsReport(ctx, query),
        );
        expect(
          sqlChannels.channels.map((c) => [c.key, c.created, c.won, minor(c.averageWonAmount)]),
        ).toEqual(channels.map((c) => [c.source, c.created, c.won, c.averageWonAmount]));
      }),
      { numRuns: Number(process.env.FUNNEL_PROPERTY_RUNS ?? 40), seed: 20241125 },
    );
  }, 300_000);
});
