/**
 * The funnel of a pipeline and what the stage history says about each opportunity: furthest
 * stage reached, funnel position after each event, stays in stages and the state as of an
 * instant. See docs/analytics.md#funnel and #as-of.
 */
import type {
  AnalyticsStage,
  OpportunityFacts,
  OpportunityStatus,
  StageChangeEvent,
} from './types';

/** One pipeline's stages arranged for funnel metrics. */
export interface Funnel {
  /** Open stages by position, then the won stage: the funnel. Index 0 is the first stage. */
  stages: AnalyticsStage[];
  open: AnalyticsStage[];
  won: AnalyticsStage;
  lost: AnalyticsStage;
  /** Funnel index of an open or won stage id (the lost stage has none). */
  indexOf: ReadonlyMap<string, number>;
  byId: ReadonlyMap<string, AnalyticsStage>;
}

/**
 * Builds the funnel of one pipeline; throws unless there are open stages, one won, one lost.
 * See docs/analytics.md#funnel.
 */
export function funnelOf(stages: readonly AnalyticsStage[]): Funnel {
  const sorted = [...stages].sort((a, b) => a.position - b.position);
  const open = sorted.filter((s) => s.kind === 'open');
  const won = sorted.filter((s) => s.kind === 'won');
  const lost = sorted.filter((s) => s.kind === 'lost');
  if (open.length === 0 || won.length !== 1 || lost.length !== 1) {
    throw new Error('funnelOf: a pipeline needs open stages, one won stage and one lost stage');
  }
  const funnel = [...open, won[0]!];
  return {
    stages: funnel,
    open,
    won: won[0]!,
    lost: lost[0]!,
    indexOf: new Map(funnel.map((s, i) => [s.id, i])),
    byId: new Map(sorted.map((s) => [s.id, s])),
  };
}

/** Stage lookup by id over any number of pipelines. */
export function stageIndex(stages: readonly AnalyticsStage[]): Map<string, AnalyticsStage> {
  return new Map(stages.map((s) => [s.id, s]));
}

export function requireStage(
  byId: ReadonlyMap<string, AnalyticsStage>,
  stageId: string,
): AnalyticsStage {
  const stage = byId.get(stageId);
  if (!stage) throw new Error(`unknown stage: ${stageId}`);
  return stage;
}

/**
 * Events per opportunity in history order: by changedAt, then sequence, then input order.
 * With `asOf`, only events with changedAt <= asOf are kept.
 * See docs/analytics.md#inputs.
 */
export function eventsByOpportunity(
  events: readonly StageChangeEvent[],
  asOf?: Date | null,
): Map<string, StageChangeEvent[]> {
  const limit = asOf ? asOf.getTime() : Infinity;
  const indexed: { e: StageChangeEvent; i: number }[] = [];
  events.forEach((e, i) => {
    if (e.changedAt.getTime() <= limit) indexed.push({ e, i });
  });
  indexed.sort(
    (a, b) =>
      a.e.changedAt.getTime() - b.e.changedAt.getTime() ||
      (a.e.sequence ?? 0) - (b.e.sequence ?? 0) ||
      a.i - b.i,
  );
  const map = new Map<string, StageChangeEvent[]>();
  for (const { e } of indexed) {
    let list = map.get(e.opportunityId);
    if (!list) {
      list = [];
      map.set(e.opportunityId, list);
    }
    list.push(e);
  }
  return map;
}

/**
 * Furthest funnel index an opportunity ever entered: max index of the events' target stages
 * (the lost stage and unknown stages are ignored); -1 when none. Reached stage k <=> index >= k.
 * See docs/analytics.md#funnel.
 */
export function furthestIndex(funnel: Funnel, events: readonly StageChangeEvent[]): number {
  let furthest = -1;
  for (const e of events) {
    const i = funnel.indexOf.get(e.toStageId);
    if (i !== undefined && i > furthest) furthest = i;
  }
  return furthest;
}

/**
 * Funnel position after each event: the index of the target stage; for a move to the lost stage
 * the index of the stage it was lost from; unchanged for unknown stages. Starts at -1.
 * See docs/analytics.md#funnel.
 */
export function positionsAfter(funnel: Funnel, events: readonly StageChangeEvent[]): number[] {
  const out: number[] = [];
  let pos = -1;
  for (const e of events) {
    if (e.toStageId === funnel.lost.id) {
      const from = e.fromStageId === null ? undefined : funnel.indexOf.get(e.fromStageId);
      if (from !== undefined) pos = from;
    } else {
      const to = funnel.indexOf.get(e.toStageId);
      if (to !== undefined) pos = to;
    }
    out.push(pos);
  }
  return out;
}

/**
 * The stage a lost opportunity was lost from: fromStageId of its last 'lost' event.
 * See docs/analytics.md#loss-reasons.
 */
export function lostFromStageId(events: readonly StageChangeEvent[]): string | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'lost') return e.fromStageId;
  }
  return null;
}

/** A continuous stay of an opportunity in one stage. */
export interface Stay {
  opportunityId: string;
  stageId: string;
  enteredAt: Date;
  /** When it moved to another stage; null while it is still there. */
  leftAt: Date | null;
}

/**
 * Splits a history into stays: a stay starts with an event whose target differs from the
 * current stage and ends at the next such event. Events that keep the stage ('postpone', a
 * 'reopen' of a postponed deal) do not split a stay.
 * See docs/analytics.md#funnel.
 */
export function staysOf(events: readonly StageChangeEvent[]): Stay[] {
  const stays: Stay[] = [];
  let current: Stay | null = null;
  for (const e of events) {
    if (current && current.stageId === e.toStageId) continue;
    if (current) current.leftAt = e.changedAt;
    current = {
      opportunityId: e.opportunityId,
      stageId: e.toStageId,
      enteredAt: e.changedAt,
      leftAt: null,
    };
    stays.push(current);
  }
  return stays;
}

/** An opportunity's stage and status at an instant, rebuilt from its history. */
export interface OpportunityState {
  opportunityId: string;
  stageId: string;
  status: OpportunityStatus;
  /** Start of the stay in `stageId`. */
  stageEnteredAt: Date;
  /** Furthest funnel index entered so far (see furthestIndex); -1 when unknown. */
  furthestIndex: number;
}

/**
 * Rebuilds one opportunity's stage and status from its events up to `at` (inclusive): the last
 * event's target stage and status. Null when no event is at or before `at` (it did not exist).
 * See docs/analytics.md#as-of.
 */
export function stateFromEvents(
  events: readonly StageChangeEvent[],
  at: Date,
  funnel?: Funnel,
): OpportunityState | null {
  const limit = at.getTime();
  const upTo = events.filter((e) => e.changedAt.getTime() <= limit);
  const last = upTo[upTo.length - 1];
  if (!last) return null;
  const stays = staysOf(upTo);
  return {
    opportunityId: last.opportunityId,
    stageId: last.toStageId,
    status: last.status,
    stageEnteredAt: stays[stays.length - 1]!.enteredAt,
    furthestIndex: funnel ? furthestIndex(funnel, upTo) : -1,
  };
}

/**
 * The state of every opportunity as of a past instant (for snapshots and backtests)
 * (docs/analytics.md#as-of). Opportunities with no event at or before `at` are left out.
 * `stages`, when given, must be one pipeline's and fills `furthestIndex`.
 */
export function statesAsOf(input: {
  opportunities: readonly OpportunityFacts[];
  events: readonly StageChangeEvent[];
  at: Date;
  stages?: readonly AnalyticsStage[];
}): Map<string, OpportunityState> {
  const funnel = input.stages ? funnelOf(input.stages) : undefined;
  const byOpp = eventsByOpportunity(input.events, input.at);
  const out = new Map<string, OpportunityState>();
  for (const o of input.opportunities) {
    const state = stateFromEvents(byOpp.get(o.id) ?? [], input.at, funnel);
    if (state) out.set(o.id, state);
  }
  return out;
}

/**
 * For each change of one opportunity's history (in order), the start of the stay it ends: the time
 * of the previous change that moved the opportunity to another stage; null for the first change
 * and for changes that keep the stage (postpone). Stored with each change (stage_changes.
 * stay_started_at) so that dwell times are read without re-walking the history.
 */
export function stayStartsOf(
  events: readonly { fromStageId: string | null; toStageId: string; changedAt: Date }[],
): (Date | null)[] {
  let current: Date | null = null;
  return events.map((e) => {
    if (e.fromStageId === e.toStageId) return null;
    const ended = e.fromStageId === null ? null : current;
    current = e.changedAt;
    return ended;
  });
}
