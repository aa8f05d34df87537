import { describe, expect, it } from 'vitest';
import { stageDwell } from './dwell';
import { monthPeriod } from './periods';
import { at, build, simpleStages } from './test-support';

const stages = simpleStages(['A', 'B', 'C'], {
  A: { standardDwellDays: 7 },
  B: { standardDwellDays: 10 },
  C: { standardDwellDays: 0 },
});
const data = build(stages, [
  {
    id: 'o1',
    createdAt: '2024-06-01T00:00:00Z',
    stage: 'A',
    steps: [
      { at: '2024-06-08T00:00:00Z', move: 'B' },
      { at: '2024-06-18T00:00:00Z', move: 'C' },
    ],
  },
  // Postponed time counts towards the stay; a back move starts a new stay in A.
  {
    id: 'o2',
    createdAt: '2024-06-01T00:00:00Z',
    stage: 'A',
    steps: [
      { at: '2024-06-03T00:00:00Z', postpone: true },
      { at: '2024-06-10T00:00:00Z', reopen: 'A' },
      { at: '2024-06-15T00:00:00Z', move: 'B' },
      { at: '2024-06-20T00:00:00Z', move: 'A' },
    ],
  },
  {
    id: 'o3',
    createdAt: '2024-06-01T00:00:00Z',
    stage: 'A',
    steps: [{ at: '2024-06-04T00:00:00Z', lost: null }],
  },
  // Leaves A after `now`: still running at now.
  {
    id: 'o4',
    createdAt: '2024-06-29T00:00:00Z',
    stage: 'A',
    steps: [{ at: '2024-07-05T00:00:00Z', move: 'B' }],
  },
]);
const now = at('2024-06-30T00:00:00Z');

describe('stageDwell', () => {
  const rows = stageDwell({ stages, ...data, now });
  it('mean and median of completed stays, running stays censored at now', () => {
    expect(rows.map((r) => [r.stageId, r.count, r.openCount, r.meanDays, r.medianDays])).toEqual([
      ['A', 3, 2, 8, 7],
      ['B', 2, 0, 7.5, 7.5],
      ['C', 0, 1, null, null],
    ]);
  });
  it('compares with the standard dwell', () => {
    expect(rows[0]!.ratioToStandard).toBeCloseTo(8 / 7, 12);
    expect(rows[1]!.ratioToStandard).toBe(0.75);
    expect(rows[2]!.ratioToStandard).toBeNull();
    expect(rows[0]!.standardDwellDays).toBe(7);
  });
  it('gives a Kaplan–Meier median over completed and running stays', () => {
    // A: censored 1 (o4), events 3 and 7, censored 10 (o2), event 14:
    // S(3) = 3/4, S(7) = 3/4 × 2/3 = 1/2 -> median 7.
    expect(rows[0]!.kmMedianDays).toBe(7);
    expect(rows[1]!.kmMedianDays).toBe(5);
    expect(rows[2]!.kmMedianDays).toBeNull();
  });
  it('restricts to stays entered in a period', () => {
    const july = stageDwell({
      stages,
      ...data,
      now: at('2024-07-10T00:00:00Z'),
      period: monthPeriod('2024-07', 'UTC'),
    });
    expect(july.map((r) => [r.count, r.openCount])).toEqual([
      [0, 0],
      [0, 1],
      [0, 0],
    ]);
  });
});
