/**
 * Priority (SPEC F-3): a configurable rule matrix, first match in order A, B, otherwise C.
 * Default: A = amount >= 50万 AND probability >= 70%; B = amount in [20万, 50万) OR
 * probability in [40%, 70%); otherwise C. Amounts are in minor units (分), probability in percent.
 */
export const PRIORITIES = ['A', 'B', 'C'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface PriorityRule {
  priority: 'A' | 'B';
  /** all: every given condition must hold; any: one is enough. */
  match: 'all' | 'any';
  amountMin?: number | null;
  /** exclusive */
  amountMax?: number | null;
  probabilityMin?: number | null;
  /** exclusive */
  probabilityMax?: number | null;
}

const WAN = 10_000 * 100; // 1 万元 in 分

export const DEFAULT_PRIORITY_RULES: PriorityRule[] = [
  { priority: 'A', match: 'all', amountMin: 50 * WAN, probabilityMin: 70 },
  {
    priority: 'B',
    match: 'any',
    amountMin: 20 * WAN,
    amountMax: 50 * WAN,
    probabilityMin: 40,
    probabilityMax: 70,
  },
];

function inRange(value: number, min?: number | null, max?: number | null): boolean {
  return (min == null || value >= min) && (max == null || value < max);
}

export function computePriority(
  rules: readonly PriorityRule[],
  amountMinor: number,
  probabilityPercent: number,
): Priority {
  for (const priority of ['A', 'B'] as const) {
    for (const rule of rules.filter((r) => r.priority === priority)) {
      const conditions: boolean[] = [];
      if (rule.amountMin != null || rule.amountMax != null) {
        conditions.push(inRange(amountMinor, rule.amountMin, rule.amountMax));
      }
      if (rule.probabilityMin != null || rule.probabilityMax != null) {
        conditions.push(inRange(probabilityPercent, rule.probabilityMin, rule.probabilityMax));
      }
      if (conditions.length === 0) continue;
      const matched = rule.match === 'all' ? conditions.every(Boolean) : conditions.some(Boolean);
      if (matched) return priority;
    }
  }
  return 'C';
}

/** The priority in force: a manual override wins over the computed one. */
export function effectivePriority(
  computed: Priority,
  override: Priority | null | undefined,
): Priority {
  return override ?? computed;
}
