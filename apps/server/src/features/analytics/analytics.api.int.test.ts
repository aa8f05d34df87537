/**
 * The worked examples of SPEC F-6 / F-7 through the HTTP API, computed by hand: the period flow
 * 60/100, the channel table, the forecast weights and the target decomposition; and the rule that
 * a rep's analytics cover only what the rep may see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type Client, type TestContext } from '../../../test/harness';

let t: TestContext;
let rep: Client;
let director: Client;
let accountId: string;
const stage = (name: string) => t.world.stages.find((s) => s.name === name)!;

beforeAll(async () => {
  t = await createTestContext();
  t.setNow('2024-07-05T02:00:00Z');
  rep = await t.as('repA');
  director = await t.as('director');
  accountId = (await rep.post('/api/v1/accounts', { name: '示例客户有限公司' })).json().id;
});
afterAll(async () => t?.close());

async function create(client: Client, body: Record<string, unknown>) {
  const res = await client.post('/api/v1/opportunities', {
    name: 'deal',
    accountId,
    firstFollowUpAt: null,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().opportunity as { id: string; version: number };
}

describe('SPEC worked examples through the API', () => {
  it('period flow 线索获取→需求确认 = 60/100 = 60%', async () => {
    const deals = [];
    for (let i = 0; i < 100; i++)
      deals.push(
        await create(rep, {
          acquiredAt: `2024-06-${String(1 + (i % 28)).padStart(2, '0')}T02:00:00Z`,
        }),
      );
    for (let i = 0; i < 65; i++) {
      const changedAt = i < 60 ? '2024-06-29T02:00:00Z' : '2024-07-03T02:00:00Z';
      const res = await rep.post(`/api/v1/opportunities/${deals[i]!.id}/move`, {
        version: deals[i]!.version,
        stageId: stage('需求确认').id,
        changedAt,
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    const flow = (
      await rep.get('/api/v1/analytics/funnel?mode=flow&period=month&date=2024-06-15')
    ).json();
    expect(flow.metric).toBe('period_flow_conversion');
    expect(flow.result.steps[0]).toMatchObject({
      fromName: '线索获取',
      toName: '需求确认',
      entered: 100,
      advanced: 60,
      rate: { numerator: 60, denominator: 100, value: 0.6 },
    });
    // the cohort view of the same month follows them until now: 65 reached 需求确认
    const cohort = (await rep.get('/api/v1/analytics/funnel?period=month&date=2024-06-15')).json();
    expect(cohort.result.steps[0].rate).toEqual({ numerator: 65, denominator: 100, value: 0.65 });
    expect(cohort.result.stages[0]).toMatchObject({ reached: 100, cumulative: { value: 1 } });
    // against a configured benchmark of 90% for 线索获取 -> 需求确认, 65/100 is significantly below
    const admin = await t.as('admin');
    const ws = (await admin.get('/api/v1/workspace')).json();
    const set = await admin.patch('/api/v1/workspace', {
      version: ws.version,
      rules: { conversionBenchmarks: [{ fromStage: '线索获取', toStage: '需求确认', rate: 0.9 }] },
    });
    expect(set.statusCode, set.body).toBe(200);
    const bottlenecks = (
      await rep.get(
        '/api/v1/analytics/bottlenecks?benchmark=configured&period=month&date=2024-06-15',
      )
    ).json();
    expect(bottlenecks.rows).toEqual([
      expect.objectContaining({
        fromName: '线索获取',
        toName: '需求确认',
        successes: 65,
        n: 100,
        benchmark: 0.9,
        verdict: 'below',
      }),
    ]);
    // the trend of a quarter ends with its last month (or today)
    const trend = (
      await rep.get('/api/v1/analytics/trend?period=quarter&date=2024-04-15&count=3')
    ).json();
    expect(trend.points.map((p: { bucket: string }) => p.bucket)).toEqual([
      '2024-04',
      '2024-05',
      '2024-06',
    ]);
    const current = (
      await rep.get('/api/v1/analytics/trend?period=year&date=2024-04-15&count=2')
    ).json();
    expect(current.points.map((p: { bucket: string }) => p.bucket)).toEqual(['2024-06', '2024-07']); // today is 5 July 2024
    // as of the end of June, the cohort had 60
    const asOf = (
      await rep.get(
        '/api/v1/analytics/funnel?period=month&date=2024-06-15&asOf=2024-06-30T15:59:59Z',
      )
    ).json();
    expect(asOf.result.steps[0].rate.numerator).toBe(60);
  });

  it('channel effectiveness: 官网注册 15% / 8万, 行业展会 25% / 12万, 转介绍 30% / 15万', async () => {
    const plan = [
      ['website', 20, 3, 80_000],
      ['trade_show', 20, 5, 120_000],
      ['referral', 10, 3, 150_000],
    ] as const;
    for (const [source, created, won, amount] of plan) {
      for (let i = 0; i < created; i++) {
        const o = await create(rep, { source, acquiredAt: '2024-05-10T02:00:00Z' });
        if (i < won) {
          const res = await rep.post(`/api/v1/opportunities/${o.id}/close-won`, {
            version: o.version,
            amount,
            signedDate: '2024-05-31',
          });
          expect(res.statusCode).toBe(200);
        }
      }
    }
    const zh = await t.signIn(t.world.users.repA.email, 'zh-CN');
    const channels = (
      await zh.get('/api/v1/analytics/channels?period=month&date=2024-05-10')
    ).json();
    const table = Object.fromEntries(
      channels.channels.map(
        (c: { label: string; conversion: { value: number }; averageWonAmount: string }) => [
          c.label,
          [c.conversion.value, c.averageWonAmount],
        ],
      ),
    );
    expect(table).toEqual({
      官网注册: [0.15, '80000.00'],
      行业展会: [0.25, '120000.00'],
      转介绍: [0.3, '150000.00'],
    });
    const outcomes = (
      await rep.get('/api/v1/analytics/outcomes?period=month&date=2024-05-10')
    ).json();
    // 11 won at 3x8万 + 5x12万 + 3x15万 = 129万, signed 31 May
    expect(outcomes.result.dealSize).toMatchObject({
      count: 11,
      total: '1290000.00',
      average: '117272.73',
    });
  });

  it('forecast weights 0/10/20/30/50/70/100%: 43万 for June', async () => {
    const admin = await t.as('admin');
    const pipeline = (
      await admin.post('/api/v1/pipelines', { name: '预测', preset: 'forecast7' })
    ).json();
    const byName = Object.fromEntries(
      pipeline.stages.map((s: { name: string; id: string }) => [s.name, s.id]),
    );
    const manager = await t.as('managerEast');
    const amounts: [string, number][] = [
      ['目标客户', 500_000],
      ['潜在客户', 400_000],
      ['意向客户', 300_000],
      ['立项', 200_000],
      ['方案', 100_000],
      ['商务谈判', 100_000],
    ];
    for (const [name, amount] of amounts) {
      await create(manager, {
        pipelineId: pipeline.id,
        stageId: byName[name],
        stageReason: '录入示例',
        expectedAmount: amount,
        expectedCloseDate: '2024-06-20',
        acquiredAt: '2024-06-01T02:00:00Z',
      });
    }
    const won = await create(manager, {
      pipelineId: pipeline.id,
      expectedAmount: 150_000,
      acquiredAt: '2024-06-01T02:00:00Z',
    });
    await manager.post(`/api/v1/opportunities/${won.id}/close-won`, {
      version: won.version,
      amount: 150_000,
      signedDate: '2024-06-18',
    });
    const forecast = (
      await manager.get(
        `/api/v1/analytics/forecast?period=month&date=2024-06-01&pipelineId=${pipeline.id}`,
      )
    ).json();
    expect(forecast.total).toMatchObject({
      realised: '150000.00',
      weighted: '280000.00',
      total: '430000.00',
      realisedCount: 1,
      openCount: 6,
    });
    const buckets = Object.fromEntries(
      forecast.byBucket.map((b: { key: string; total: string }) => [b.key, b.total]),
    );
    expect(buckets).toEqual({
      best_case: '50000.00',
      closed_won: '150000.00',
      commit: '70000.00',
      pipeline: '160000.00',
    });
    expect(forecast.byMonth).toEqual([
      expect.objectContaining({ key: '2024-06', total: '430000.00' }),
    ]);
  });

  it('target decomposition: 240万 -> 120 deals -> 10 wins a week -> 50 new a week -> 10 reps', async () => {
    const body = {
      revenueTarget: 2_400_000,
      averageDealSize: 20_000,
      conversion: { standardCounts: [10, 6, 3, 2] },
      sellingWeeks: 12,
      cycleWeeks: 3,
      newOpportunitiesPerRepPerWeek: 5,
    };
    const res = await director.post('/api/v1/analytics/target-decomposition', body);
    expect(res.json()).toMatchObject({
      conversion: 0.2,
      dealsNeeded: 120,
      winsPerWeek: 10,
      newOpportunitiesPerWeek: 50,
      repsNeeded: 10,
      leadTimeWeeks: 3,
      lastEntryWeek: 9,
    });
    const bad = await director.post('/api/v1/analytics/target-decomposition', {
      ...body,
      conversion: { standardCounts: [2, 10] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([
      expect.objectContaining({ path: 'conversion.standardCounts', code: 'counts_increase' }),
    ]);
    // a deal size of 0 would need infinitely many deals: the field is named, never a 500
    for (const averageDealSize of [0, '0.00']) {
      const zero = await director.post('/api/v1/analytics/target-decomposition', {
        ...body,
        averageDealSize,
      });
      expect(zero.statusCode, zero.body).toBe(400);
      expect(zero.json().error.fields).toEqual([
        expect.objectContaining({ path: 'averageDealSize', code: 'positive_amount' }),
      ]);
    }
    // a measured cohort without a single win: the period is named, with its dates
    const empty = await director.request(
      'POST',
      '/api/v1/analytics/target-decomposition',
      { ...body, conversion: { measured: true, from: '2001-01-01', to: '2001-03-31' } },
      { 'accept-language': 'en' },
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields).toEqual([
      expect.objectContaining({
        path: 'conversion.from',
        code: 'no_wins_in_cohort',
        message: expect.stringContaining('from 2001-01-01 to 2001-03-31'),
      }),
    ]);
  });

  it('coverage uses the stored target of the scope and period', async () => {
    const admin = await t.as('admin');
    const target = await admin.post('/api/v1/targets', {
      scope: 'workspace',
      periodKind: 'month',
      periodKey: '2024-06',
      amount: 1_000_000,
    });
    expect(target.statusCode).toBe(201);
    expect(
      (
        await admin.post('/api/v1/targets', {
          scope: 'workspace',
          periodKind: 'month',
          periodKey: '2024-06',
          amount: 1,
        })
      ).json().error.code,
    ).toBe('DUPLICATE');
    const health = (
      await director.get('/api/v1/analytics/health?period=month&date=2024-06-01')
    ).json();
    expect(health.capacity.target).toBe('1000000.00');
    const remaining = Number(health.capacity.remainingTarget);
    expect(remaining).toBe(1_000_000 - Number(health.capacity.realised));
    expect(health.capacity.coverage).toBeCloseTo(
      Number(health.capacity.weightedPipeline) / remaining,
      10,
    );
    expect(
      (
        await rep.post('/api/v1/targets', {
          scope: 'user',
          scopeId: rep.userId,
          periodKind: 'month',
          periodKey: '2024-06',
          amount: 1,
        })
      ).statusCode,
    ).toBe(403);
  });

  it('collection forecast: expected, received, outstanding and overdue', async () => {
    const manager = await t.as('managerNorth');
    const o = await create(manager, { acquiredAt: '2024-04-01T02:00:00Z' });
    await manager.post(`/api/v1/opportunities/${o.id}/close-won`, {
      version: o.version,
      amount: 180_000,
      signedDate: '2024-05-01',
      collections: [
        { expectedDate: '2024-05-20', expectedAmount: 30_000 },
        {
          expectedDate: '2024-06-10',
          expectedAmount: 100_000,
          actualDate: '2024-06-12',
          actualAmount: 100_000,
        },
        { expectedDate: '2024-06-25', expectedAmount: 50_000 },
      ],
    });
    const report = (
      await manager.get('/api/v1/analytics/collections?period=month&date=2024-06-01')
    ).json();
    expect(report).toMatchObject({
      metric: 'collection_forecast',
      expected: { count: 2, amount: '150000.00' },
      received: { count: 1, amount: '100000.00' },
      receivedOfExpected: '100000.00',
      collectionRate: { numerator: 10_000_000, denominator: 15_000_000 },
      outstanding: { count: 1, amount: '50000.00' },
      overdue: { count: 2, amount: '80000.00' }, // today is 5 July: 20 May and 25 June are unpaid
    });
  });

  it('gives a rep analytics of their own deals only', async () => {
    const other = await t.as('repC');
    await create(other, { acquiredAt: '2024-06-03T02:00:00Z' });
    const mine = (await rep.get('/api/v1/analytics/funnel?period=month&date=2024-06-15')).json();
    const theirs = (
      await other.get('/api/v1/analytics/funnel?period=month&date=2024-06-15')
    ).json();
    const all = (
      await director.get('/api/v1/analytics/funnel?period=month&date=2024-06-15')
    ).json();
    expect(theirs.result.cohortSize).toBe(1);
    expect(all.result.cohortSize).toBeGreaterThanOrEqual(
      mine.result.cohortSize + theirs.result.cohortSize,
    );
    const filtered = (
      await director.get(
        `/api/v1/analytics/funnel?period=month&date=2024-06-15&ownerId=${other.userId}`,
      )
    ).json();
    expect(filtered.result.cohortSize).toBe(1);
    const custom = await director.get(
      '/api/v1/analytics/funnel?period=custom&from=2024-06-30&to=2024-06-01',
    );
    expect(custom.json().error.fields[0]).toMatchObject({ path: 'to', code: 'date_order' });
    const missing = await director.get('/api/v1/analytics/funnel?period=custom');
    expect(missing.json().error.fields[0]).toMatchObject({ path: 'from', code: 'required' });
  });
});
