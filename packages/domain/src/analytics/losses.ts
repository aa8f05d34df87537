/**
 * Loss reasons (docs/analytics.md#loss-reasons): the top reasons overall and per stage lost from.
 */
import { compareGroupKeys, partition } from './grouping';
import { eventsByOpportunity, lostFromStageId, stageIndex } from './history';
import { inPeriod } from './periods';
import { rate } from './stats';
import type { AnalyticsStage, OpportunityFacts, Period, Rate, StageChangeEvent } from './types';

export interface ReasonCount {
  /** Loss reason code; null when none was recorded. */
  reason: string | null;
  count: number;
  /** count / lost in the same scope. */
  share: Rate;
}

export interface LossReasonsResult {
  lost: number;
  top: ReasonCount[];
  byStage: { stageId: string | null; name: string | null; lost: number; top: ReasonCount[] }[];
}

function topReasons(lost: readonly OpportunityFacts[], top: number): ReasonCount[] {
  return partition(lost, (o) => o.lossReason)
    .map((g) => ({ reason: g.key, count: g.items.length }))
    .sort((a, b) => b.count - a.count || compareGroupKeys(a.reason, b.reason))
    .slice(0, top)
    .map((r) => ({ ...r, share: rate(r.count, lost.length) }));
}

/**
 * Loss reasons: among opportunities with status lost (closedAt in the period when given), the
 * `top` (default 3) reasons by count with their share of lost, overall and per stage lost from
 * (fromStageId of the last 'lost' event). Ties: reason code ascending. docs/analytics.md#loss-reasons
 */
export function lossReasons(input: {
  stages: readonly AnalyticsStage[];
  opportunities: readonly OpportunityFacts[];
  events: readonly StageChangeEvent[];
  period?: Period | null;
  top?: number;
}): LossReasonsResult {
  const top = input.top ?? 3;
  const stages = stageIndex(input.stages);
  const byOpp = eventsByOpportunity(input.events);
  const lost = input.opportunities.filter(
    (o) =>
      o.status === 'lost' &&
      (!input.period || (o.closedAt !== null && inPeriod(o.closedAt, input.period))),
  );
  const groups = partition(lost, (o) => lostFromStageId(byOpp.get(o.id) ?? []));
  const position = (id: string | null) =>
    id === null
      ? Number.MAX_SAFE_INTEGER
      : (stages.get(id)?.position ?? Number.MAX_SAFE_INTEGER - 1);
  groups.sort((a, b) => position(a.key) - position(b.key) || compareGroupKeys(a.key, b.key));
  return {
    lost: lost.length,
    top: topReasons(lost, top),
    byStage: groups.map((g) => ({
      stageId: g.key,
      name: g.key === null ? null : (stages.get(g.key)?.name ?? null),
      lost: g.items.length,
      top: topReasons(g.items, top),
    })),
  };
}
