/**
 * 漏网率, the missed-entry rate (docs/analytics.md#missed-entry-rate).
 */
import { rate } from './stats';
import type { FollowUpFacts, Rate } from './types';

export interface Prospect {
  opportunityId: string;
  /** The required fields still empty (e.g. from missingGateFields), or just whether any is. */
  missingRequiredFields: readonly string[] | boolean;
}

export interface MissedEntryResult {
  /** Prospects with at least one done follow-up. */
  contacted: number;
  /** Contacted prospects with a required field missing. */
  missed: number;
  /** missed / contacted. */
  rate: Rate;
  /** Per field (when lists are given): contacted prospects missing it, most missed first. */
  byField: { field: string; count: number }[];
  missedOpportunityIds: string[];
}

/**
 * Missed-entry rate (漏网率) = contacted prospects with required fields missing / contacted
 * prospects; contacted = at least one done follow-up. docs/analytics.md#missed-entry-rate
 */
export function missedEntryRate(input: {
  prospects: readonly Prospect[];
  followUps: readonly FollowUpFacts[];
}): MissedEntryResult {
  const contactedIds = new Set(
    input.followUps.filter((f) => f.status === 'done').map((f) => f.opportunityId),
  );
  let contacted = 0;
  const missedIds: string[] = [];
  const fields = new Map<string, number>();
  for (const p of input.prospects) {
    if (!contactedIds.has(p.opportunityId)) continue;
    contacted++;
    const missing = p.missingRequiredFields;
    const isMissed = typeof missing === 'boolean' ? missing : missing.length > 0;
    if (!isMissed) continue;
    missedIds.push(p.opportunityId);
    if (typeof missing !== 'boolean') {
      for (const f of new Set(missing)) fields.set(f, (fields.get(f) ?? 0) + 1);
    }
  }
  return {
    contacted,
    missed: missedIds.length,
    rate: rate(missedIds.length, contacted),
    byField: [...fields.entries()]
      .map(([field, count]) => ({ field, count }))
      .sort((a, b) => b.count - a.count || (a.field < b.field ? -1 : a.field > b.field ? 1 : 0)),
    missedOpportunityIds: missedIds,
  };
}
