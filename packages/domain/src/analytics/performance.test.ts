/** 10k opportunities with ~6 events each: every metric must stay well under a second. */
import { describe, expect, it } from 'vitest';
import { cohortConversion, periodFlowConversion } from './conversion';
import { stageDwell } from './dwell';
import { calibration, forecastBacktest, weightedForecast } from './forecast';
import { groupKeys, groupMetric } from './grouping';
import { funnelHealth } from './health';
import { statesAsOf } from './history';
import { lossReasons } from './losses';
import { timeToWin } from './outcomes';
import { periodContaining } from './periods';
import { teamEffectiveness } from './team';
import { build, followUp, presetStages } from './test-support';
import type { OppSpec, Step } from './test-support';

function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const stages = presetStages('standard6');
const open = stages.filter((s) => s.kind === 'open').map((s) => s.id);
const random = prng(7);
const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
const specs: OppSpec[] = Array.from({ length: 10_000 }, (_, i) => {
  let t = T0 + Math.floor(random() * 300) * DAY;
  const createdAt = new Date(t);
  let stage = 0;
  const steps: Step[] = [];
  for (let s = 0; s < 5; s++) {
    t += Math.floor(1 + random() * 20) * DAY;
    const r = random();
    if (r < 0.1) {
      steps.push({ at: new Date(t), lost: `r${Math.floor(random() * 6)}` });
      break;
    }
    if (r < 0.2 && stage === open.length - 1) {
      steps.push({ at: new Date(t), won: Math.floor(random() * 1e8) });
      break;
    }
    const next = Math.min(open.length - 1, stage + (r < 0.3 ? 2 : 1));
    if (next !== stage) steps.push({ at: new Date(t), move: open[next]! });
    stage = next;
  }
  return {
    id: `o${i}`,
    createdAt,
    stage: open[0]!,
    ownerId: `r${i % 40}`,
    teamId: `t${i % 5}`,
    expectedAmount: Math.floor(random() * 1e9),
    expectedCloseDate: new Date(t + 30 * DAY).toISOString().slice(0, 10),
    steps,
  };
});
const data = build(stages, specs);
const followUps = data.opportunities.flatMap((o, i) => [
  followUp({
    opportunityId: o.id,
    ownerId: o.ownerId,
    plannedAt: o.createdAt,
    occurredAt: o.createdAt,
  }),
  followUp({
    opportunityId: o.id,
    ownerId: o.ownerId,
    status: i % 3 ? 'planned' : 'done',
    plannedAt: o.createdAt,
  }),
]);
const year = periodContaining('year', '2024-06-01', 'Asia/Shanghai');
const now = new Date('2025-01-01T00:00:00Z');

describe('performance with 10k opportunities', () => {
  it('computes every metric quickly', () => {
    expect(data.events.length).toBeGreaterThan(40_000);
    const timings: Record<string, number> = {};
    const time = (name: string, fn: () => unknown) => {
      const start = performance.now();
      fn();
      timings[name] = performance.now() - start;
    };
    time('cohortConversion', () => cohortConversion({ stages, ...data, period: year }));
    time('groupMetric(owner)', () =>
      groupMetric(cohortConversion, { stages, ...data, period: year }, groupKeys.owner),
    );
    time('periodFlowConversion', () => periodFlowConversion({ stages, ...data, period: year }));
    time('stageDwell', () => stageDwell({ stages, ...data, now }));
    time('weightedForecast', () => weightedForecast({ stages, ...data, period: year }));
    time('forecastBacktest', () =>
      forecastBacktest({ stages, ...data, month: '2024-06', timeZone: 'Asia/Shanghai' }),
    );
    time('calibration', () => calibration({ stages, ...data }));
    time('funnelHealth', () =>
      funnelHealth({ stages, ...data, period: year, now, remainingTarget: 1e10 }),
    );
    time('timeToWin', () => timeToWin({ ...data, period: year, now }));
    time('statesAsOf', () => statesAsOf({ ...data, at: new Date('2024-06-01T00:00:00Z') }));
    time('lossReasons', () => lossReasons({ stages, ...data }));
    time('teamEffectiveness', () => teamEffectiveness({ ...data, followUps, period: year, now }));
    // Generous bound: the machine is shared; typical runs are far below it.
    for (const [name, ms] of Object.entries(timings)) {
      expect({ name, ok: ms < 2000 }).toEqual({ name, ok: true });
    }
    console.info(
      Object.entries(timings)
        .map(([k, v]) => `${k} ${v.toFixed(0)}ms`)
        .join(', '),
    );
  }, 30_000);
});
