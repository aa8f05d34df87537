/**
 * Grouping (docs/analytics.md#grouping): a key function per dimension and a generic way to run
 * any metric per group on the opportunities (and their events and follow-ups) of each group.
 */
import type { FollowUpFacts, Group, GroupKeyFn, OpportunityFacts, StageChangeEvent } from './types';

export interface SizeBand {
  label: string;
  /** Inclusive lower bound of employees. */
  min: number;
}

/** Account-size bands by employees: 1-49, 50-199, 200-999, 1000+. */
export const DEFAULT_SIZE_BANDS: readonly SizeBand[] = [
  { label: '1-49', min: 1 },
  { label: '50-199', min: 50 },
  { label: '200-999', min: 200 },
  { label: '1000+', min: 1000 },
];

/**
 * The band whose [min, next min) holds `employees`; null when unknown or below the first band.
 * See docs/analytics.md#grouping.
 */
export function sizeBand(
  employees: number | null,
  bands: readonly SizeBand[] = DEFAULT_SIZE_BANDS,
): string | null {
  if (employees === null || !Number.isFinite(employees)) return null;
  let found: string | null = null;
  for (const band of [...bands].sort((a, b) => a.min - b.min)) {
    if (employees >= band.min) found = band.label;
  }
  return found;
}

function customFieldKey(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** Key functions for the usual dimensions. */
export const groupKeys = {
  owner: (o: OpportunityFacts) => o.ownerId,
  team: (o: OpportunityFacts) => o.teamId,
  region: (o: OpportunityFacts) => o.region,
  productLine: (o: OpportunityFacts) => o.productLine,
  industry: (o: OpportunityFacts) => o.industry,
  source: (o: OpportunityFacts) => o.source,
  priority: (o: OpportunityFacts) => o.priority,
  sizeBand:
    (bands: readonly SizeBand[] = DEFAULT_SIZE_BANDS): GroupKeyFn =>
    (o) =>
      sizeBand(o.employees, bands),
  /** A custom field's value as text (numbers/booleans stringified, objects as JSON). */
  customField:
    (key: string): GroupKeyFn =>
    (o) =>
      customFieldKey(o.customFields[key]),
} satisfies Record<string, GroupKeyFn | ((...args: never[]) => GroupKeyFn)>;

/**
 * Group keys in a stable order: by code unit, the null group last.
 * See docs/analytics.md#grouping.
 */
export function compareGroupKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** Partitions items by key, groups in compareGroupKeys order. */
export function partition<T>(
  items: readonly T[],
  key: (item: T) => string | null,
): { key: string | null; items: T[] }[] {
  const map = new Map<string | null, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = map.get(k);
    if (!list) {
      list = [];
      map.set(k, list);
    }
    list.push(item);
  }
  return [...map.entries()]
    .sort(([a], [b]) => compareGroupKeys(a, b))
    .map(([k, list]) => ({ key: k, items: list }));
}

interface OpportunityScoped {
  opportunities: readonly OpportunityFacts[];
  events?: readonly StageChangeEvent[];
  followUps?: readonly FollowUpFacts[];
}

/**
 * Runs `metric` once per group: each run gets the group's opportunities and only the events and
 * follow-ups of those opportunities; every other input field is passed through unchanged.
 * See docs/analytics.md#grouping.
 */
export function groupMetric<I extends OpportunityScoped, R>(
  metric: (input: I) => R,
  input: I,
  groupBy: GroupKeyFn,
): Group<R>[] {
  const groupOf = new Map<string, string | null>();
  for (const o of input.opportunities) groupOf.set(o.id, groupBy(o));
  const groups = partition(input.opportunities, (o) => groupOf.get(o.id) ?? null);
  const eventsBy = input.events
    ? partition(
        input.events.filter((e) => groupOf.has(e.opportunityId)),
        (e) => groupOf.get(e.opportunityId) ?? null,
      )
    : [];
  const followUpsBy = input.followUps
    ? partition(
        input.followUps.filter((f) => groupOf.has(f.opportunityId)),
        (f) => groupOf.get(f.opportunityId) ?? null,
      )
    : [];
  const eventsOf = new Map(eventsBy.map((g) => [g.key, g.items]));
  const followUpsOf = new Map(followUpsBy.map((g) => [g.key, g.items]));
  return groups.map((g) => {
    const scoped: OpportunityScoped = { ...input, opportunities: g.items };
    if (input.events) scoped.events = eventsOf.get(g.key) ?? [];
    if (input.followUps) scoped.followUps = followUpsOf.get(g.key) ?? [];
    return { key: g.key, result: metric(scoped as I) };
  });
}
