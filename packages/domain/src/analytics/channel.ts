/**
 * Channel effectiveness per source (docs/analytics.md#channel-effectiveness).
 */
import { roundMinor } from '../money';
import { partition } from './grouping';
import { inPeriod } from './periods';
import { rate } from './stats';
import type { GroupKeyFn, OpportunityFacts, Period, Rate } from './types';

export interface ChannelRow {
  /** The source (or the key of `groupBy`); null = none recorded. */
  source: string | null;
  created: number;
  /** Opportunities of the cohort with status won now. */
  won: number;
  /** won / created. */
  conversion: Rate;
  /** Σ wonAmount of those won (分). */
  wonAmount: number;
  /** Mean wonAmount rounded half away from zero (分); null when none won. */
  averageWonAmount: number | null;
}

/**
 * Channel effectiveness: per source, of the opportunities created in the period, conversion =
 * won now / created and the average won amount. docs/analytics.md#channel-effectiveness
 */
export function channelEffectiveness(input: {
  opportunities: readonly OpportunityFacts[];
  period: Period;
  /** Defaults to the source. */
  groupBy?: GroupKeyFn;
}): ChannelRow[] {
  const key = input.groupBy ?? ((o: OpportunityFacts) => o.source);
  const cohort = input.opportunities.filter((o) => inPeriod(o.createdAt, input.period));
  return partition(cohort, key).map((g) => {
    const won = g.items.filter((o) => o.status === 'won');
    const wonAmount = won.reduce((s, o) => s + (o.wonAmount ?? 0), 0);
    return {
      source: g.key,
      created: g.items.length,
      won: won.length,
      conversion: rate(won.length, g.items.length),
      wonAmount,
      averageWonAmount: won.length === 0 ? null : roundMinor(wonAmount / won.length),
    };
  });
}
