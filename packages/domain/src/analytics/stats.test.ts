import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  binomialSurvival,
  ceilCount,
  kaplanMeier,
  mean,
  median,
  rate,
  wilsonInterval,
} from './stats';

/** Exact binomial tail with BigInt binomial coefficients, for cross-checking. */
function exactCdf(x: number, n: number, pNum: number, pDen: number): number {
  let c = 1n;
  let sum = 0n;
  const qNum = pDen - pNum;
  for (let k = 0; k <= n; k++) {
    if (k > 0) c = (c * BigInt(n - k + 1)) / BigInt(k);
    if (k <= x) sum += c * BigInt(pNum) ** BigInt(k) * BigInt(qNum) ** BigInt(n - k);
  }
  const den = BigInt(pDen) ** BigInt(n);
  return Number((sum * 10n ** 15n) / den) / 1e15;
}

describe('rate', () => {
  it('divides, and is null over 0', () => {
    expect(rate(1, 4)).toEqual({ numerator: 1, denominator: 4, value: 0.25 });
    expect(rate(0, 0)).toEqual({ numerator: 0, denominator: 0, value: null });
  });
});

describe('mean and median', () => {
  it('are null for no values', () => {
    expect(mean([])).toBeNull();
    expect(median([])).toBeNull();
  });
  it('median averages the middle pair for an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5, 1, 3])).toBe(3);
    expect(mean([1, 2, 3, 4])).toBe(2.5);
  });
});

describe('wilsonInterval', () => {
  it('matches the textbook 95% interval for 5/10', () => {
    const i = wilsonInterval(5, 10)!;
    expect(i.lower).toBeCloseTo(0.2366, 4);
    expect(i.upper).toBeCloseTo(0.7634, 4);
  });
  it('stays within [0, 1] at the edges and is null for n = 0', () => {
    expect(wilsonInterval(0, 10)!.lower).toBe(0);
    expect(wilsonInterval(10, 10)!.upper).toBe(1);
    expect(wilsonInterval(0, 10)!.upper).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});

describe('binomial tails', () => {
  it('are exact on small cases', () => {
    expect(binomialCdf(2, 10, 0.5)).toBeCloseTo(56 / 1024, 14);
    expect(binomialSurvival(8, 10, 0.5)).toBeCloseTo(56 / 1024, 14);
    expect(binomialCdf(0, 5, 0.2)).toBeCloseTo(0.8 ** 5, 14);
    expect(binomialCdf(-1, 5, 0.2)).toBe(0);
    expect(binomialCdf(5, 5, 0.2)).toBe(1);
    expect(binomialSurvival(0, 5, 0.2)).toBe(1);
    expect(binomialSurvival(6, 5, 0.2)).toBe(0);
  });
  it('agree with exact rational arithmetic', () => {
    expect(binomialCdf(9, 50, 0.3)).toBeCloseTo(exactCdf(9, 50, 3, 10), 12);
    expect(binomialCdf(40, 200, 0.25)).toBeCloseTo(exactCdf(40, 200, 1, 4), 12);
    expect(binomialSurvival(21, 50, 0.3)).toBeCloseTo(1 - exactCdf(20, 50, 3, 10), 12);
  });
  it('handles large n', () => {
    // P(X <= n/2) for a fair coin = 1/2 + P(X = n/2)/2.
    expect(binomialCdf(5000, 10000, 0.5)).toBeCloseTo(0.5 + 0.0079784 / 2, 6);
  });
});

describe('kaplanMeier', () => {
  it('multiplies (1 - d/n) at event times and finds the median', () => {
    const km = kaplanMeier([
      { time: 1, event: true },
      { time: 2, event: false },
      { time: 3, event: true },
      { time: 3, event: true },
      { time: 4, event: false },
    ]);
    expect(km.points.map((p) => [p.time, p.atRisk, p.events, p.censored])).toEqual([
      [1, 5, 1, 0],
      [2, 4, 0, 1],
      [3, 3, 2, 0],
      [4, 1, 0, 1],
    ]);
    expect(km.points[0]!.survival).toBeCloseTo(0.8, 12);
    expect(km.points[2]!.survival).toBeCloseTo(0.8 / 3, 12);
    expect(km.median).toBe(3);
    expect(km.events).toBe(3);
    expect(km.censored).toBe(2);
  });
  it('counts events before censorings at the same time', () => {
    const km = kaplanMeier([
      { time: 2, event: true },
      { time: 2, event: false },
      { time: 5, event: true },
    ]);
    expect(km.points[0]!.survival).toBeCloseTo(2 / 3, 12);
    expect(km.points[1]!.survival).toBe(0);
    expect(km.median).toBe(5);
  });
  it('has no median when the curve stays above one half', () => {
    const km = kaplanMeier([
      { time: 1, event: true },
      { time: 2, event: false },
      { time: 3, event: false },
    ]);
    expect(km.median).toBeNull();
    expect(kaplanMeier([]).median).toBeNull();
  });
});

describe('ceilCount', () => {
  it('ignores float noise', () => {
    expect(ceilCount(10 / 0.2)).toBe(50);
    expect(ceilCount(50.000000000001)).toBe(50);
    expect(ceilCount(50.1)).toBe(51);
    expect(ceilCount(0)).toBe(0);
  });
});
