import { describe, expect, it } from 'vitest';
import { channelEffectiveness } from './channel';
import { monthPeriod } from './periods';
import { WAN, build, many, simpleStages } from './test-support';
import type { OppSpec } from './test-support';

const stages = simpleStages(['A', 'B']);
const june = monthPeriod('2024-06', 'UTC');

function channel(source: string, created: number, won: number, amount: number): OppSpec[] {
  return [
    ...many(won, `${source}-won`, {
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      source,
      steps: [{ at: '2024-06-20T00:00:00Z', won: amount }],
    }),
    ...many(created - won, `${source}-open`, {
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      source,
    }),
  ];
}

describe('channelEffectiveness', () => {
  it('SPEC seed: 官网注册 15% / 8万, 行业展会 25% / 12万, 转介绍 30% / 15万', () => {
    const { opportunities } = build(stages, [
      ...channel('官网注册', 20, 3, 8 * WAN),
      ...channel('行业展会', 20, 5, 12 * WAN),
      ...channel('转介绍', 10, 3, 15 * WAN),
    ]);
    const rows = channelEffectiveness({ opportunities, period: june });
    expect(rows.map((r) => [r.source, r.conversion.value, r.averageWonAmount! / WAN])).toEqual([
      ['官网注册', 0.15, 8],
      ['行业展会', 0.25, 12],
      ['转介绍', 0.3, 15],
    ]);
    expect(rows[0]).toMatchObject({ created: 20, won: 3, wonAmount: 24 * WAN });
  });
  it('mixed amounts average and round; a source without wins has no average', () => {
    const { opportunities } = build(stages, [
      ...channel('x', 2, 1, 101),
      ...channel('x2', 1, 1, 100).map((s) => ({ ...s, source: 'x' })),
      ...channel('none', 3, 0, 0),
      { id: 'nosource', createdAt: '2024-06-01T00:00:00Z', stage: 'A' },
      { id: 'may', createdAt: '2024-05-01T00:00:00Z', stage: 'A', source: 'x' },
    ]);
    const rows = channelEffectiveness({ opportunities, period: june });
    expect(rows.map((r) => [r.source, r.created, r.won, r.averageWonAmount])).toEqual([
      ['none', 3, 0, null],
      ['x', 3, 2, 101], // 100.5 rounds half away from zero
      [null, 1, 0, null],
    ]);
  });
});
