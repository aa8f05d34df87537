import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  isValidDate,
  localDate,
  localParts,
  startOfLocalDay,
  zoneOffsetMs,
} from './time-zone';

/** The wall clock as Intl gives it, with nothing cached: the reference for the fast path. */
function intlParts(instant: Date, timeZone: string) {
  const parts: Record<string, number> = {};
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const part of formatter.formatToParts(instant))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return parts;
}

const ZONES = [
  'Asia/Shanghai',
  'UTC',
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe', // half-hour DST
  'Asia/Kathmandu', // +05:45
  'America/St_Johns', // -03:30 with DST
  'Pacific/Apia', // skipped a whole day in 2011
  'Asia/Tehran',
];

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
  it('gives the same wall clock as Intl for any instant and zone, across DST changes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.constantFrom(...ZONES),
        (ms, zone) => {
          const instant = new Date(ms);
          expect(localParts(instant, zone)).toEqual(intlParts(instant, zone));
        },
      ),
      { numRuns: 3000 },
    );
    // Every second around real transitions (New York spring forward and fall back, Lord Howe's
    // half hour, Apia's skipped day).
    for (const [start, zone] of [
      ['2024-03-10T06:59:00Z', 'America/New_York'],
      ['2024-11-03T05:59:00Z', 'America/New_York'],
      ['2024-04-06T14:59:00Z', 'Australia/Lord_Howe'],
      ['2011-12-30T09:59:00Z', 'Pacific/Apia'],
      ['1985-12-31T18:29:00Z', 'Asia/Kathmandu'], // +05:30 -> +05:45 at 18:30 UTC, inside an hour
    ] as const) {
      const from = Date.parse(start);
      for (let ms = from; ms < from + 120_000; ms += 1000) {
        expect(localParts(new Date(ms), zone)).toEqual(intlParts(new Date(ms), zone));
      }
    }
  });
  it('rejects an unknown zone and an invalid instant as Intl does', () => {
    expect(() => localParts(new Date(0), 'Mars/Olympus')).toThrow(RangeError);
    expect(() => localParts(new Date(Number.NaN), 'UTC')).toThrow(RangeError);
  });
});
