import { describe, expect, it } from 'vitest';
import {
  formatDays,
  formatInterval,
  formatMoneyCompact,
  formatPercent,
  formatRate,
  formatRatio,
  rateFraction,
} from './rates';

describe('rates', () => {
  it('shows a rate as a percentage and its fraction on the side', () => {
    const rate = { numerator: 23, denominator: 50, value: 0.46 };
    expect(formatRate(rate, 'en')).toBe('46.0%');
    expect(formatRate(rate, 'zh-CN')).toBe('46.0%');
    expect(rateFraction(rate, 'en')).toBe('23 / 50');
    expect(rateFraction({ numerator: 1234, denominator: 5000, value: 0.2468 }, 'en')).toBe(
      '1,234 / 5,000',
    );
  });

  it('a rate over nothing is a dash, never 0%', () => {
    expect(formatRate({ numerator: 0, denominator: 0, value: null }, 'en')).toBe('—');
    expect(formatRate({ numerator: 0, denominator: 8, value: 0 }, 'en')).toBe('0.0%');
    expect(formatRate(null, 'zh-CN')).toBe('—');
    expect(formatPercent(null, 'en')).toBe('—');
  });

  it('intervals, days and ratios', () => {
    expect(formatInterval({ lower: 0.3297, upper: 0.596 }, 'en')).toBe('33.0%–59.6%');
    expect(formatInterval(null, 'en')).toBe('—');
    expect(formatDays(62.7146, 'en')).toBe('62.7');
    expect(formatDays(null, 'en')).toBe('—');
    expect(formatRatio(1.0862, 'zh-CN')).toBe('1.09');
  });

  it('short money for charts: 万 in Chinese, compact in English', () => {
    expect(formatMoneyCompact('1241778.00', 'zh-CN')).toBe('124.18万');
    expect(formatMoneyCompact(2_400_000, 'zh-CN')).toBe('240万');
    expect(formatMoneyCompact(350_000_000, 'zh-CN')).toBe('3.5亿');
    expect(formatMoneyCompact(800, 'zh-CN')).toBe('800元');
    expect(formatMoneyCompact('1241778.00', 'en')).toBe('¥1.24M');
    expect(formatMoneyCompact(null, 'en')).toBe('—');
  });
});
