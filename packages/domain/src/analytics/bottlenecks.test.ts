import { describe, expect, it } from 'vitest';
import { assessConversion, bottlenecks, historicalBenchmarks } from './bottlenecks';
import { cohortConversion } from './conversion';
import { monthPeriod } from './periods';
import { build, many, presetStages } from './test-support';

describe('assessConversion', () => {
  it('clearly significant: 10/100 against 30% is below; 50/100 is above', () => {
    const below = assessConversion(10, 100, 0.3);
    expect(below.verdict).toBe('below');
    expect(below.pBelow!).toBeLessThan(1e-5);
    expect(below.interval!.upper).toBeLessThan(0.3);
    expect(assessConversion(50, 100, 0.3).verdict).toBe('above');
  });
  it('borderline around the 5% level (n = 50, p0 = 30%)', () => {
    const x9 = assessConversion(9, 50, 0.3);
    expect(x9.verdict).toBe('below');
    expect(x9.pBelow!).toBeCloseTo(0.0402, 4);
    const x10 = assessConversion(10, 50, 0.3);
    // 20% observed vs 30% is not significant with 50 deals.
    expect(x10.verdict).toBe('not_significant');
    expect(x10.pBelow!).toBeCloseTo(0.0789, 4);
    expect(x10.interval!.lower).toBeLessThan(0.2);
    expect(x10.interval!.upper).toBeGreaterThan(0.3);
    expect(assessConversion(21, 50, 0.3).verdict).toBe('above');
    expect(assessConversion(20, 50, 0.3).verdict).toBe('not_significant');
  });
  it('tiny samples are insufficient data, with the interval still shown', () => {
    const tiny = assessConversion(0, 8, 0.3);
    expect(tiny.verdict).toBe('insufficient_data');
    expect(tiny.pBelow).toBeNull();
    expect(tiny.interval).not.toBeNull();
    expect(tiny.observed).toEqual({ numerator: 0, denominator: 8, value: 0 });
    expect(assessConversion(0, 16, 0.3).verdict).toBe('insufficient_data'); // n·p0 = 4.8
    expect(assessConversion(0, 17, 0.3).verdict).toBe('below'); // n·p0 = 5.1
    expect(assessConversion(95, 100, 0.97).verdict).toBe('insufficient_data'); // n·(1−p0) = 3
    expect(assessConversion(0, 0, 0.3)).toMatchObject({
      verdict: 'insufficient_data',
      interval: null,
      observed: { value: null },
    });
  });
});

describe('bottlenecks', () => {
  const stages = presetStages('marketing'); // 认知 兴趣 意向 谈判 成交
  const june = monthPeriod('2024-06', 'UTC');
  const { opportunities, events } = build(stages, [
    // 40 reach 意向; 6 of them win (15%), below the industry's 30%.
    ...many(6, 'won', {
      createdAt: '2024-06-01T00:00:00Z',
      stage: '意向',
      steps: [{ at: '2024-06-10T00:00:00Z', won: 1 }],
    }),
    ...many(34, 'stuck', {
      createdAt: '2024-06-01T00:00:00Z',
      stage: '意向',
      steps: [{ at: '2024-06-10T00:00:00Z', lost: null }],
    }),
    // 60 never got past 认知.
    ...many(60, 'cold', { createdAt: '2024-06-01T00:00:00Z', stage: '认知' }),
  ]);
  const conversion = cohortConversion({ stages, opportunities, events, period: june });

  it('flags 意向→成交 against the configured industry figure 30%', () => {
    const [row] = bottlenecks({
      conversion,
      benchmarks: [{ fromStageId: '意向', toStageId: '成交', rate: 0.3, source: 'configured' }],
    });
    expect(row).toMatchObject({
      fromName: '意向',
      toName: '成交',
      source: 'configured',
      observed: { numerator: 6, denominator: 40, value: 0.15 },
      verdict: 'below',
    });
    expect(row!.pBelow!).toBeCloseTo(0.0238, 4);
  });

  it('uses an earlier cohort as history and rejects backward pairs', () => {
    const benchmarks = historicalBenchmarks(conversion);
    expect(benchmarks.map((b) => [b.fromStageId, b.toStageId, b.rate])).toEqual([
      ['认知', '兴趣', 0.4],
      ['兴趣', '意向', 1],
      ['意向', '谈判', 0.15],
      ['谈判', '成交', 1],
    ]);
    const rows = bottlenecks({ conversion, benchmarks });
    expect(rows.map((r) => r.verdict)).toEqual([
      'not_significant',
      'insufficient_data',
      'not_significant',
      'insufficient_data',
    ]);
    expect(() =>
      bottlenecks({
        conversion,
        benchmarks: [{ fromStageId: '成交', toStageId: '意向', rate: 0.3, source: 'configured' }],
      }),
    ).toThrow();
  });
});
