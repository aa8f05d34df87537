/**
 * Locale-aware display of money and time. Money arrives as an exact decimal string in 元; it is
 * only ever turned into a float for display. zh-CN shows large amounts in 万 (30.00万) and 亿,
 * English uses the currency with grouping (¥300,000). Times are ISO UTC, shown in the
 * workspace's time zone (never the browser's).
 */
import { localDate, localParts, zoneOffsetMs } from '@funnel/domain';

export type UiLocale = 'zh-CN' | 'en';

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

export interface MoneyOptions {
  currency?: string;
  /** Full amount with two decimals instead of the compact form. */
  precise?: boolean;
}

export function formatMoney(
  value: string | number | null | undefined,
  locale: UiLocale,
  options: MoneyOptions = {},
): string {
  if (value === null || value === undefined || value === '') return '—';
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(amount)) return '—';
  const currency = options.currency ?? 'CNY';
  if (locale === 'zh-CN' && currency === 'CNY') {
    if (options.precise) {
      return `${numberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(amount)} 元`;
    }
    const abs = Math.abs(amount);
    const two = numberFormat('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    if (abs >= 1e8) return `${two.format(amount / 1e8)}亿`;
    if (abs >= 1e4) return `${two.format(amount / 1e4)}万`;
    return `${numberFormat('zh-CN', { maximumFractionDigits: 2 }).format(amount)}元`;
  }
  return numberFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-US', {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    minimumFractionDigits: options.precise ? 2 : 0,
    maximumFractionDigits: options.precise ? 2 : 0,
  }).format(amount);
}

/** Numbers such as counts, grouped by locale. */
export function formatNumber(value: number, locale: UiLocale): string {
  return numberFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-US', {}).format(value);
}

/** A file size: 812 B, 12.4 KB, 3.1 MB, 1.2 GB (binary units, one decimal). */
export function formatBytes(bytes: number, locale: UiLocale): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 ? 0 : 1;
  return `${numberFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value)} ${units[unit]}`;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
function dateTimeFormat(locale: UiLocale, timeZone: string, withTime: boolean) {
  const key = `${locale}|${timeZone}|${withTime}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    dateTimeFormats.set(key, format);
  }
  return format;
}

/**
 * In English, year-month-day like the calendar dates shown elsewhere (2024-05-01): 01/05/2024 is
 * 1 May to a British reader and January 5 to an American one.
 */
function formatInZone(iso: string, timeZone: string, locale: UiLocale, withTime: boolean) {
  const format = dateTimeFormat(locale, timeZone, withTime);
  if (locale === 'zh-CN') return format.format(new Date(iso));
  const part: Record<string, string> = {};
  for (const p of format.formatToParts(new Date(iso))) part[p.type] = p.value;
  const date = `${part.year}-${part.month}-${part.day}`;
  return withTime ? `${date} ${part.hour}:${part.minute}` : date;
}

/** An ISO instant as a date and time in the workspace zone, e.g. 2024/05/01 09:30 or 2024-05-01 09:30. */
export function formatDateTime(iso: string | null | undefined, timeZone: string, locale: UiLocale) {
  if (!iso) return '—';
  return formatInZone(iso, timeZone, locale, true);
}

/** An ISO instant as a calendar date in the workspace zone. */
export function formatInstantDate(
  iso: string | null | undefined,
  timeZone: string,
  locale: UiLocale,
) {
  if (!iso) return '—';
  return formatInZone(iso, timeZone, locale, false);
}

const shortFormats = new Map<string, Intl.DateTimeFormat>();

/** An ISO instant as a short day in the zone for dense places (cards): 12/09 or Dec 9. */
export function formatShortDate(
  iso: string | null | undefined,
  timeZone: string,
  locale: UiLocale,
) {
  if (!iso) return '—';
  const key = `${locale}|${timeZone}`;
  let format = shortFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-US', {
      timeZone,
      ...(locale === 'zh-CN'
        ? { month: '2-digit' as const, day: '2-digit' as const }
        : { month: 'short' as const, day: 'numeric' as const }),
    });
    shortFormats.set(key, format);
  }
  return format.format(new Date(iso));
}

/** A calendar date 'YYYY-MM-DD' (no zone): shown as it is, with the locale's separators. */
export function formatCalendarDate(date: string | null | undefined, locale: UiLocale): string {
  if (!date) return '—';
  return locale === 'zh-CN' ? date.replaceAll('-', '/') : date;
}

const DAY_MS = 86_400_000;

/** Whole calendar days in the zone between the instant and now (days in stage). */
export function daysSince(iso: string, now: Date, timeZone: string): number {
  const from = localDate(new Date(iso), timeZone);
  const to = localDate(now, timeZone);
  return Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS);
}

/** Whether a planned instant lies before the start of today in the zone (overdue). */
export function isOverdue(iso: string | null | undefined, now: Date, timeZone: string): boolean {
  if (!iso) return false;
  return localDate(new Date(iso), timeZone) < localDate(now, timeZone);
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** The UTC instant of a wall-clock time in a zone (what a picker shows -> what the API wants). */
export function wallTimeToIso(wall: WallTime, timeZone: string): string {
  const guess = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  let instant = guess - zoneOffsetMs(new Date(guess), timeZone);
  instant = guess - zoneOffsetMs(new Date(instant), timeZone);
  return new Date(instant).toISOString();
}

/** The wall-clock time of an instant in a zone (what a picker should show). */
export function isoToWallTime(iso: string, timeZone: string): WallTime {
  const p = localParts(new Date(iso), timeZone);
  return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute };
}

/** Today's calendar date in the zone. */
export function todayIn(timeZone: string, now = new Date()): string {
  return localDate(now, timeZone);
}

/** Accepts an amount typed by a person: digits, optional grouping commas, ≤ 2 decimals. */
export function parseMoneyInput(text: string): string | null {
  const cleaned = text.replace(/[,\s，]/g, '');
  return /^\d{1,13}(\.\d{1,2})?$/.test(cleaned) ? cleaned : null;
}
