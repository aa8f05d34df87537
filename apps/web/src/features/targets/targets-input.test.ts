import { describe, expect, it } from 'vitest';
import { firstDayOfKey, parsePercent, parseStandardCounts, periodKeyOf } from './targets-input';

describe('targets input', () => {
  it('period keys from a day, and back', () => {
    expect(periodKeyOf('month', '2026-11-25')).toBe('2026-11');
    expect(periodKeyOf('quarter', '2026-11-25')).toBe('2026-Q4');
    expect(periodKeyOf('quarter', '2026-01-01')).toBe('2026-Q1');
    expect(periodKeyOf('year', '2026-11-25')).toBe('2026');
    expect(firstDayOfKey('2026-Q4')).toBe('2026-10-01');
    expect(firstDayOfKey('2026-11')).toBe('2026-11-01');
    expect(firstDayOfKey('2026')).toBe('2026-01-01');
  });

  it('standard funnel counts as typed (the SPEC example 10:6:3:2)', () => {
    expect(parseStandardCounts('10:6:3:2')).toEqual([10, 6, 3, 2]);
    expect(parseStandardCounts('10：6：3：2')).toEqual([10, 6, 3, 2]);
    expect(parseStandardCounts(' 10, 6 3 ')).toEqual([10, 6, 3]);
    expect(parseStandardCounts('10')).toBeNull();
    expect(parseStandardCounts('10:0:2')).toBeNull();
    expect(parseStandardCounts('ten:six')).toBeNull();
  });

  it('percentages', () => {
    expect(parsePercent('20')).toBe(0.2);
    expect(parsePercent('20%')).toBe(0.2);
    expect(parsePercent('0')).toBeNull();
    expect(parsePercent('120')).toBeNull();
  });
});
