/**
 * Reporting periods in an IANA zone (docs/analytics.md#periods): half-open ranges of instants
 * [from, to) whose bounds are local midnights. Weeks start on Monday (ISO 8601).
 */
import { addDays, isValidDate, localDate, startOfLocalDay } from '../time-zone';
import type { Period } from './types';

export type PeriodKind = 'week' | 'month' | 'quarter' | 'year';

function parseDate(date: string): [number, number, number] {
  if (!isValidDate(date)) throw new Error(`invalid calendar date: ${date}`);
  return date.split('-').map(Number) as [number, number, number];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** Day of week of a calendar date, 1 = Monday .. 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = parseDate(date);
  const dow = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return dow === 0 ? 7 : dow;
}

/** ISO week label of a calendar date, e.g. '2024-W01' (the week's Thursday decides the year). */
export function isoWeekLabel(date: string): string {
  const thursday = addDays(date, 4 - isoWeekday(date));
  const [year] = parseDate(thursday);
  const jan1 = `${year}-01-01`;
  const dayOfYear = Math.round(
    (Date.parse(`${thursday}T00:00:00Z`) - Date.parse(`${jan1}T00:00:00Z`)) / 86_400_000,
  );
  return `${year}-W${pad(Math.floor(dayOfYear / 7) + 1)}`;
}

/** Calendar bounds [startDate, endDate) and label of the period of `kind` containing `date`. */
function calendarBounds(
  kind: PeriodKind,
  date: string,
): { start: string; end: string; label: string } {
  const [y, m] = parseDate(date);
  switch (kind) {
    case 'week': {
      const start = addDays(date, 1 - isoWeekday(date));
      return { start, end: addDays(start, 7), label: isoWeekLabel(date) };
    }
    case 'month': {
      const next = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
      return { start: `${y}-${pad(m)}-01`, end: next, label: `${y}-${pad(m)}` };
    }
    case 'quarter': {
      const q = Math.floor((m - 1) / 3);
      const startMonth = q * 3 + 1;
      const next = q === 3 ? `${y + 1}-01-01` : `${y}-${pad(startMonth + 3)}-01`;
      return { start: `${y}-${pad(startMonth)}-01`, end: next, label: `${y}-Q${q + 1}` };
    }
    case 'year':
      return { start: `${y}-01-01`, end: `${y + 1}-01-01`, label: String(y) };
  }
}

/**
 * The week / month / quarter / year containing `at` (an instant, read in `timeZone`, or a
 * calendar date 'YYYY-MM-DD'): [local midnight of its first day, local midnight after its last).
 * See docs/analytics.md#periods.
 */
export function periodContaining(kind: PeriodKind, at: Date | string, timeZone: string): Period {
  const date = typeof at === 'string' ? at : localDate(at, timeZone);
  const { start, end, label } = calendarBounds(kind, date);
  return {
    from: startOfLocalDay(start, timeZone),
    to: startOfLocalDay(end, timeZone),
    timeZone,
    label,
  };
}

/**
 * The month 'YYYY-MM' as a period in the zone.
 * See docs/analytics.md#periods.
 */
export function monthPeriod(month: string, timeZone: string): Period {
  if (!/^\d{4}-\d{2}$/.test(month)) throw new Error(`invalid month key: ${month}`);
  return periodContaining('month', `${month}-01`, timeZone);
}

/**
 * A custom range of calendar days, both inclusive: [start of firstDate, start of lastDate + 1).
 * See docs/analytics.md#periods.
 */
export function customPeriod(firstDate: string, lastDate: string, timeZone: string): Period {
  parseDate(firstDate);
  parseDate(lastDate);
  if (lastDate < firstDate) throw new Error('customPeriod: lastDate is before firstDate');
  return {
    from: startOfLocalDay(firstDate, timeZone),
    to: startOfLocalDay(addDays(lastDate, 1), timeZone),
    timeZone,
    label: `${firstDate}..${lastDate}`,
  };
}

/**
 * The period of the same kind right before / after (`offset` periods away).
 * See docs/analytics.md#periods.
 */
export function shiftPeriod(kind: PeriodKind, period: Period, offset: number): Period {
  let date = calendarBounds(kind, localDate(period.from, period.timeZone)).start;
  for (let i = 0; i < Math.abs(offset); i++) {
    date =
      offset > 0 ? calendarBounds(kind, date).end : calendarBounds(kind, addDays(date, -1)).start;
  }
  return periodContaining(kind, date, period.timeZone);
}

/**
 * from <= instant < to.
 * See docs/analytics.md#periods.
 */
export function inPeriod(instant: Date, period: Period): boolean {
  const t = instant.getTime();
  return t >= period.from.getTime() && t < period.to.getTime();
}

/**
 * A calendar date belongs to the period when its local midnight does:
 * localDate(from) <= date < localDate(to) for periods bounded by local midnights.
 * See docs/analytics.md#periods.
 */
export function dateInPeriod(date: string, period: Period): boolean {
  return inPeriod(localMidnight(date, period.timeZone), period);
}

const midnights = new Map<string, Date>();

/** startOfLocalDay, memoised (Intl formatting is the slow part of date comparisons). */
export function localMidnight(date: string, timeZone: string): Date {
  const key = `${timeZone}|${date}`;
  let instant = midnights.get(key);
  if (!instant) {
    if (midnights.size >= 20_000) midnights.clear();
    instant = startOfLocalDay(date, timeZone);
    midnights.set(key, instant);
  }
  return instant;
}

/**
 * Month key 'YYYY-MM' of an instant in the zone (2024-05-31T16:30Z is '2024-06' in Shanghai).
 * See docs/analytics.md#periods.
 */
export function monthKey(instant: Date, timeZone: string): string {
  return localDate(instant, timeZone).slice(0, 7);
}

/** Month key 'YYYY-MM' of a calendar date. */
export function monthKeyOfDate(date: string): string {
  return date.slice(0, 7);
}

/** The month keys from the month of `from` to the month of `to` (exclusive), in order. */
export function monthKeysOf(period: Period): string[] {
  const keys: string[] = [];
  let p = periodContaining('month', period.from, period.timeZone);
  while (p.from.getTime() < period.to.getTime()) {
    keys.push(p.label);
    p = periodContaining('month', p.to, period.timeZone);
  }
  return keys;
}
