import { describe, expect, it } from 'vitest';
import {
  daysSince,
  formatBytes,
  formatCalendarDate,
  formatDateTime,
  formatInstantDate,
  formatMoney,
  formatShortDate,
  isOverdue,
  isoToWallTime,
  parseMoneyInput,
  wallTimeToIso,
} from './format';

describe('formatMoney', () => {
  it('shows zh-CN amounts in 万 and 亿', () => {
    expect(formatMoney('300000.00', 'zh-CN')).toBe('30.00万');
    expect(formatMoney('123456789.00', 'zh-CN')).toBe('1.23亿');
    expect(formatMoney('8500.00', 'zh-CN')).toBe('8,500元');
    expect(formatMoney('300000.5', 'zh-CN', { precise: true })).toBe('300,000.50 元');
  });
  it('shows English amounts with the currency and grouping', () => {
    expect(formatMoney('300000.00', 'en')).toBe('¥300,000');
    expect(formatMoney('300000.5', 'en', { precise: true })).toBe('¥300,000.50');
    expect(formatMoney('1000', 'en', { currency: 'USD' })).toBe('$1,000');
  });
  it('shows a dash for missing amounts', () => {
    expect(formatMoney(null, 'en')).toBe('—');
    expect(formatMoney('', 'zh-CN')).toBe('—');
  });
});

describe('dates in the workspace zone', () => {
  const tz = 'Asia/Shanghai';
  it('formats instants in the zone, not the browser', () => {
    expect(formatDateTime('2024-05-01T16:30:00.000Z', tz, 'zh-CN')).toBe('2024/05/02 00:30');
    expect(formatDateTime('2024-05-01T16:30:00.000Z', tz, 'en')).toBe('2024-05-02 00:30');
    expect(formatInstantDate('2024-05-01T16:30:00.000Z', tz, 'en')).toBe('2024-05-02');
    expect(formatDateTime('2024-12-31T15:59:00.000Z', tz, 'en')).toBe('2024-12-31 23:59');
    expect(formatCalendarDate('2024-05-02', 'zh-CN')).toBe('2024/05/02');
    expect(formatShortDate('2024-12-08T16:30:00.000Z', tz, 'zh-CN')).toBe('12/09');
    expect(formatShortDate('2024-12-08T16:30:00.000Z', tz, 'en')).toBe('Dec 9');
  });
  it('counts calendar days in stage and overdue by the zone', () => {
    const now = new Date('2024-05-10T01:00:00.000Z'); // 09:00 on the 10th in Shanghai
    expect(daysSince('2024-05-01T17:00:00.000Z', now, tz)).toBe(8); // 01:00 on the 2nd
    expect(isOverdue('2024-05-09T15:59:00.000Z', now, tz)).toBe(true); // 23:59 on the 9th
    expect(isOverdue('2024-05-09T16:00:00.000Z', now, tz)).toBe(false); // 00:00 on the 10th
    expect(isOverdue(null, now, tz)).toBe(false);
  });
  it('round-trips wall-clock times through UTC', () => {
    const iso = wallTimeToIso({ year: 2024, month: 5, day: 2, hour: 9, minute: 30 }, tz);
    expect(iso).toBe('2024-05-02T01:30:00.000Z');
    expect(isoToWallTime(iso, tz)).toEqual({ year: 2024, month: 5, day: 2, hour: 9, minute: 30 });
    const ny = wallTimeToIso(
      { year: 2024, month: 7, day: 1, hour: 9, minute: 0 },
      'America/New_York',
    );
    expect(ny).toBe('2024-07-01T13:00:00.000Z');
  });
});

describe('parseMoneyInput', () => {
  it('accepts grouped amounts with at most two decimals', () => {
    expect(parseMoneyInput('300,000.5')).toBe('300000.5');
    expect(parseMoneyInput(' 12 ')).toBe('12');
    expect(parseMoneyInput('1.234')).toBeNull();
    expect(parseMoneyInput('-5')).toBeNull();
    expect(parseMoneyInput('abc')).toBeNull();
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal above bytes', () => {
    expect(formatBytes(812, 'en')).toBe('812 B');
    expect(formatBytes(12_700, 'en')).toBe('12.4 KB');
    expect(formatBytes(3_250_000, 'zh-CN')).toBe('3.1 MB');
    expect(formatBytes(1_288_490_189, 'en')).toBe('1.2 GB');
  });
});
