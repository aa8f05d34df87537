/**
 * Follow-up rules (SPEC F-4): cadence by priority, due buckets in the workspace's zone, and the
 * 24-hour data-entry rule (late entries are flagged, not refused).
 */
import type { Priority } from './priority';
import { addDays, localDate, startOfLocalDay } from './time-zone';

export const FOLLOW_UP_METHODS = [
  'phone',
  'visit',
  'email',
  'online_meeting',
  'im',
  'other',
] as const;
export type FollowUpMethod = (typeof FOLLOW_UP_METHODS)[number];

/** Days between follow-ups per priority. Default: A twice a week, B weekly, C every two weeks. */
export type Cadence = Record<Priority, number>;
export const DEFAULT_CADENCE: Cadence = { A: 3.5, B: 7, C: 14 };
/** The seeds' alternative: high every 2-3 days, medium weekly, low every two weeks. */
export const ALTERNATIVE_CADENCE: Cadence = { A: 2.5, B: 7, C: 14 };

export const DEFAULT_LATE_ENTRY_HOURS = 24;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** When the next follow-up is due if the rep does not set one: last contact + the cadence. */
export function nextDueByCadence(lastContact: Date, priority: Priority, cadence: Cadence): Date {
  return new Date(lastContact.getTime() + cadence[priority] * DAY_MS);
}

/** An entry is late when it is recorded more than `hours` after the event it records. */
export function isLateEntry(
  happenedAt: Date,
  recordedAt: Date,
  hours = DEFAULT_LATE_ENTRY_HOURS,
): boolean {
  return recordedAt.getTime() - happenedAt.getTime() > hours * HOUR_MS;
}

export type DueBucket = 'overdue' | 'today' | 'upcoming';

/** Calendar-day buckets in the zone: overdue = due before today, today, upcoming = after today. */
export function dueBucket(dueAt: Date, now: Date, timeZone: string): DueBucket {
  const bounds = todayBounds(now, timeZone);
  if (dueAt < bounds.start) return 'overdue';
  if (dueAt < bounds.end) return 'today';
  return 'upcoming';
}

/** [start, end) of the local calendar day containing `now`. */
export function todayBounds(now: Date, timeZone: string): { start: Date; end: Date } {
  const today = localDate(now, timeZone);
  return {
    start: startOfLocalDay(today, timeZone),
    end: startOfLocalDay(addDays(today, 1), timeZone),
  };
}
