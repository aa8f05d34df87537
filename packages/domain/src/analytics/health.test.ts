import { describe, expect, it } from 'vitest';
import { funnelHealth, standardVsActual } from './health';
import { monthPeriod } from './periods';
import { at, build, many, presetStages, simpleStages } from './test-support';

const std = presetStages('standard6'); // ratios 10:6:4:3:2, dwell 7/10/14/14/7, probability 10/20/50/70/90
const june = monthPeriod('2024-06', 'UTC');
const now = at('2024-06-30T00:00:00Z');
const base = { createdAt: '2024-06-01T00:00:00Z', stage: '线索获取', expectedAmount: 1000 };
const data = build(std, [
  ...many(5, 'l', base),
  ...many(1, 'n', { ...base, steps: [{ at: '2024-06-08T00:00:00Z', move: '需求确认' }] }),
  ...many(2, 's', {
    ...base,
    steps: [
      { at: '2024-06-08T00:00:00Z', move: '需求确认' },
      { at: '2024-06-18T00:00:00Z', move: '方案呈现' },
    ],
  }),
  ...many(2, 'b', {
    ...base,
    steps: [
      { at: '2024-06-08T00:00:00Z', move: '需求确认' },
      { at: '2024-06-18T00:00:00Z', move: '方案呈现' },
      { at: '2024-06-25T00:00:00Z', move: '商务谈判' },
    ],
  }),
  // Postponed deals are not part of the current counts.
  {
    ...base,
    id: 'postponed',
    createdAt: '2024-05-01T00:00:00Z',
    steps: [{ at: '2024-05-02T00:00:00Z', postpone: true }],
  },
]);

describe('standardVsActual', () => {
  it('scales the standard count ratio to the first stage’s actual count', () => {
    const r = standardVsActual({ stages: std, opportunities: data.opportunities });
    expect(r.anchor).toEqual({ stageId: '线索获取', actual: 5, standardCountRatio: 10 });
    expect(r.rows.map((x) => [x.name, x.actual, x.standard, x.difference])).toEqual([
      ['线索获取', 5, 5, 0],
      ['需求确认', 1, 3, -2],
      ['方案呈现', 2, 2, 0],
      ['商务谈判', 2, 1.5, 0.5],
      ['合同签订', 0, 1, -1],
    ]);
    expect(r.rows[1]!.ratioToStandard).toBeCloseTo(1 / 3, 12);
  });
  it('anchors on the first stage that has a ratio', () => {
    const f7 = presetStages('forecast7');
    const d = build(f7, [
      ...many(4, 'a', { createdAt: '2024-06-01T00:00:00Z', stage: '目标客户' }),
      ...many(5, 'b', { createdAt: '2024-06-01T00:00:00Z', stage: '意向客户' }),
      ...many(2, 'c', { createdAt: '2024-06-01T00:00:00Z', stage: '方案' }),
    ]);
    const r = standardVsActual({ stages: f7, opportunities: d.opportunities });
    expect(r.anchor).toEqual({ stageId: '意向客户', actual: 5, standardCountRatio: 10 });
    expect(r.rows.map((x) => [x.name, x.standard])).toEqual([
      ['目标客户', null],
      ['潜在客户', null],
      ['意向客户', 5],
      ['立项', null],
      ['方案', 3],
      ['商务谈判', 1.5],
    ]);
  });
  it('has no standard without ratios', () => {
    const r = standardVsActual({ stages: simpleStages(['A']), opportunities: [] });
    expect(r.anchor).toBeNull();
    expect(r.rows[0]).toMatchObject({ actual: 0, standard: null, ratioToStandard: null });
  });
});

describe('funnelHealth', () => {
  const h = funnelHealth({ stages: std, ...data, period: june, now, remainingTarget: 6200 });

  it('capacity = weighted open pipeline / remaining target', () => {
    // 5×100 + 1×200 + 2×500 + 2×700
    expect(h.capacity).toEqual({
      weightedPipeline: 3100,
      remainingTarget: 6200,
      coverage: { numerator: 3100, denominator: 6200, value: 0.5 },
    });
    const met = funnelHealth({ stages: std, ...data, period: june, now, remainingTarget: 0 });
    expect(met.capacity.coverage.value).toBeNull();
  });

  it('slope compares each conversion with ratio(k+1)/ratio(k)', () => {
    expect(h.slope.map((s) => [s.fromName, s.rate.value, s.standard])).toEqual([
      ['线索获取', 0.5, 0.6],
      ['需求确认', 0.8, 4 / 6],
      ['方案呈现', 0.5, 0.75],
      ['商务谈判', 0, 2 / 3],
      ['合同签订', null, null],
    ]);
    expect(h.slope[0]!.ratioToStandard).toBeCloseTo(0.5 / 0.6, 12);
    expect(h.slope[1]!.ratioToStandard).toBeCloseTo(1.2, 12);
    expect(h.slope[3]!.ratioToStandard).toBe(0);
    expect(h.slope[4]!.ratioToStandard).toBeNull();
  });

  it('evenness = 1 − total variation distance to the standard shape', () => {
    expect(h.evenness.rows.map((r) => [r.actualShare, r.standardShare])).toEqual([
      [0.5, 0.4],
      [0.1, 0.24],
      [0.2, 0.16],
      [0.2, 0.12],
      [0, 0.08],
    ]);
    expect(h.evenness.totalVariationDistance).toBeCloseTo(0.22, 12);
    expect(h.evenness.value).toBeCloseTo(0.78, 12);
  });

  it('velocity = mean dwell vs standard dwell', () => {
    expect(h.velocity.rows.map((r) => [r.name, r.meanDays, r.ratioToStandard])).toEqual([
      ['线索获取', 7, 1],
      ['需求确认', 10, 1],
      ['方案呈现', 7, 0.5],
      ['商务谈判', null, null],
      ['合同签订', null, null],
    ]);
    expect(h.velocity.ratioToStandard).toBeCloseTo(24 / 31, 12);
  });

  it('a perfectly shaped funnel has evenness 1', () => {
    const d = build(std, [
      ...many(20, 'a', { createdAt: '2024-06-01T00:00:00Z', stage: '线索获取' }),
      ...many(12, 'b', { createdAt: '2024-06-01T00:00:00Z', stage: '需求确认' }),
      ...many(8, 'c', { createdAt: '2024-06-01T00:00:00Z', stage: '方案呈现' }),
      ...many(6, 'd', { createdAt: '2024-06-01T00:00:00Z', stage: '商务谈判' }),
      ...many(4, 'e', { createdAt: '2024-06-01T00:00:00Z', stage: '合同签订' }),
    ]);
    const r = funnelHealth({ stages: std, ...d, period: june, now, remainingTarget: 1 });
    expect(r.evenness.value).toBeCloseTo(1, 12);
  });

  it('is empty but defined for an empty pipeline', () => {
    const r = funnelHealth({
      stages: std,
      opportunities: [],
      events: [],
      period: june,
      now,
      remainingTarget: 100,
    });
    expect(r.capacity.coverage.value).toBe(0);
    expect(r.evenness.value).toBeNull();
    expect(r.velocity.ratioToStandard).toBeNull();
    expect(r.slope.every((s) => s.rate.value === null && s.ratioToStandard === null)).toBe(true);
  });
});
