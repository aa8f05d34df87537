import { describe, expect, it } from 'vitest';
import { addDays, isValidDate, localDate, startOfLocalDay, zoneOffsetMs } from './time-zone';

describe('time zones', () => {
  it('finds the local date of an instant (Shanghai is UTC+8)', () => {
    expect(localDate(new Date('2024-05-31T15:59:59Z'), 'Asia/Shanghai')).toBe('2024-05-31');
    expect(localDate(new Date('2024-05-31T16:00:00Z'), 'Asia/Shanghai')).toBe('2024-06-01');
    expect(localDate(new Date('2024-06-01T03:00:00Z'), 'America/New_York')).toBe('2024-05-31');
  });
  it('finds the start of a local day, across DST', () => {
    expect(startOfLocalDay('2024-06-01', 'Asia/Shanghai').toISOString()).toBe(
      '2024-05-31T16:00:00.000Z',
    );
    expect(startOfLocalDay('2024-03-10', 'America/New_York').toISOString()).toBe(
      '2024-03-10T05:00:00.000Z',
    );
    expect(startOfLocalDay('2024-03-11', 'America/New_York').toISOString()).toBe(
      '2024-03-11T04:00:00.000Z',
    );
    expect(startOfLocalDay('2024-01-01', 'UTC').toISOString()).toBe('2024-01-01T00:00:00.000Z');
  });
  it('computes offsets and calendar arithmetic', () => {
    expect(zoneOffsetMs(new Date('2024-01-01T00:00:00Z'), 'Asia/Shanghai')).toBe(8 * 3600_000);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(isValidDate('2024-02-30')).toBe(false);
    expect(isValidDate('2024-02-29')).toBe(true);
  });
});
