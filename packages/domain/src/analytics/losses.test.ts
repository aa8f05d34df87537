import { describe, expect, it } from 'vitest';
import { lossReasons } from './losses';
import { monthPeriod } from './periods';
import { build, many, simpleStages } from './test-support';
import type { OppSpec } from './test-support';

const stages = simpleStages(['A', 'B', 'C']);
const lostAt = (
  stage: string,
  reason: string | null,
  count: number,
  when = '2024-06-10T00:00:00Z',
): OppSpec[] =>
  many(count, `${stage}-${reason}-${when}`, {
    createdAt: '2024-06-01T00:00:00Z',
    stage,
    steps: [{ at: when, lost: reason }],
  });
const data = build(stages, [
  ...lostAt('A', 'price', 2),
  ...lostAt('A', 'timing', 1),
  ...lostAt('C', 'price', 2),
  ...lostAt('C', 'competitor', 3),
  ...lostAt('C', 'budget', 2),
  ...lostAt('B', null, 1),
  ...lostAt('B', 'price', 5, '2024-05-10T00:00:00Z'),
  { id: 'open', createdAt: '2024-06-01T00:00:00Z', stage: 'A' },
]);

describe('lossReasons', () => {
  it('top 3 overall and per stage lost from, with shares of lost', () => {
    const r = lossReasons({ stages, ...data, period: monthPeriod('2024-06', 'UTC') });
    expect(r.lost).toBe(11);
    expect(r.top.map((x) => [x.reason, x.count, x.share.value])).toEqual([
      ['price', 4, 4 / 11],
      ['competitor', 3, 3 / 11],
      ['budget', 2, 2 / 11],
    ]);
    expect(
      r.byStage.map((s) => [s.stageId, s.lost, s.top.map((x) => [x.reason, x.count])]),
    ).toEqual([
      [
        'A',
        3,
        [
          ['price', 2],
          ['timing', 1],
        ],
      ],
      ['B', 1, [[null, 1]]],
      [
        'C',
        7,
        [
          ['competitor', 3],
          ['budget', 2],
          ['price', 2],
        ],
      ],
    ]);
    expect(r.byStage[2]!.top[0]!.share).toEqual({ numerator: 3, denominator: 7, value: 3 / 7 });
  });
  it('without a period counts every lost deal; an empty period gives nothing', () => {
    expect(lossReasons({ stages, ...data }).top[0]).toMatchObject({ reason: 'price', count: 9 });
    const empty = lossReasons({ stages, ...data, period: monthPeriod('2023-01', 'UTC'), top: 5 });
    expect(empty).toEqual({ lost: 0, top: [], byStage: [] });
  });
  it('a reopened and re-lost deal counts once, from the last stage it was lost from', () => {
    const d = build(stages, [
      {
        id: 'x',
        createdAt: '2024-06-01T00:00:00Z',
        stage: 'A',
        steps: [
          { at: '2024-06-02T00:00:00Z', lost: 'price' },
          { at: '2024-06-03T00:00:00Z', reopen: 'B' },
          { at: '2024-06-04T00:00:00Z', lost: 'budget' },
        ],
      },
    ]);
    const r = lossReasons({ stages, ...d });
    expect(r.byStage.map((s) => [s.stageId, s.top.map((t) => t.reason)])).toEqual([
      ['B', ['budget']],
    ]);
  });
});
