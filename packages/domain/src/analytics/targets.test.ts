import { describe, expect, it } from 'vitest';
import { overallConversion, quota, targetDecomposition } from './targets';
import { WAN } from './test-support';

describe('quota', () => {
  it('SPEC F-7: 1035万 × 1.17 × 75% × 26.5% is exactly 240.6763125万', () => {
    const q = quota({ baseMinor: 1035 * WAN, factors: [1.17, 0.75, 0.265] });
    expect(q.exactMinor).toBe('240676312.5');
    expect(q.valueWan).toBe(240.6763125);
    expect(q.roundedMinor).toBe(240_676_313);
    // The seed shows 240.67万 and plans with 240万 (rounded down for the decomposition).
    expect(Math.floor(q.valueWan * 100) / 100).toBe(240.67);
    expect(Math.floor(q.valueWan)).toBe(240);
  });
  it('is exact where floating point is not', () => {
    expect(3 * 0.1 * 0.2).not.toBe(0.06);
    expect(quota({ baseMinor: 3, factors: [0.1, 0.2] }).exactMinor).toBe('0.06');
    expect(quota({ baseMinor: 10, factors: [0.1, 0.2] }).exactMinor).toBe('0.2');
    expect(quota({ baseMinor: 3, factors: [0.5] }).roundedMinor).toBe(2);
    expect(quota({ baseMinor: 100, factors: [] }).exactMinor).toBe('100');
    expect(quota({ baseMinor: 100, factors: [1e-7] }).exactMinor).toBe('0.00001');
  });
});

describe('overallConversion', () => {
  it('from standard counts, stage conversions or directly', () => {
    expect(overallConversion({ kind: 'standardCounts', counts: [10, 6, 3, 2] })).toBe(0.2);
    expect(overallConversion({ kind: 'stageConversions', rates: [0.6, 0.5, 2 / 3] })).toBeCloseTo(
      0.2,
      12,
    );
    expect(overallConversion({ kind: 'overall', rate: 0.25 })).toBe(0.25);
    expect(() => overallConversion({ kind: 'standardCounts', counts: [] })).toThrow();
  });
});

describe('targetDecomposition', () => {
  it('SPEC F-7: 240万 → 120 deals, 10 wins/week, 50 new/week, 10 reps, 3 weeks lead time', () => {
    const r = targetDecomposition({
      revenueTarget: 240 * WAN,
      averageDealSize: 2 * WAN,
      conversion: { kind: 'standardCounts', counts: [10, 6, 3, 2] },
      sellingWeeks: 12,
      cycleWeeks: 3,
      newOpportunitiesPerRepPerWeek: 5,
    });
    expect(r).toMatchObject({
      overallConversion: 0.2,
      dealsNeeded: 120,
      winsPerWeek: 10,
      newOpportunities: 600,
      newOpportunitiesPerWeek: 50,
      repsNeeded: 10,
      leadTimeWeeks: 3,
      lastEntryWeek: 9,
    });
  });
  it('ceils counts of deals and people', () => {
    const r = targetDecomposition({
      revenueTarget: 241 * WAN,
      averageDealSize: 2 * WAN,
      conversion: { kind: 'overall', rate: 0.2 },
      sellingWeeks: 12,
      cycleWeeks: 3,
      newOpportunitiesPerRepPerWeek: 5,
    });
    expect(r.dealsExact).toBe(120.5);
    expect(r.dealsNeeded).toBe(121);
    expect(r.winsPerWeekExact).toBeCloseTo(121 / 12, 12);
    expect(r.winsPerWeek).toBe(11);
    expect(r.newOpportunities).toBe(605);
    expect(r.newOpportunitiesPerWeek).toBe(51); // 50.42
    expect(r.repsNeeded).toBe(11); // 10.08
  });
  it('rejects impossible inputs', () => {
    const ok = {
      revenueTarget: 1,
      averageDealSize: 1,
      conversion: { kind: 'overall', rate: 0.5 } as const,
      sellingWeeks: 1,
      cycleWeeks: 0,
      newOpportunitiesPerRepPerWeek: 1,
    };
    expect(() => targetDecomposition({ ...ok, averageDealSize: 0 })).toThrow();
    expect(() => targetDecomposition({ ...ok, sellingWeeks: 0 })).toThrow();
    expect(() =>
      targetDecomposition({ ...ok, conversion: { kind: 'overall', rate: 0 } }),
    ).toThrow();
    expect(() => targetDecomposition({ ...ok, newOpportunitiesPerRepPerWeek: 0 })).toThrow();
  });
});
