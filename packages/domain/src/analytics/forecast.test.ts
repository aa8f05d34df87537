import { describe, expect, it } from 'vitest';
import {
  calibration,
  forecastBacktest,
  salesVelocity,
  weightedAmount,
  weightedForecast,
} from './forecast';
import type { ForecastGroup, WeightedForecastResult } from './forecast';
import { monthPeriod, periodContaining } from './periods';
import { WAN, at, build, many, presetStages, simpleStages } from './test-support';

const june = monthPeriod('2024-06', 'UTC');

function sumGroups(groups: readonly ForecastGroup[]) {
  return groups.reduce(
    (s, g) => ({
      realisedCount: s.realisedCount + g.realisedCount,
      openCount: s.openCount + g.openCount,
      realised: s.realised + g.realised,
      weighted: s.weighted + g.weighted,
      total: s.total + g.total,
    }),
    { realisedCount: 0, openCount: 0, realised: 0, weighted: 0, total: 0 },
  );
}

function expectGroupsAddUp(r: WeightedForecastResult) {
  for (const groups of [r.byMonth, r.byOwner, r.byTeam, r.byBucket]) {
    expect(sumGroups(groups)).toEqual(r.total);
  }
}

describe('weightedAmount', () => {
  it('rounds amount × probability half away from zero, exactly', () => {
    expect(weightedAmount(12345, 12.35)).toBe(1525); // 1524.6075
    expect(weightedAmount(1, 50)).toBe(1); // 0.5
    expect(weightedAmount(3, 50)).toBe(2); // 1.5
    expect(weightedAmount(5, 10)).toBe(1); // 0.5
    expect(weightedAmount(4, 10)).toBe(0); // 0.4
    expect(weightedAmount(-3, 50)).toBe(-2);
    expect(weightedAmount(1e15, 33.33)).toBe(333_300_000_000_000);
    expect(weightedAmount(999_999_999_999_999, 99.99)).toBe(999_899_999_999_999);
    expect(weightedAmount(100, 0)).toBe(0);
    expect(() => weightedAmount(1.5, 10)).toThrow();
  });
});

describe('weightedForecast', () => {
  it('SPEC forecast weights: 目标客户 0%, 潜在客户 10%, 意向客户 20%, 立项 30%, 方案 50%, 商务谈判 70%, realised 100%', () => {
    const stages = presetStages('forecast7');
    const close = { expectedCloseDate: '2024-06-20' };
    const { opportunities } = build(stages, [
      {
        id: 't',
        createdAt: '2024-05-01T00:00:00Z',
        stage: '目标客户',
        expectedAmount: 50 * WAN,
        ...close,
      },
      {
        id: 'p',
        createdAt: '2024-05-01T00:00:00Z',
        stage: '潜在客户',
        expectedAmount: 40 * WAN,
        ...close,
      },
      {
        id: 'i',
        createdAt: '2024-05-01T00:00:00Z',
        stage: '意向客户',
        expectedAmount: 30 * WAN,
        ...close,
      },
      {
        id: 'l',
        createdAt: '2024-05-01T00:00:00Z',
        stage: '立项',
        expectedAmount: 20 * WAN,
        ...close,
      },
      {
        id: 's',
        createdAt: '2024-05-01T00:00:00Z',
        stage: '方案',
        expectedAmount: 10 * WAN,
        ...close,
      },
      {
        id: 'n',
        createdAt: '2024-05-01T00:00:00Z',
        stage: '商务谈判',
        expectedAmount: 10 * WAN,
        ...close,
      },
      {
        id: 'w',
        createdAt: '2024-05-01T00:00:00Z',
        stage: '商务谈判',
        expectedAmount: 12 * WAN,
        steps: [{ at: '2024-06-05T00:00:00Z', won: 15 * WAN, wonDate: '2024-06-05' }],
      },
    ]);
    const r = weightedForecast({ stages, opportunities, period: june });
    expect(Object.fromEntries(r.items.map((i) => [i.opportunityId, i.value / WAN]))).toEqual({
      t: 0,
      p: 4,
      i: 6,
      l: 6,
      s: 5,
      n: 7,
      w: 15,
    });
    expect(r.total).toEqual({
      realisedCount: 1,
      openCount: 6,
      realised: 15 * WAN,
      weighted: 28 * WAN,
      total: 43 * WAN,
    });
    expect(r.byBucket.map((g) => [g.key, g.total / WAN])).toEqual([
      ['best_case', 5],
      ['closed_won', 15],
      ['commit', 7],
      ['pipeline', 16],
    ]);
    expectGroupsAddUp(r);
  });

  it('uses the opportunity override, leaves postponed/undated/other months out, reports excluded', () => {
    const stages = simpleStages(['A', 'B'], {
      A: { winProbability: 10 },
      B: { winProbability: 60, forecastCategory: 'best_case' },
    });
    const { opportunities } = build(stages, [
      {
        id: 'override',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'B',
        expectedAmount: 1000,
        winProbability: 85,
        forecastCategoryOverride: 'commit',
        expectedCloseDate: '2024-06-30',
        ownerId: 'r1',
        teamId: 't1',
      },
      {
        id: 'stage',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'A',
        expectedAmount: 1000,
        expectedCloseDate: '2024-06-01',
        ownerId: 'r2',
        teamId: null,
      },
      {
        id: 'postponed',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'B',
        expectedAmount: 1000,
        expectedCloseDate: '2024-06-15',
        steps: [{ at: '2024-05-10T00:00:00Z', postpone: true }],
      },
      { id: 'undated', createdAt: '2024-05-01T00:00:00Z', stage: 'B', expectedAmount: 1000 },
      {
        id: 'overdue',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'B',
        expectedAmount: 1000,
        expectedCloseDate: '2024-05-31',
      },
      {
        id: 'july',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'B',
        expectedAmount: 1000,
        expectedCloseDate: '2024-07-01',
      },
      {
        id: 'lost',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'B',
        expectedAmount: 1000,
        expectedCloseDate: '2024-06-10',
        steps: [{ at: '2024-06-02T00:00:00Z', lost: 'x' }],
      },
    ]);
    const r = weightedForecast({ stages, opportunities, period: june });
    expect(r.items.map((i) => [i.opportunityId, i.probability, i.value, i.bucket])).toEqual([
      ['override', 85, 850, 'commit'],
      ['stage', 10, 100, 'pipeline'],
    ]);
    expect(r.excluded).toEqual({
      undated: { count: 1, weighted: 600 },
      overdue: { count: 1, weighted: 600 },
    });
    expect(r.byOwner.map((g) => [g.key, g.total])).toEqual([
      ['r1', 850],
      ['r2', 100],
    ]);
    expect(r.byTeam.map((g) => [g.key, g.total])).toEqual([
      ['t1', 850],
      [null, 100],
    ]);
    expectGroupsAddUp(r);
  });

  it('rounds per opportunity so that totals equal the sum of groups', () => {
    const stages = simpleStages(['A'], { A: { winProbability: 50 } });
    const { opportunities } = build(
      stages,
      ['r1', 'r2', 'r3'].map((ownerId, i) => ({
        id: `o${i}`,
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'A',
        ownerId,
        expectedAmount: 1,
        expectedCloseDate: `2024-0${4 + i}-15`,
      })),
    );
    const r = weightedForecast({
      stages,
      opportunities,
      period: periodContaining('quarter', '2024-04-01', 'UTC'),
    });
    // Each 0.5 rounds to 1: the total is 3, not round(1.5) = 2.
    expect(r.total.weighted).toBe(3);
    expect(r.byMonth.map((g) => [g.key, g.weighted])).toEqual([
      ['2024-04', 1],
      ['2024-05', 1],
      ['2024-06', 1],
    ]);
    expectGroupsAddUp(r);
  });

  it('groups by month in the period zone and is empty for an empty period', () => {
    const stages = simpleStages(['A']);
    const { opportunities } = build(stages, [
      {
        id: 'w',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'A',
        steps: [{ at: '2024-05-31T16:30:00Z', won: 10, wonDate: '2024-06-01' }],
      },
    ]);
    const sh = weightedForecast({
      stages,
      opportunities,
      period: monthPeriod('2024-06', 'Asia/Shanghai'),
    });
    expect(sh.byMonth.map((g) => g.key)).toEqual(['2024-06']);
    const empty = weightedForecast({
      stages,
      opportunities,
      period: monthPeriod('2023-01', 'UTC'),
    });
    expect(empty.total.total).toBe(0);
    expect(empty.byMonth).toEqual([]);
  });

  it('throws on an unknown stage', () => {
    const stages = simpleStages(['A']);
    const { opportunities } = build(stages, [
      { id: 'x', createdAt: '2024-05-01T00:00:00Z', stage: 'A', expectedCloseDate: '2024-06-01' },
    ]);
    expect(() => weightedForecast({ stages: [], opportunities, period: june })).toThrow(
      /unknown stage/,
    );
  });
});

describe('forecastBacktest', () => {
  const stages = simpleStages(['A', 'B', 'C'], {
    A: { winProbability: 20 },
    B: { winProbability: 40 },
    C: { winProbability: 60 },
  });
  const { opportunities, events } = build(stages, [
    // In B at the start of June, closes in June: 40% of 100 = 40; won 120 in June.
    {
      id: 'o1',
      createdAt: '2024-05-01T00:00:00Z',
      stage: 'A',
      expectedAmount: 100,
      expectedCloseDate: '2024-06-20',
      steps: [
        { at: '2024-05-20T00:00:00Z', move: 'B' },
        { at: '2024-06-10T00:00:00Z', move: 'C' },
        { at: '2024-06-15T00:00:00Z', won: 120 },
      ],
    },
    // In C at the start of June: 60% of 1000 = 600; lost in June.
    {
      id: 'o2',
      createdAt: '2024-05-01T00:00:00Z',
      stage: 'C',
      expectedAmount: 1000,
      expectedCloseDate: '2024-06-25',
      steps: [{ at: '2024-06-20T00:00:00Z', lost: 'price' }],
    },
    // Created in June and won in June: actual, not forecast.
    {
      id: 'o3',
      createdAt: '2024-06-05T00:00:00Z',
      stage: 'A',
      expectedAmount: 50,
      expectedCloseDate: '2024-06-25',
      steps: [{ at: '2024-06-25T00:00:00Z', won: 50 }],
    },
    // Postponed at the start of June.
    {
      id: 'o4',
      createdAt: '2024-05-01T00:00:00Z',
      stage: 'B',
      expectedAmount: 1000,
      expectedCloseDate: '2024-06-25',
      steps: [
        { at: '2024-05-15T00:00:00Z', postpone: true },
        { at: '2024-06-03T00:00:00Z', reopen: 'B' },
      ],
    },
    // Already won in May.
    {
      id: 'o5',
      createdAt: '2024-05-01T00:00:00Z',
      stage: 'B',
      expectedAmount: 1000,
      expectedCloseDate: '2024-06-25',
      steps: [{ at: '2024-05-20T00:00:00Z', won: 1000 }],
    },
    // Expected in July.
    {
      id: 'o6',
      createdAt: '2024-05-01T00:00:00Z',
      stage: 'C',
      expectedAmount: 1000,
      expectedCloseDate: '2024-07-25',
    },
  ]);

  it('rebuilds the forecast at the start of the month and compares with what was won', () => {
    const r = forecastBacktest({
      stages,
      opportunities,
      events,
      month: '2024-06',
      timeZone: 'UTC',
    });
    expect(r.at).toEqual(at('2024-06-01T00:00:00Z'));
    expect(r.items.map((i) => [i.opportunityId, i.stageId, i.value])).toEqual([
      ['o1', 'B', 40],
      ['o2', 'C', 600],
    ]);
    expect(r).toMatchObject({
      forecast: 640,
      forecastCount: 2,
      actual: 170,
      actualCount: 2,
      actualFromForecast: 120,
      error: -470,
      ratio: { numerator: 170, denominator: 640, value: 170 / 640 },
    });
  });

  it('a month before any opportunity existed forecasts nothing', () => {
    const r = forecastBacktest({
      stages,
      opportunities,
      events,
      month: '2024-01',
      timeZone: 'UTC',
    });
    expect(r.forecast).toBe(0);
    expect(r.ratio.value).toBeNull();
  });
});

describe('calibration', () => {
  const stages = simpleStages(['A', 'B'], { A: { winProbability: 10 }, B: { winProbability: 50 } });
  const { opportunities, events } = build(stages, [
    ...many(3, 'won', {
      createdAt: '2024-05-01T00:00:00Z',
      stage: 'A',
      steps: [
        { at: '2024-05-02T00:00:00Z', move: 'B' },
        { at: '2024-05-03T00:00:00Z', won: 1 },
      ],
    }),
    ...many(5, 'lost', {
      createdAt: '2024-05-01T00:00:00Z',
      stage: 'A',
      steps: [{ at: '2024-05-02T00:00:00Z', lost: null }],
    }),
    ...many(2, 'open', { createdAt: '2024-05-01T00:00:00Z', stage: 'A' }),
    // Created in B: never in A.
    {
      id: 'b-only',
      createdAt: '2024-05-01T00:00:00Z',
      stage: 'B',
      steps: [{ at: '2024-05-02T00:00:00Z', lost: null }],
    },
  ]);

  it('observed won share of closed deals ever in the stage, with a Wilson interval', () => {
    const [a, b] = calibration({ stages, opportunities, events });
    expect(a).toMatchObject({
      stageId: 'A',
      configured: 0.1,
      everIn: 10,
      closed: 8,
      won: 3,
      observed: { numerator: 3, denominator: 8, value: 0.375 },
      withinInterval: false,
    });
    expect(a!.interval!.lower).toBeCloseTo(0.1368, 4);
    expect(a!.interval!.upper).toBeCloseTo(0.6943, 4);
    expect(b).toMatchObject({
      everIn: 4,
      closed: 4,
      won: 3,
      observed: { value: 0.75 },
      withinInterval: true,
    });
  });
  it('is null without closed deals', () => {
    const r = calibration({ stages, opportunities: [], events: [] });
    expect(r[0]).toMatchObject({ observed: { value: null }, interval: null, withinInterval: null });
  });
});

describe('salesVelocity', () => {
  const stages = simpleStages(['A']);
  const { opportunities } = build(stages, [
    {
      id: 'w1',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      steps: [{ at: '2024-06-11T00:00:00Z', won: 100 }],
    },
    {
      id: 'w2',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      steps: [{ at: '2024-06-21T00:00:00Z', won: 200 }],
    },
    ...many(2, 'l', {
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      steps: [{ at: '2024-06-05T00:00:00Z', lost: null }],
    }),
    ...many(2, 'open', { createdAt: '2024-06-01T00:00:00Z', stage: 'A' }),
    {
      id: 'p',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      steps: [{ at: '2024-06-05T00:00:00Z', postpone: true }],
    },
  ]);
  it('open deals × average won × win rate / cycle days', () => {
    expect(salesVelocity({ opportunities, period: june })).toEqual({
      openDeals: 2,
      averageWonAmount: 150,
      winRate: { numerator: 2, denominator: 4, value: 0.5 },
      averageCycleDays: 15,
      perDay: 10,
      per30Days: 300,
    });
  });
  it('is null without wins', () => {
    expect(
      salesVelocity({ opportunities, period: monthPeriod('2023-01', 'UTC') }).perDay,
    ).toBeNull();
  });
});
