/**
 * Calendar arithmetic in an IANA time zone without a library: instants are UTC `Date`s, local
 * calendar days are 'YYYY-MM-DD' strings. Used for "due today", monthly code sequences and
 * grouping analytics by the workspace's zone.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** Wall-clock parts through Intl (slow: tens of microseconds a call). */
function formattedParts(instant: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

function formattedOffsetMs(ms: number, timeZone: string): number {
  const p = formattedParts(new Date(ms), timeZone);
  return (
    Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000
  );
}

const HOUR = 3_600_000;
/** Per zone: UTC hour -> the zone's offset during that whole hour, or NaN if it changes inside it. */
const hourOffsets = new Map<string, Map<number, number>>();

/**
 * The zone's offset at an instant, from a cache of whole UTC hours: an hour whose first and last
 * second have the same offset has it throughout (no zone changes its offset twice in an hour);
 * an hour with a change inside it is answered by Intl each time.
 */
function offsetMs(ms: number, timeZone: string): number {
  let cache = hourOffsets.get(timeZone);
  if (!cache) {
    formatterFor(timeZone); // throws RangeError on an unknown zone, as Intl does
    cache = new Map();
    hourOffsets.set(timeZone, cache);
  }
  const hour = Math.floor(ms / HOUR);
  let offset = cache.get(hour);
  if (offset === undefined) {
    const first = formattedOffsetMs(hour * HOUR, timeZone);
    const last = formattedOffsetMs(hour * HOUR + HOUR - 1000, timeZone);
    offset = first === last ? first : Number.NaN;
    if (cache.size >= 200_000) cache.clear();
    cache.set(hour, offset);
  }
  return Number.isNaN(offset) ? formattedOffsetMs(ms, timeZone) : offset;
}

export function localParts(instant: Date, timeZone: string): LocalParts {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return formattedParts(instant, timeZone); // throws like Intl
  const wall = new Date(ms + offsetMs(ms, timeZone));
  return {
    year: wall.getUTCFullYear(),
    month: wall.getUTCMonth() + 1,
    day: wall.getUTCDate(),
    hour: wall.getUTCHours(),
    minute: wall.getUTCMinutes(),
    second: wall.getUTCSeconds(),
  };
}

/** The local calendar date ('YYYY-MM-DD') of an instant in a zone. */
export function localDate(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Offset of the zone from UTC at an instant, in milliseconds (e.g. +8h for Asia/Shanghai). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const ms = instant.getTime();
  if (!Number.isFinite(ms)) return formattedOffsetMs(ms, timeZone); // throws like Intl
  return offsetMs(ms, timeZone);
}

/** The instant at which a local calendar date starts (00:00) in a zone. */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  // Two passes settle DST transitions: the offset at the guess may differ from the offset at the result.
  let instant = guess - zoneOffsetMs(new Date(guess), timeZone);
  instant = guess - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant);
}

/** Adds whole days to a 'YYYY-MM-DD' calendar date. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + days));
  return next.toISOString().slice(0, 10);
}

export function isValidDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const parsed = new Date(Date.UTC(y, m - 1, d));
  return (
    parsed.getUTCFullYear() === y && parsed.getUTCMonth() === m - 1 && parsed.getUTCDate() === d
  );
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
