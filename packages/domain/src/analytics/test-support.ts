/**
 * Test fixtures for the analytics tests: stage lists and a small simulator that turns a list of
 * steps into consistent opportunity facts and stage-change events. Not exported by the package.
 */
import { PIPELINE_PRESETS } from '../stages';
import type {
  AnalyticsStage,
  FollowUpFacts,
  OpportunityFacts,
  StageChangeEvent,
  StageChangeKind,
} from './types';

/** 1 万元 in 分. */
export const WAN = 1_000_000;

export const at = (iso: string): Date => new Date(iso);

/** A preset's stages with id = name. */
export function presetStages(key: string): AnalyticsStage[] {
  const preset = PIPELINE_PRESETS.find((p) => p.key === key);
  if (!preset) throw new Error(`no preset ${key}`);
  return preset.stages.map((s, i) => ({
    id: s.name,
    position: i + 1,
    name: s.name,
    kind: s.kind,
    winProbability: s.winProbability,
    standardDwellDays: s.standardDwellDays,
    standardCountRatio: s.standardCountRatio,
    forecastCategory: s.forecastCategory ?? 'pipeline',
  }));
}

/** Open stages with the given names (id = name), then 'won' and 'lost'. */
export function simpleStages(
  names: string[],
  extra: Partial<Record<string, Partial<AnalyticsStage>>> = {},
): AnalyticsStage[] {
  const stages: AnalyticsStage[] = names.map((name, i) => ({
    id: name,
    position: i + 1,
    name,
    kind: 'open',
    winProbability: Math.round(((i + 1) * 100) / (names.length + 1)),
    standardDwellDays: null,
    standardCountRatio: null,
    forecastCategory: 'pipeline',
    ...extra[name],
  }));
  stages.push({
    id: 'won',
    position: names.length + 1,
    name: 'won',
    kind: 'won',
    winProbability: 100,
    standardDwellDays: null,
    standardCountRatio: null,
    forecastCategory: 'commit',
    ...extra.won,
  });
  stages.push({
    id: 'lost',
    position: names.length + 2,
    name: 'lost',
    kind: 'lost',
    winProbability: 0,
    standardDwellDays: null,
    standardCountRatio: null,
    forecastCategory: 'omitted',
    ...extra.lost,
  });
  return stages;
}

export type Step =
  | { at: string | Date; move: string }
  | { at: string | Date; won: number; wonDate?: string }
  | { at: string | Date; lost: string | null }
  | { at: string | Date; postpone: true }
  | { at: string | Date; reopen: string };

export interface OppSpec extends Partial<Omit<OpportunityFacts, 'createdAt'>> {
  id: string;
  createdAt: string | Date;
  /** Stage id the opportunity is created in. */
  stage: string;
  steps?: Step[];
}

const toDate = (v: string | Date): Date => (typeof v === 'string' ? new Date(v) : v);

/** Plays the steps and returns the resulting facts and the stage history. */
export function simulate(
  stages: readonly AnalyticsStage[],
  spec: OppSpec,
): { opportunity: OpportunityFacts; events: StageChangeEvent[] } {
  const open = stages.filter((s) => s.kind === 'open').sort((a, b) => a.position - b.position);
  const wonStage = stages.find((s) => s.kind === 'won')!;
  const lostStage = stages.find((s) => s.kind === 'lost')!;
  const createdAt = toDate(spec.createdAt);
  const { steps = [], stage: initialStage, ...facts } = spec;
  const events: StageChangeEvent[] = [];
  let stageId = initialStage;
  let status: OpportunityFacts['status'] = 'open';
  let wonAmount: number | null = null;
  let wonDate: string | null = null;
  let closedAt: Date | null = null;
  let lossReason: string | null = null;
  const push = (
    fromStageId: string | null,
    toStageId: string,
    kind: StageChangeKind,
    when: Date,
  ) => {
    events.push({ opportunityId: spec.id, fromStageId, toStageId, kind, status, changedAt: when });
  };
  push(null, stageId, 'create', createdAt);
  for (const step of steps) {
    const when = toDate(step.at);
    if ('move' in step) {
      const from = open.findIndex((s) => s.id === stageId);
      const to = open.findIndex((s) => s.id === step.move);
      if (from < 0 || to < 0 || from === to) throw new Error(`bad move ${stageId}->${step.move}`);
      const kind: StageChangeKind = to === from + 1 ? 'forward' : to > from ? 'skip' : 'back';
      const prev = stageId;
      stageId = step.move;
      push(prev, stageId, kind, when);
    } else if ('won' in step) {
      const prev = stageId;
      stageId = wonStage.id;
      status = 'won';
      wonAmount = step.won;
      wonDate = step.wonDate ?? when.toISOString().slice(0, 10);
      closedAt = when;
      push(prev, stageId, 'won', when);
    } else if ('lost' in step) {
      const prev = stageId;
      stageId = lostStage.id;
      status = 'lost';
      lossReason = step.lost;
      closedAt = when;
      push(prev, stageId, 'lost', when);
    } else if ('postpone' in step) {
      status = 'postponed';
      push(stageId, stageId, 'postpone', when);
    } else {
      const prev = stageId;
      stageId = step.reopen;
      status = 'open';
      wonAmount = null;
      wonDate = null;
      closedAt = null;
      lossReason = null;
      push(prev, stageId, 'reopen', when);
    }
  }
  const opportunity: OpportunityFacts = {
    ownerId: 'rep1',
    teamId: null,
    source: null,
    region: null,
    productLine: null,
    industry: null,
    employees: null,
    expectedAmount: 0,
    expectedCloseDate: null,
    winProbability: null,
    forecastCategoryOverride: null,
    priority: 'C',
    customFields: {},
    ...facts,
    createdAt,
    status,
    stageId,
    wonAmount,
    wonDate,
    closedAt,
    lossReason,
  };
  return { opportunity, events };
}

/** Simulates many opportunities. */
export function build(
  stages: readonly AnalyticsStage[],
  specs: readonly OppSpec[],
): { opportunities: OpportunityFacts[]; events: StageChangeEvent[] } {
  const opportunities: OpportunityFacts[] = [];
  const events: StageChangeEvent[] = [];
  for (const spec of specs) {
    const r = simulate(stages, spec);
    opportunities.push(r.opportunity);
    events.push(...r.events);
  }
  return { opportunities, events };
}

/** `count` copies of a spec with ids `${prefix}-${i}`. */
export function many(count: number, prefix: string, spec: Omit<OppSpec, 'id'>): OppSpec[] {
  return Array.from({ length: count }, (_, i) => ({ ...spec, id: `${prefix}-${i}` }));
}

export function followUp(
  partial: Partial<FollowUpFacts> & { opportunityId: string },
): FollowUpFacts {
  return {
    ownerId: 'rep1',
    status: 'done',
    plannedAt: null,
    occurredAt: null,
    lateEntry: false,
    ...partial,
  };
}
