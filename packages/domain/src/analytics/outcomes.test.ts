import { describe, expect, it } from 'vitest';
import { averageDealSize, isWonInPeriod, salesCycle, timeToWin, winRate } from './outcomes';
import { monthPeriod } from './periods';
import { at, build, simpleStages } from './test-support';

const stages = simpleStages(['A', 'B']);
const june = monthPeriod('2024-06', 'UTC');

const { opportunities } = build(stages, [
  // Won in June after 10 days.
  {
    id: 'won1',
    createdAt: '2024-06-01T00:00:00Z',
    stage: 'A',
    steps: [{ at: '2024-06-11T00:00:00Z', won: 100 }],
  },
  // Won in June after 20 days (created in May).
  {
    id: 'won2',
    createdAt: '2024-05-20T00:00:00Z',
    stage: 'B',
    steps: [{ at: '2024-06-09T00:00:00Z', won: 201 }],
  },
  // Lost in June.
  {
    id: 'lost1',
    createdAt: '2024-06-02T00:00:00Z',
    stage: 'A',
    steps: [{ at: '2024-06-12T00:00:00Z', lost: 'price' }],
  },
  // Lost in May: outside.
  {
    id: 'lost-may',
    createdAt: '2024-05-01T00:00:00Z',
    stage: 'A',
    steps: [{ at: '2024-05-30T00:00:00Z', lost: 'price' }],
  },
  // Won in July: outside.
  {
    id: 'won-july',
    createdAt: '2024-06-03T00:00:00Z',
    stage: 'A',
    steps: [{ at: '2024-07-01T00:00:00Z', won: 999 }],
  },
  // Open, created in May; postponed, created in June; open, created in July (not counted).
  { id: 'open1', createdAt: '2024-05-15T00:00:00Z', stage: 'A' },
  {
    id: 'post1',
    createdAt: '2024-06-15T00:00:00Z',
    stage: 'B',
    steps: [{ at: '2024-06-16T00:00:00Z', postpone: true }],
  },
  { id: 'open-july', createdAt: '2024-07-02T00:00:00Z', stage: 'A' },
]);

describe('winRate', () => {
  it('won / (won + lost) of deals closed in the period, open and postponed beside it', () => {
    expect(winRate({ opportunities, period: june })).toEqual({
      won: 2,
      lost: 1,
      winRate: { numerator: 2, denominator: 3, value: 2 / 3 },
      open: 1,
      postponed: 1,
    });
  });
  it('is null when nothing closed', () => {
    const r = winRate({ opportunities, period: monthPeriod('2023-01', 'UTC') });
    expect(r.winRate).toEqual({ numerator: 0, denominator: 0, value: null });
    expect(r.open + r.postponed).toBe(0);
  });
});

describe('averageDealSize', () => {
  it('is the mean wonAmount of won-in-period deals, rounded half away from zero', () => {
    expect(averageDealSize({ opportunities, period: june })).toEqual({
      count: 2,
      total: 301,
      mean: 150.5,
      average: 151,
    });
    expect(averageDealSize({ opportunities, period: monthPeriod('2023-01', 'UTC') })).toEqual({
      count: 0,
      total: 0,
      mean: null,
      average: null,
    });
  });
  it('uses the signing date read as a calendar date in the period zone', () => {
    const d = build(stages, [
      {
        id: 'x',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'A',
        steps: [{ at: '2024-05-31T16:30:00Z', won: 7, wonDate: '2024-06-01' }],
      },
    ]);
    const o = d.opportunities[0]!;
    expect(isWonInPeriod(o, monthPeriod('2024-06', 'Asia/Shanghai'))).toBe(true);
    expect(isWonInPeriod(o, monthPeriod('2024-05', 'Asia/Shanghai'))).toBe(false);
  });
});

describe('salesCycle', () => {
  it('mean and median days from createdAt to the win', () => {
    const extra = build(stages, [
      {
        id: 'won3',
        createdAt: '2024-06-20T00:00:00Z',
        stage: 'A',
        steps: [{ at: '2024-06-23T00:00:00Z', won: 1 }],
      },
    ]);
    expect(
      salesCycle({ opportunities: [...opportunities, ...extra.opportunities], period: june }),
    ).toEqual({ count: 3, meanDays: 11, medianDays: 10 });
    expect(salesCycle({ opportunities, period: monthPeriod('2023-01', 'UTC') })).toEqual({
      count: 0,
      meanDays: null,
      medianDays: null,
    });
  });
});

describe('timeToWin (Kaplan–Meier)', () => {
  it('censors lost deals at close and open ones at now', () => {
    const d = build(stages, [
      {
        id: 'w10',
        createdAt: '2024-06-01T00:00:00Z',
        stage: 'A',
        steps: [{ at: '2024-06-11T00:00:00Z', won: 1 }],
      },
      {
        id: 'l5',
        createdAt: '2024-06-01T00:00:00Z',
        stage: 'A',
        steps: [{ at: '2024-06-06T00:00:00Z', lost: null }],
      },
      { id: 'open', createdAt: '2024-06-01T00:00:00Z', stage: 'A' },
      {
        id: 'w20',
        createdAt: '2024-06-01T00:00:00Z',
        stage: 'A',
        steps: [{ at: '2024-06-21T00:00:00Z', won: 1 }],
      },
      // Closes after `now`: censored at now.
      {
        id: 'future',
        createdAt: '2024-06-01T00:00:00Z',
        stage: 'A',
        steps: [{ at: '2024-08-01T00:00:00Z', won: 1 }],
      },
    ]);
    const km = timeToWin({ ...d, period: june, now: at('2024-07-01T00:00:00Z') });
    expect(km.n).toBe(5);
    expect(km.events).toBe(2);
    expect(km.points.map((p) => [p.time, p.atRisk, p.events, p.censored])).toEqual([
      [5, 5, 0, 1],
      [10, 4, 1, 0],
      [20, 3, 1, 0],
      [30, 2, 0, 2],
    ]);
    expect(km.points[1]!.survival).toBeCloseTo(0.75, 12);
    expect(km.points[2]!.survival).toBeCloseTo(0.5, 12);
    expect(km.medianDays).toBe(20);
  });
  it('has no median for an empty cohort', () => {
    expect(
      timeToWin({
        opportunities,
        period: monthPeriod('2023-01', 'UTC'),
        now: at('2024-07-01T00:00:00Z'),
      }).medianDays,
    ).toBeNull();
  });
});
