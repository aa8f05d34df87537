import { describe, expect, it } from 'vitest';
import { formatMoney, parseMoney } from './money';

describe('money', () => {
  it('parses decimal strings and numbers into minor units exactly', () => {
    expect(parseMoney('500000')).toBe(50_000_000);
    expect(parseMoney('0.1')).toBe(10);
    expect(parseMoney(0.29)).toBe(29);
    expect(parseMoney('12345.67')).toBe(1_234_567);
    expect(parseMoney(' 8 ')).toBe(800);
  });
  it('rejects negatives, three decimals, garbage and overflow', () => {
    expect(parseMoney('-1')).toBeNull();
    expect(parseMoney(-1)).toBeNull();
    expect(parseMoney('1.234')).toBeNull();
    expect(parseMoney('abc')).toBeNull();
    expect(parseMoney('')).toBeNull();
    expect(parseMoney(Number.NaN)).toBeNull();
    expect(parseMoney(1e20)).toBeNull();
    expect(parseMoney('99999999999999')).toBeNull();
  });
  it('formats minor units as a two-decimal string', () => {
    expect(formatMoney(0)).toBe('0.00');
    expect(formatMoney(5)).toBe('0.05');
    expect(formatMoney(1_234_567)).toBe('12345.67');
    expect(formatMoney(-150)).toBe('-1.50');
  });
});
