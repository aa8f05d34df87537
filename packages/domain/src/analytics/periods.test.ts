import { describe, expect, it } from 'vitest';
import {
  customPeriod,
  dateInPeriod,
  inPeriod,
  isoWeekLabel,
  monthKey,
  monthKeysOf,
  monthPeriod,
  periodContaining,
  shiftPeriod,
} from './periods';

const SH = 'Asia/Shanghai';
const NY = 'America/New_York';
const iso = (d: Date) => d.toISOString();

describe('monthKey', () => {
  it('reads the instant in the zone: 2024-05-31T16:30Z is June in Shanghai', () => {
    const t = new Date('2024-05-31T16:30:00Z');
    expect(monthKey(t, SH)).toBe('2024-06');
    expect(monthKey(t, 'UTC')).toBe('2024-05');
    expect(inPeriod(t, monthPeriod('2024-06', SH))).toBe(true);
    expect(inPeriod(t, monthPeriod('2024-05', SH))).toBe(false);
    expect(inPeriod(t, monthPeriod('2024-05', 'UTC'))).toBe(true);
  });
});

describe('periodContaining', () => {
  it('month in Shanghai starts at local midnight (16:00Z the day before)', () => {
    const p = periodContaining('month', new Date('2024-05-31T16:30:00Z'), SH);
    expect(p.label).toBe('2024-06');
    expect(iso(p.from)).toBe('2024-05-31T16:00:00.000Z');
    expect(iso(p.to)).toBe('2024-06-30T16:00:00.000Z');
  });
  it('week starts on Monday with its ISO label', () => {
    const p = periodContaining('week', '2024-06-05', 'UTC');
    expect(p.label).toBe('2024-W23');
    expect(iso(p.from)).toBe('2024-06-03T00:00:00.000Z');
    expect(iso(p.to)).toBe('2024-06-10T00:00:00.000Z');
    expect(isoWeekLabel('2021-01-03')).toBe('2020-W53');
    expect(isoWeekLabel('2024-12-30')).toBe('2025-W01');
    expect(isoWeekLabel('2024-01-01')).toBe('2024-W01');
  });
  it('quarter and year', () => {
    const q = periodContaining('quarter', '2024-05-10', 'UTC');
    expect(q.label).toBe('2024-Q2');
    expect(iso(q.from)).toBe('2024-04-01T00:00:00.000Z');
    expect(iso(q.to)).toBe('2024-07-01T00:00:00.000Z');
    const q4 = periodContaining('quarter', '2024-11-30', 'UTC');
    expect(q4.label).toBe('2024-Q4');
    expect(iso(q4.to)).toBe('2025-01-01T00:00:00.000Z');
    const y = periodContaining('year', '2024-11-30', SH);
    expect(y.label).toBe('2024');
    expect(iso(y.from)).toBe('2023-12-31T16:00:00.000Z');
    expect(iso(y.to)).toBe('2024-12-31T16:00:00.000Z');
  });
  it('follows daylight saving time in New York', () => {
    const p = monthPeriod('2024-03', NY);
    expect(iso(p.from)).toBe('2024-03-01T05:00:00.000Z');
    expect(iso(p.to)).toBe('2024-04-01T04:00:00.000Z');
  });
});

describe('customPeriod', () => {
  it('includes both calendar days', () => {
    const p = customPeriod('2024-06-01', '2024-06-30', SH);
    const june = monthPeriod('2024-06', SH);
    expect(p.from).toEqual(june.from);
    expect(p.to).toEqual(june.to);
    expect(p.label).toBe('2024-06-01..2024-06-30');
    expect(() => customPeriod('2024-06-02', '2024-06-01', SH)).toThrow();
    expect(() => customPeriod('2024-02-30', '2024-03-01', SH)).toThrow();
  });
});

describe('dateInPeriod and inPeriod', () => {
  it('are half-open', () => {
    const june = monthPeriod('2024-06', SH);
    expect(dateInPeriod('2024-06-01', june)).toBe(true);
    expect(dateInPeriod('2024-06-30', june)).toBe(true);
    expect(dateInPeriod('2024-07-01', june)).toBe(false);
    expect(dateInPeriod('2024-05-31', june)).toBe(false);
    expect(inPeriod(june.from, june)).toBe(true);
    expect(inPeriod(june.to, june)).toBe(false);
  });
});

describe('shiftPeriod and monthKeysOf', () => {
  it('moves by whole periods', () => {
    const june = monthPeriod('2024-06', SH);
    expect(shiftPeriod('month', june, -1).label).toBe('2024-05');
    expect(shiftPeriod('month', june, 7).label).toBe('2025-01');
    const q1 = periodContaining('quarter', '2024-02-10', SH);
    expect(shiftPeriod('quarter', q1, -1).label).toBe('2023-Q4');
    expect(shiftPeriod('quarter', q1, 1).label).toBe('2024-Q2');
    const w = periodContaining('week', '2024-01-03', SH);
    expect(shiftPeriod('week', w, -1).label).toBe('2023-W52');
    expect(shiftPeriod('week', w, 0).label).toBe('2024-W01');
  });
  it('lists the months of a period', () => {
    expect(monthKeysOf(periodContaining('quarter', '2024-05-10', SH))).toEqual([
      '2024-04',
      '2024-05',
      '2024-06',
    ]);
  });
});
