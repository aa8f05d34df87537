/**
 * Dwell per stage (docs/analytics.md#dwell): time between entering a stage and leaving it.
 */
import { eventsByOpportunity, funnelOf, staysOf } from './history';
import { inPeriod } from './periods';
import { daysBetween, kaplanMeier, mean, median } from './stats';
import type { AnalyticsStage, OpportunityFacts, Period, StageChangeEvent } from './types';

export interface DwellInput {
  stages: readonly AnalyticsStage[];
  opportunities: readonly OpportunityFacts[];
  events: readonly StageChangeEvent[];
  /** Events after `now` are ignored; stays still running are censored at `now`. */
  now: Date;
  /** When given, only stays that started in the period. */
  period?: Period | null;
}

export interface DwellRow {
  stageId: string;
  name: string;
  /** Completed stays (left the stage by `now`). */
  count: number;
  /** Stays still running at `now` (censored). */
  openCount: number;
  /** Mean / median days of completed stays. */
  meanDays: number | null;
  medianDays: number | null;
  /** Kaplan–Meier median over completed and running stays (running ones censored at now). */
  kmMedianDays: number | null;
  standardDwellDays: number | null;
  /** meanDays / standardDwellDays; null when either is missing or the standard is 0. */
  ratioToStandard: number | null;
}

/**
 * Dwell per open stage: completed stays' mean and median days, running stays censored at now,
 * KM median, and mean / standardDwellDays. docs/analytics.md#dwell
 */
export function stageDwell(input: DwellInput): DwellRow[] {
  const funnel = funnelOf(input.stages);
  const byOpp = eventsByOpportunity(input.events, input.now);
  const completed = new Map<string, number[]>();
  const running = new Map<string, number[]>();
  for (const s of funnel.open) {
    completed.set(s.id, []);
    running.set(s.id, []);
  }
  for (const o of input.opportunities) {
    for (const stay of staysOf(byOpp.get(o.id) ?? [])) {
      const done = completed.get(stay.stageId);
      if (!done) continue;
      if (input.period && !inPeriod(stay.enteredAt, input.period)) continue;
      if (stay.leftAt) done.push(daysBetween(stay.enteredAt, stay.leftAt));
      else running.get(stay.stageId)!.push(daysBetween(stay.enteredAt, input.now));
    }
  }
  return funnel.open.map((s) => {
    const done = completed.get(s.id)!;
    const open = running.get(s.id)!;
    const meanDays = mean(done);
    const km = kaplanMeier([
      ...done.map((time) => ({ time, event: true })),
      ...open.map((time) => ({ time, event: false })),
    ]);
    const standard = s.standardDwellDays;
    return {
      stageId: s.id,
      name: s.name,
      count: done.length,
      openCount: open.length,
      meanDays,
      medianDays: median(done),
      kmMedianDays: km.median,
      standardDwellDays: standard,
      ratioToStandard: meanDays === null || !standard ? null : meanDays / standard,
    };
  });
}
