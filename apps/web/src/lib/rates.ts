/**
 * Display of analytics figures. Every rate from the API is {numerator, denominator, value}
 * (docs/analytics.md#rates); the UI shows the percentage and, on hover, the fraction it came
 * from, so a reader can always tell 1/2 from 500/1000.
 */
import type { UiLocale } from './format';

export interface RateLike {
  numerator: number;
  denominator: number;
  value: number | null;
}

function localeTag(locale: UiLocale): string {
  return locale === 'zh-CN' ? 'zh-CN' : 'en-US';
}

/** A fraction (0.4615) as a percentage with `digits` decimals: 46.2%; null -> —. */
export function formatPercent(
  value: number | null | undefined,
  locale: UiLocale,
  digits = 1,
): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(localeTag(locale), {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** A rate as a percentage; a rate over nothing (denominator 0) is —, never 0%. */
export function formatRate(rate: RateLike | null | undefined, locale: UiLocale, digits = 1) {
  if (!rate || rate.denominator === 0) return '—';
  return formatPercent(rate.value, locale, digits);
}

/** The fraction behind a rate, grouped by locale: "1,234 / 5,000". */
export function rateFraction(rate: RateLike, locale: UiLocale): string {
  const n = new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 2 });
  return `${n.format(rate.numerator)} / ${n.format(rate.denominator)}`;
}

/** A 95% interval as "33.0%–59.6%"; null (no data) -> —. */
export function formatInterval(
  interval: { lower: number; upper: number } | null | undefined,
  locale: UiLocale,
  digits = 1,
): string {
  if (!interval) return '—';
  return `${formatPercent(interval.lower, locale, digits)}–${formatPercent(interval.upper, locale, digits)}`;
}

/** Days with one decimal (62.7); null -> —. */
export function formatDays(days: number | null | undefined, locale: UiLocale): string {
  if (days === null || days === undefined || !Number.isFinite(days)) return '—';
  return new Intl.NumberFormat(localeTag(locale), { maximumFractionDigits: 1 }).format(days);
}

/** A plain ratio (actual / standard = 1.09) with two decimals; null -> —. */
export function formatRatio(value: number | null | undefined, locale: UiLocale): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return new Intl.NumberFormat(localeTag(locale), {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  }).format(value);
}

/**
 * Money for chart axes and labels, short: zh-CN in 万 / 亿 without decimals beyond what is
 * needed (124.18万), English in compact notation (¥1.24M). Exact amounts stay in tooltips.
 */
export function formatMoneyCompact(
  value: string | number | null | undefined,
  locale: UiLocale,
  currency = 'CNY',
): string {
  if (value === null || value === undefined || value === '') return '—';
  const amount = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(amount)) return '—';
  if (locale === 'zh-CN' && currency === 'CNY') {
    const abs = Math.abs(amount);
    const short = new Intl.NumberFormat('zh-CN', { maximumFractionDigits: 2 });
    if (abs >= 1e8) return `${short.format(amount / 1e8)}亿`;
    if (abs >= 1e4) return `${short.format(amount / 1e4)}万`;
    return `${short.format(amount)}元`;
  }
  return new Intl.NumberFormat(localeTag(locale), {
    style: 'currency',
    currency,
    currencyDisplay: 'narrowSymbol',
    notation: 'compact',
    maximumFractionDigits: 2,
  }).format(amount);
}
