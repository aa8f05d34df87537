/** Parsing what a person types into the targets page (pure, tested). */

export type TargetPeriodKind = 'month' | 'quarter' | 'year';

/** The period key the API stores for a calendar date: 2026-11, 2026-Q4 or 2026. */
export function periodKeyOf(kind: TargetPeriodKind, date: string): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  if (kind === 'year') return year;
  if (kind === 'quarter') return `${year}-Q${Math.ceil(month / 3)}`;
  return date.slice(0, 7);
}

/** A day inside the period of a key (for a date picker): its first day. */
export function firstDayOfKey(key: string): string {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
  if (quarter)
    return `${quarter[1]}-${String((Number(quarter[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
  if (/^\d{4}-\d{2}$/.test(key)) return `${key}-01`;
  return `${key}-01-01`;
}

/**
 * A standard funnel typed as counts, "10:6:3:2" (also with ：, commas or spaces): two or more
 * positive numbers, else null.
 */
export function parseStandardCounts(text: string): number[] | null {
  const parts = text
    .split(/[:：,，\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  if (parts.length < 2 || parts.length > 20) return null;
  const counts = parts.map(Number);
  return counts.every((n) => Number.isFinite(n) && n > 0) ? counts : null;
}

/** A percentage typed by a person (20 or 20%) as a fraction in (0, 1], else null. */
export function parsePercent(text: string): number | null {
  const value = Number(text.replace(/[%％\s]/g, ''));
  return Number.isFinite(value) && value > 0 && value <= 100 ? value / 100 : null;
}
