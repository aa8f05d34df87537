import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIORITY_RULES, computePriority, effectivePriority } from './priority';

const wan = (n: number) => n * 10_000 * 100;

describe('priority matrix (SPEC F-3)', () => {
  const p = (amountWan: number, prob: number) =>
    computePriority(DEFAULT_PRIORITY_RULES, wan(amountWan), prob);
  it('A needs both amount >= 50万 and probability >= 70%', () => {
    expect(p(50, 70)).toBe('A');
    expect(p(120, 90)).toBe('A');
    expect(p(49.99, 70)).toBe('B'); // amount in [20万,50万)
    expect(p(50, 69.99)).toBe('B'); // probability in [40,70)
  });
  it('B matches amount in [20万,50万) or probability in [40%,70%)', () => {
    expect(p(20, 10)).toBe('B');
    expect(p(5, 40)).toBe('B');
    expect(p(80, 30)).toBe('C'); // large amount but low probability and amount >= 50万
    expect(p(60, 75)).toBe('A');
  });
  it('otherwise C', () => {
    expect(p(19.99, 39)).toBe('C');
    expect(p(0, 0)).toBe('C');
    expect(p(10, 80)).toBe('C');
  });
  it('follows a custom matrix in order A before B', () => {
    const rules = [
      { priority: 'B' as const, match: 'any' as const, amountMin: wan(1) },
      { priority: 'A' as const, match: 'all' as const, probabilityMin: 90 },
    ];
    expect(computePriority(rules, wan(2), 95)).toBe('A');
    expect(computePriority(rules, wan(2), 10)).toBe('B');
    expect(computePriority([], wan(100), 100)).toBe('C');
  });
  it('a manual override wins', () => {
    expect(effectivePriority('C', 'A')).toBe('A');
    expect(effectivePriority('B', null)).toBe('B');
  });
});
