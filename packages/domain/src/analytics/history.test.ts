import { describe, expect, it } from 'vitest';
import {
  eventsByOpportunity,
  funnelOf,
  furthestIndex,
  lostFromStageId,
  positionsAfter,
  staysOf,
  stayStartsOf,
  statesAsOf,
} from './history';
import { at, build, simpleStages, simulate } from './test-support';
import type { StageChangeEvent } from './types';

const stages = simpleStages(['A', 'B', 'C', 'D']);
const funnel = funnelOf(stages);

describe('funnelOf', () => {
  it('orders open stages by position and appends the won stage', () => {
    const shuffled = [...stages].reverse();
    const f = funnelOf(shuffled);
    expect(f.stages.map((s) => s.id)).toEqual(['A', 'B', 'C', 'D', 'won']);
    expect(f.lost.id).toBe('lost');
    expect(f.indexOf.get('won')).toBe(4);
    expect(f.indexOf.has('lost')).toBe(false);
  });
  it('rejects a pipeline without a won or lost stage', () => {
    expect(() => funnelOf(stages.filter((s) => s.kind !== 'won'))).toThrow();
    expect(() => funnelOf(stages.filter((s) => s.kind !== 'lost'))).toThrow();
  });
});

describe('eventsByOpportunity', () => {
  const e = (id: string, t: string, sequence?: number): StageChangeEvent => ({
    opportunityId: 'o',
    fromStageId: null,
    toStageId: id,
    kind: 'forward',
    status: 'open',
    changedAt: at(t),
    ...(sequence === undefined ? {} : { sequence }),
  });
  it('orders by changedAt, then sequence, then input order, and cuts at asOf', () => {
    const events = [
      e('C', '2024-06-03T00:00:00Z'),
      e('B', '2024-06-02T00:00:00Z', 2),
      e('A', '2024-06-02T00:00:00Z', 1),
      e('D', '2024-06-04T00:00:00Z'),
    ];
    expect(
      eventsByOpportunity(events)
        .get('o')!
        .map((x) => x.toStageId),
    ).toEqual(['A', 'B', 'C', 'D']);
    expect(
      eventsByOpportunity(events, at('2024-06-03T00:00:00Z'))
        .get('o')!
        .map((x) => x.toStageId),
    ).toEqual(['A', 'B', 'C']);
  });
});

describe('furthest stage and positions', () => {
  it('a skip passes the skipped stages; back does not un-reach; lost keeps the stage', () => {
    const { events } = simulate(stages, {
      id: 'o',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      steps: [
        { at: '2024-06-02T00:00:00Z', move: 'C' },
        { at: '2024-06-03T00:00:00Z', move: 'B' },
        { at: '2024-06-04T00:00:00Z', lost: 'price' },
        { at: '2024-06-05T00:00:00Z', reopen: 'B' },
      ],
    });
    expect(events.map((e) => e.kind)).toEqual(['create', 'skip', 'back', 'lost', 'reopen']);
    expect(furthestIndex(funnel, events)).toBe(2);
    expect(positionsAfter(funnel, events)).toEqual([0, 2, 1, 1, 1]);
    expect(lostFromStageId(events)).toBe('B');
  });
  it('won reaches every stage; no events reach nothing', () => {
    const { events } = simulate(stages, {
      id: 'o',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      steps: [{ at: '2024-06-02T00:00:00Z', won: 100 }],
    });
    expect(furthestIndex(funnel, events)).toBe(4);
    expect(furthestIndex(funnel, [])).toBe(-1);
    expect(lostFromStageId(events)).toBeNull();
  });
});

describe('staysOf', () => {
  it('postponing and reopening in the same stage does not split a stay', () => {
    const { events } = simulate(stages, {
      id: 'o',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      steps: [
        { at: '2024-06-03T00:00:00Z', postpone: true },
        { at: '2024-06-10T00:00:00Z', reopen: 'A' },
        { at: '2024-06-15T00:00:00Z', move: 'B' },
      ],
    });
    expect(staysOf(events)).toEqual([
      {
        opportunityId: 'o',
        stageId: 'A',
        enteredAt: at('2024-06-01T00:00:00Z'),
        leftAt: at('2024-06-15T00:00:00Z'),
      },
      { opportunityId: 'o', stageId: 'B', enteredAt: at('2024-06-15T00:00:00Z'), leftAt: null },
    ]);
  });
});

describe('statesAsOf', () => {
  const { opportunities, events } = build(stages, [
    {
      id: 'o1',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      steps: [
        { at: '2024-06-05T00:00:00Z', move: 'C' },
        { at: '2024-06-10T00:00:00Z', postpone: true },
        { at: '2024-06-20T00:00:00Z', reopen: 'B' },
        { at: '2024-06-25T00:00:00Z', won: 500 },
      ],
    },
    { id: 'o2', createdAt: '2024-06-15T00:00:00Z', stage: 'B' },
  ]);
  it('rebuilds stage, status and stage entry at past instants', () => {
    const s1 = statesAsOf({ opportunities, events, at: at('2024-06-12T00:00:00Z'), stages });
    expect(s1.get('o1')).toEqual({
      opportunityId: 'o1',
      stageId: 'C',
      status: 'postponed',
      stageEnteredAt: at('2024-06-05T00:00:00Z'),
      furthestIndex: 2,
    });
    expect(s1.has('o2')).toBe(false);
    const s2 = statesAsOf({ opportunities, events, at: at('2024-06-22T00:00:00Z') });
    expect(s2.get('o1')).toMatchObject({ stageId: 'B', status: 'open', furthestIndex: -1 });
    expect(s2.get('o2')).toMatchObject({ stageId: 'B', status: 'open' });
  });
  it('an event exactly at the instant counts', () => {
    const s = statesAsOf({ opportunities, events, at: at('2024-06-25T00:00:00Z') });
    expect(s.get('o1')).toMatchObject({ stageId: 'won', status: 'won' });
  });
  it('as of the far future equals the current facts', () => {
    const s = statesAsOf({ opportunities, events, at: at('2100-01-01T00:00:00Z') });
    for (const o of opportunities) {
      expect(s.get(o.id)).toMatchObject({ stageId: o.stageId, status: o.status });
    }
  });
});

describe('stayStartsOf', () => {
  it('gives each stage-moving change the start of the stay it ends', () => {
    const d = (day: number) => new Date(Date.UTC(2024, 0, day));
    const events = [
      { fromStageId: null, toStageId: 'A', changedAt: d(1) },
      { fromStageId: 'A', toStageId: 'B', changedAt: d(3) },
      { fromStageId: 'B', toStageId: 'B', changedAt: d(4) }, // postpone: keeps the stay
      { fromStageId: 'B', toStageId: 'B', changedAt: d(6) }, // reopen into the same stage
      { fromStageId: 'B', toStageId: 'lost', changedAt: d(9) },
      { fromStageId: 'lost', toStageId: 'A', changedAt: d(12) },
    ];
    expect(stayStartsOf(events)).toEqual([null, d(1), null, null, d(3), d(9)]);
  });
});
