/**
 * Property tests on random but consistent histories (fast-check): the invariants the SQL
 * implementation is checked against.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORECAST_CATEGORIES } from '../stages';
import { cohortConversion, periodFlowConversion } from './conversion';
import { stageDwell } from './dwell';
import { calibration, weightedForecast } from './forecast';
import type { ForecastGroup, WeightedForecastResult } from './forecast';
import { groupKeys, groupMetric } from './grouping';
import { statesAsOf } from './history';
import { winRate } from './outcomes';
import { periodContaining } from './periods';
import type { PeriodKind } from './periods';
import { build, simpleStages } from './test-support';
import type { OppSpec, Step } from './test-support';
import type { Period, Rate } from './types';

const OPEN = ['A', 'B', 'C', 'D'];
const stages = simpleStages(OPEN, {
  A: { winProbability: 12.5, standardCountRatio: 10, standardDwellDays: 7 },
  B: { winProbability: 33.33, standardCountRatio: 6, standardDwellDays: 10 },
  C: { winProbability: 50, standardCountRatio: 3, forecastCategory: 'best_case' },
  D: { winProbability: 70, standardCountRatio: 2, forecastCategory: 'commit' },
});
const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;
const ZONES = ['UTC', 'Asia/Shanghai', 'America/New_York'];

const stepArb = fc.record({
  action: fc.integer({ min: 0, max: 5 }),
  target: fc.integer({ min: 0, max: 3 }),
  hours: fc.integer({ min: 0, max: 24 * 40 }),
  amount: fc.integer({ min: 0, max: 1_000_000_000 }),
});

const oppArb = fc.record({
  createdHours: fc.integer({ min: 0, max: 24 * 240 }),
  stage: fc.integer({ min: 0, max: 3 }),
  owner: fc.constantFrom('r1', 'r2', 'r3'),
  team: fc.constantFrom(null, 't1', 't2'),
  amount: fc.integer({ min: 0, max: 1_000_000_000_000 }),
  closeDay: fc.option(fc.integer({ min: 0, max: 365 })),
  probability: fc.option(fc.integer({ min: 0, max: 10_000 }).map((x) => x / 100)),
  category: fc.option(fc.constantFrom(...FORECAST_CATEGORIES)),
  steps: fc.array(stepArb, { maxLength: 8 }),
});

type OppSeed = typeof oppArb extends fc.Arbitrary<infer T> ? T : never;

/** Turns random choices into a valid history (moves only from open, reopen only when closed). */
function toSpec(seed: OppSeed, i: number): OppSpec {
  let t = T0 + seed.createdHours * HOUR;
  let stage = seed.stage;
  let status: 'open' | 'won' | 'lost' | 'postponed' = 'open';
  const steps: Step[] = [];
  for (const s of seed.steps) {
    t += s.hours * HOUR;
    const when = new Date(t);
    if (status === 'open') {
      if (s.action === 2) {
        steps.push({ at: when, won: s.amount });
        status = 'won';
      } else if (s.action === 3) {
        steps.push({ at: when, lost: ['price', 'budget', 'timing'][s.target % 3]! });
        status = 'lost';
      } else if (s.action === 4) {
        steps.push({ at: when, postpone: true });
        status = 'postponed';
      } else {
        const target = s.target === stage ? (stage + 1) % OPEN.length : s.target;
        steps.push({ at: when, move: OPEN[target]! });
        stage = target;
      }
    } else {
      const target = status === 'postponed' && s.action % 2 === 0 ? stage : s.target;
      steps.push({ at: when, reopen: OPEN[target]! });
      stage = target;
      status = 'open';
    }
  }
  return {
    id: `o${i}`,
    createdAt: new Date(T0 + seed.createdHours * HOUR),
    stage: OPEN[seed.stage]!,
    ownerId: seed.owner,
    teamId: seed.team,
    expectedAmount: seed.amount,
    expectedCloseDate:
      seed.closeDay === null
        ? null
        : new Date(T0 + seed.closeDay * 24 * HOUR).toISOString().slice(0, 10),
    winProbability: seed.probability,
    forecastCategoryOverride: seed.category,
    steps,
  };
}

const historyArb = fc
  .array(oppArb, { maxLength: 30 })
  .map((seeds) => build(stages, seeds.map(toSpec)));

const periodArb: fc.Arbitrary<Period> = fc
  .record({
    kind: fc.constantFrom<PeriodKind>('week', 'month', 'quarter', 'year'),
    day: fc.integer({ min: 0, max: 300 }),
    zone: fc.constantFrom(...ZONES),
  })
  .map(({ kind, day, zone }) => periodContaining(kind, new Date(T0 + day * 24 * HOUR), zone));

function inUnitInterval(r: Rate | null): boolean {
  return r === null || r.value === null || (r.value >= 0 && r.value <= 1);
}

function sumGroups(groups: readonly ForecastGroup[]) {
  const s = { realisedCount: 0, openCount: 0, realised: 0, weighted: 0, total: 0 };
  for (const g of groups) {
    s.realisedCount += g.realisedCount;
    s.openCount += g.openCount;
    s.realised += g.realised;
    s.weighted += g.weighted;
    s.total += g.total;
  }
  return s;
}

const RUNS = { numRuns: 150 };

describe('properties on random histories', () => {
  it('the generator covers every kind of stage change', () => {
    const kinds = new Set<string>();
    for (const data of fc.sample(historyArb, { numRuns: 60, seed: 42 })) {
      for (const e of data.events) kinds.add(e.kind);
    }
    expect([...kinds].sort()).toEqual([
      'back',
      'create',
      'forward',
      'lost',
      'postpone',
      'reopen',
      'skip',
      'won',
    ]);
  });

  it('cohort conversion: rates in [0, 1], reached never increases along the funnel', () => {
    fc.assert(
      fc.property(historyArb, periodArb, (data, period) => {
        const r = cohortConversion({ stages, ...data, period });
        for (let k = 1; k < r.stages.length; k++) {
          expect(r.stages[k]!.reached).toBeLessThanOrEqual(r.stages[k - 1]!.reached);
        }
        expect(r.stages[0]!.reached).toBeLessThanOrEqual(r.cohortSize);
        for (const s of r.stages) {
          expect(inUnitInterval(s.cumulative) && inUnitInterval(s.dropOff)).toBe(true);
        }
        expect(r.steps.every((s) => inUnitInterval(s.rate))).toBe(true);
      }),
      RUNS,
    );
  });

  it('cohort as of the far future equals the cohort now; reached grows with asOf', () => {
    fc.assert(
      fc.property(
        historyArb,
        periodArb,
        fc.integer({ min: 0, max: 24 * 400 }),
        fc.integer({ min: 0, max: 24 * 400 }),
        (data, period, h1, h2) => {
          const now = cohortConversion({ stages, ...data, period });
          const future = cohortConversion({
            stages,
            ...data,
            period,
            asOf: new Date('2100-01-01T00:00:00Z'),
          });
          expect({ ...future, asOf: null }).toEqual(now);
          const [a, b] = [T0 + Math.min(h1, h2) * HOUR, T0 + Math.max(h1, h2) * HOUR];
          const early = cohortConversion({ stages, ...data, period, asOf: new Date(a) });
          const late = cohortConversion({ stages, ...data, period, asOf: new Date(b) });
          early.stages.forEach((s, k) => {
            expect(s.reached).toBeLessThanOrEqual(late.stages[k]!.reached);
          });
        },
      ),
      RUNS,
    );
  });

  it('grouped cohorts add up to the whole', () => {
    fc.assert(
      fc.property(historyArb, periodArb, (data, period) => {
        const whole = cohortConversion({ stages, ...data, period });
        for (const key of [groupKeys.owner, groupKeys.team]) {
          const groups = groupMetric(cohortConversion, { stages, ...data, period }, key);
          whole.stages.forEach((s, k) => {
            const sum = groups.reduce((acc, g) => acc + g.result.stages[k]!.reached, 0);
            expect(sum).toBe(s.reached);
          });
        }
      }),
      RUNS,
    );
  });

  it('period flow: advanced <= entered, rates in [0, 1]', () => {
    fc.assert(
      fc.property(historyArb, periodArb, (data, period) => {
        const r = periodFlowConversion({ stages, ...data, period });
        for (const s of r.steps) {
          expect(s.advanced).toBeLessThanOrEqual(s.entered);
          expect(inUnitInterval(s.rate)).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('forecast total = sum of its groups by month, owner, team and bucket', () => {
    fc.assert(
      fc.property(historyArb, periodArb, (data, period) => {
        const r: WeightedForecastResult = weightedForecast({ stages, ...data, period });
        for (const groups of [r.byMonth, r.byOwner, r.byTeam, r.byBucket]) {
          expect(sumGroups(groups)).toEqual(r.total);
        }
        expect(r.items.reduce((s, i) => s + i.value, 0)).toBe(r.total.total);
        expect(r.items.every((i) => Number.isSafeInteger(i.value))).toBe(true);
      }),
      RUNS,
    );
  });

  it('states as of the far future are the current facts', () => {
    fc.assert(
      fc.property(historyArb, (data) => {
        const states = statesAsOf({ ...data, at: new Date('2100-01-01T00:00:00Z') });
        for (const o of data.opportunities) {
          expect(states.get(o.id)).toMatchObject({ stageId: o.stageId, status: o.status });
        }
      }),
      RUNS,
    );
  });

  it('win rate, calibration and dwell stay in range', () => {
    fc.assert(
      fc.property(historyArb, periodArb, (data, period) => {
        expect(inUnitInterval(winRate({ ...data, period }).winRate)).toBe(true);
        expect(calibration({ stages, ...data }).every((r) => inUnitInterval(r.observed))).toBe(
          true,
        );
        for (const row of stageDwell({ stages, ...data, now: new Date('2025-06-01T00:00:00Z') })) {
          expect(row.count).toBeGreaterThanOrEqual(0);
          if (row.meanDays !== null) expect(row.meanDays).toBeGreaterThanOrEqual(0);
        }
      }),
      RUNS,
    );
  });
});
