/**
 * Opportunity filters live in the URL (shareable, survive reloads): lists are comma-separated,
 * exactly as the API takes them, so the URL maps one-to-one onto the request.
 */
import type { QueryValue } from '../api/client';

export const LIST_FILTERS = [
  'ownerId',
  'region',
  'productLine',
  'source',
  'industry',
  'priority',
  'status',
  'stageId',
] as const;
export const SINGLE_FILTERS = ['q', 'teamId', 'expectedCloseFrom', 'expectedCloseTo'] as const;

export type ListFilter = (typeof LIST_FILTERS)[number];
export type SingleFilter = (typeof SINGLE_FILTERS)[number];
export type OpportunityFilters = Partial<
  Record<ListFilter, string[]> & Record<SingleFilter, string>
>;

export function readFilters(params: URLSearchParams): OpportunityFilters {
  const filters: OpportunityFilters = {};
  for (const key of LIST_FILTERS) {
    const values = (params.get(key) ?? '').split(',').filter(Boolean);
    if (values.length > 0) filters[key] = values;
  }
  for (const key of SINGLE_FILTERS) {
    const value = params.get(key)?.trim();
    if (value) filters[key] = value;
  }
  return filters;
}

/** Returns new params with the filters replaced (other params such as the pipeline are kept). */
export function writeFilters(
  params: URLSearchParams,
  filters: OpportunityFilters,
): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const key of [...LIST_FILTERS, ...SINGLE_FILTERS]) next.delete(key);
  for (const key of LIST_FILTERS) {
    const values = filters[key];
    if (values && values.length > 0) next.set(key, values.join(','));
  }
  for (const key of SINGLE_FILTERS) {
    const value = filters[key]?.trim();
    if (value) next.set(key, value);
  }
  next.delete('page');
  return next;
}

export function filtersToQuery(filters: OpportunityFilters): Record<string, QueryValue> {
  return { ...filters };
}

export function activeFilterCount(filters: OpportunityFilters): number {
  return Object.entries(filters).filter(([key, value]) =>
    key === 'q' ? false : Array.isArray(value) ? value.length > 0 : Boolean(value),
  ).length;
}
