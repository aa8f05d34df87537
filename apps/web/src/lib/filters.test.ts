import { describe, expect, it } from 'vitest';
import { activeFilterCount, readFilters, writeFilters } from './filters';

describe('opportunity filters in the URL', () => {
  it('reads comma-separated lists and single values', () => {
    const params = new URLSearchParams('ownerId=a,b&priority=A&q=%20erp%20&pipeline=p1&region=');
    expect(readFilters(params)).toEqual({ ownerId: ['a', 'b'], priority: ['A'], q: 'erp' });
  });
  it('writes filters, keeps other params and resets paging', () => {
    const params = new URLSearchParams('pipeline=p1&page=3&ownerId=x');
    const next = writeFilters(params, {
      source: ['web', 'referral'],
      expectedCloseTo: '2024-06-30',
    });
    expect(next.get('pipeline')).toBe('p1');
    expect(next.get('page')).toBeNull();
    expect(next.get('ownerId')).toBeNull();
    expect(next.get('source')).toBe('web,referral');
    expect(readFilters(next)).toEqual({
      source: ['web', 'referral'],
      expectedCloseTo: '2024-06-30',
    });
  });
  it('counts active filters without the search text', () => {
    expect(activeFilterCount({ q: 'x', priority: ['A'], teamId: 't' })).toBe(2);
    expect(activeFilterCount({})).toBe(0);
  });
});
