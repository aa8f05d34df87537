import { describe, expect, it } from 'vitest';
import { DEFAULT_CADENCE, dueBucket, isLateEntry, nextDueByCadence } from './follow-up';

describe('follow-up cadence and buckets', () => {
  const now = new Date('2024-05-15T02:00:00Z'); // 10:00 in Shanghai
  it('plans the next follow-up from the priority cadence', () => {
    const last = new Date('2024-05-13T02:00:00Z');
    expect(nextDueByCadence(last, 'A', DEFAULT_CADENCE).toISOString()).toBe(
      '2024-05-16T14:00:00.000Z',
    );
    expect(nextDueByCadence(last, 'B', DEFAULT_CADENCE).toISOString()).toBe(
      '2024-05-20T02:00:00.000Z',
    );
    expect(nextDueByCadence(last, 'C', DEFAULT_CADENCE).toISOString()).toBe(
      '2024-05-27T02:00:00.000Z',
    );
  });
  it('flags entries recorded more than 24 h late', () => {
    const at = new Date('2024-05-13T02:00:00Z');
    expect(isLateEntry(at, new Date('2024-05-14T02:00:00Z'))).toBe(false);
    expect(isLateEntry(at, new Date('2024-05-14T02:00:01Z'))).toBe(true);
    expect(isLateEntry(at, new Date('2024-05-13T05:00:00Z'), 2)).toBe(true);
  });
  it('buckets by calendar day in the workspace zone', () => {
    const tz = 'Asia/Shanghai';
    expect(dueBucket(new Date('2024-05-14T15:59:59Z'), now, tz)).toBe('overdue');
    expect(dueBucket(new Date('2024-05-14T16:00:00Z'), now, tz)).toBe('today');
    expect(dueBucket(new Date('2024-05-15T15:59:59Z'), now, tz)).toBe('today');
    expect(dueBucket(new Date('2024-05-15T16:00:00Z'), now, tz)).toBe('upcoming');
    // The same instant is "today" in UTC but would differ elsewhere.
    expect(dueBucket(new Date('2024-05-14T20:00:00Z'), now, 'UTC')).toBe('overdue');
  });
});
