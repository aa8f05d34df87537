/**
 * The dashboard's period and filters live in the URL (so Monday's link can be shared) and map
 * one-to-one onto the analytics query (docs/analytics.md#periods): `period`, `date` or
 * `from`/`to` (both inclusive, calendar days in the workspace zone), `pipeline`, and the board's
 * filters.
 */
import { addDays, localDate } from '@funnel/domain';
import type { QueryValue } from '../../api/client';

export const PERIOD_KINDS = ['week', 'month', 'quarter', 'year', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** The board's filters that the analytics endpoints take. */
export const ANALYTICS_FILTERS = [
  'ownerId',
  'teamId',
  'region',
  'productLine',
  'source',
  'industry',
  'priority',
] as const;

export interface AnalyticsSelection {
  period: PeriodKind;
  /** A day inside the period (week/month/quarter/year); absent = today. */
  date?: string;
  from?: string;
  to?: string;
  pipelineId?: string;
  filters: Partial<Record<(typeof ANALYTICS_FILTERS)[number], string>>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function readSelection(params: URLSearchParams, defaultPeriod: PeriodKind = 'month') {
  const raw = params.get('period') ?? '';
  const period = (PERIOD_KINDS as readonly string[]).includes(raw)
    ? (raw as PeriodKind)
    : defaultPeriod;
  const valid = (key: string) => {
    const value = params.get(key);
    return value && DATE.test(value) ? value : undefined;
  };
  const selection: AnalyticsSelection = { period, filters: {} };
  if (period === 'custom') {
    const from = valid('from');
    const to = valid('to');
    if (from && to) {
      selection.from = from <= to ? from : to;
      selection.to = from <= to ? to : from;
    } else selection.period = defaultPeriod === 'custom' ? 'month' : defaultPeriod;
  } else {
    const date = valid('date');
    if (date) selection.date = date;
  }
  const pipelineId = params.get('pipeline');
  if (pipelineId) selection.pipelineId = pipelineId;
  for (const key of ANALYTICS_FILTERS) {
    const value = params.get(key)?.trim();
    if (value) selection.filters[key] = value;
  }
  return selection;
}

/** Writes the period (keeping the filters and anything else in the URL). */
export function writePeriod(
  params: URLSearchParams,
  period: PeriodKind,
  value: { date?: string; from?: string; to?: string },
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of ['period', 'date', 'from', 'to']) next.delete(key);
  next.set('period', period);
  if (period === 'custom') {
    if (value.from) next.set('from', value.from);
    if (value.to) next.set('to', value.to);
  } else if (value.date) next.set('date', value.date);
  return next;
}

/** The query string of every analytics request for this selection. */
export function selectionToQuery(selection: AnalyticsSelection): Record<string, QueryValue> {
  return {
    period: selection.period,
    date: selection.date,
    from: selection.from,
    to: selection.to,
    pipelineId: selection.pipelineId,
    ...selection.filters,
  };
}

/** First and last calendar day of a period the API answered ([from, to) instants, its zone). */
export function periodDays(period: { from: string; to: string; timeZone: string }) {
  const first = localDate(new Date(period.from), period.timeZone);
  const last = addDays(localDate(new Date(period.to), period.timeZone), -1);
  return { first, last };
}

/**
 * The period cut at month ends: one custom sub-period per calendar month it touches, so that
 * per-month figures (the forecast by category) add up to the period's.
 */
export function monthSlices(
  first: string,
  last: string,
): { month: string; from: string; to: string }[] {
  const slices: { month: string; from: string; to: string }[] = [];
  let start = first;
  while (start <= last && slices.length < 36) {
    const month = start.slice(0, 7);
    const [year, monthNumber] = month.split('-').map(Number) as [number, number];
    const nextMonth =
      monthNumber === 12
        ? `${year + 1}-01-01`
        : `${year}-${String(monthNumber + 1).padStart(2, '0')}-01`;
    const monthEnd = addDays(nextMonth, -1);
    slices.push({ month, from: start, to: monthEnd < last ? monthEnd : last });
    start = nextMonth;
  }
  return slices;
}
