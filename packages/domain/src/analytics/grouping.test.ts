import { describe, expect, it } from 'vitest';
import { cohortConversion } from './conversion';
import { groupKeys, groupMetric, partition, sizeBand } from './grouping';
import { monthPeriod } from './periods';
import { build, simpleStages } from './test-support';

describe('sizeBand', () => {
  it('uses 1-49, 50-199, 200-999, 1000+', () => {
    expect(sizeBand(null)).toBeNull();
    expect(sizeBand(0)).toBeNull();
    expect(sizeBand(1)).toBe('1-49');
    expect(sizeBand(49)).toBe('1-49');
    expect(sizeBand(50)).toBe('50-199');
    expect(sizeBand(199)).toBe('50-199');
    expect(sizeBand(200)).toBe('200-999');
    expect(sizeBand(999)).toBe('200-999');
    expect(sizeBand(1000)).toBe('1000+');
    expect(sizeBand(250_000)).toBe('1000+');
  });
  it('accepts custom bands', () => {
    const bands = [
      { label: 'small', min: 1 },
      { label: 'big', min: 100 },
    ];
    expect(sizeBand(99, bands)).toBe('small');
    expect(sizeBand(100, bands)).toBe('big');
  });
});

describe('partition', () => {
  it('orders groups by key, null last', () => {
    const groups = partition(['b', 'a', null, 'b'], (x) => x);
    expect(groups.map((g) => [g.key, g.items.length])).toEqual([
      ['a', 1],
      ['b', 2],
      [null, 1],
    ]);
  });
});

describe('groupMetric', () => {
  const stages = simpleStages(['A', 'B']);
  const { opportunities, events } = build(stages, [
    {
      id: 'o1',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      ownerId: 'r1',
      employees: 10,
      customFields: { tier: 'gold' },
      steps: [{ at: '2024-06-02T00:00:00Z', move: 'B' }],
    },
    {
      id: 'o2',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      ownerId: 'r2',
      employees: 500,
      customFields: { tier: 2 },
    },
    {
      id: 'o3',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      ownerId: 'r1',
      employees: null,
      steps: [{ at: '2024-06-03T00:00:00Z', won: 1 }],
    },
  ]);
  const input = { stages, opportunities, events, period: monthPeriod('2024-06', 'UTC') };

  it('runs a metric per group with only that group’s events', () => {
    const groups = groupMetric(cohortConversion, input, groupKeys.owner);
    expect(groups.map((g) => [g.key, g.result.stages.map((s) => s.reached)])).toEqual([
      ['r1', [2, 2, 1]],
      ['r2', [1, 0, 0]],
    ]);
  });
  it('supports size bands and custom fields', () => {
    expect(
      groupMetric(cohortConversion, input, groupKeys.sizeBand()).map((g) => [
        g.key,
        g.result.cohortSize,
      ]),
    ).toEqual([
      ['1-49', 1],
      ['200-999', 1],
      [null, 1],
    ]);
    expect(
      groupMetric(cohortConversion, input, groupKeys.customField('tier')).map((g) => g.key),
    ).toEqual(['2', 'gold', null]);
  });
});
