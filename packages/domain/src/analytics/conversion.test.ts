import { describe, expect, it } from 'vitest';
import { cohortConversion, dropOff, periodFlowConversion } from './conversion';
import { monthPeriod } from './periods';
import { at, build, many, presetStages, simpleStages } from './test-support';
import type { OppSpec } from './test-support';

const stages = simpleStages(['A', 'B', 'C', 'D']);
const june = monthPeriod('2024-06', 'UTC');

/** A June cohort covering skips, backward moves, reopen-after-lost, postponement. */
const cohortSpecs: OppSpec[] = [
  // Straight to won, passing D by closing from C.
  {
    id: 'o1',
    createdAt: '2024-06-01T00:00:00Z',
    stage: 'A',
    steps: [
      { at: '2024-06-02T00:00:00Z', move: 'B' },
      { at: '2024-06-03T00:00:00Z', move: 'C' },
      { at: '2024-06-04T00:00:00Z', won: 100 },
    ],
  },
  // Skips B, lost at C.
  {
    id: 'o2',
    createdAt: '2024-06-02T00:00:00Z',
    stage: 'A',
    steps: [
      { at: '2024-06-03T00:00:00Z', move: 'C' },
      { at: '2024-06-05T00:00:00Z', lost: 'price' },
    ],
  },
  // Forward then back, lost at A: furthest is still B.
  {
    id: 'o3',
    createdAt: '2024-06-03T00:00:00Z',
    stage: 'A',
    steps: [
      { at: '2024-06-04T00:00:00Z', move: 'B' },
      { at: '2024-06-05T00:00:00Z', move: 'A' },
      { at: '2024-06-06T00:00:00Z', lost: 'budget' },
    ],
  },
  // Created directly in B: reached A too.
  { id: 'o4', createdAt: '2024-06-04T00:00:00Z', stage: 'B' },
  // Lost at B, reopened, won: counted once everywhere.
  {
    id: 'o5',
    createdAt: '2024-06-05T00:00:00Z',
    stage: 'A',
    steps: [
      { at: '2024-06-06T00:00:00Z', move: 'B' },
      { at: '2024-06-07T00:00:00Z', lost: 'timing' },
      { at: '2024-06-10T00:00:00Z', reopen: 'B' },
      { at: '2024-06-11T00:00:00Z', move: 'C' },
      { at: '2024-06-12T00:00:00Z', move: 'D' },
      { at: '2024-06-13T00:00:00Z', won: 200 },
    ],
  },
  // Postponed in A.
  {
    id: 'o6',
    createdAt: '2024-06-06T00:00:00Z',
    stage: 'A',
    steps: [{ at: '2024-06-07T00:00:00Z', postpone: true }],
  },
  // Created in May: not in the June cohort.
  {
    id: 'o7',
    createdAt: '2024-05-31T23:59:59Z',
    stage: 'A',
    steps: [{ at: '2024-06-02T00:00:00Z', won: 1 }],
  },
  // June cohort, moves to B only in July.
  {
    id: 'o8',
    createdAt: '2024-06-30T12:00:00Z',
    stage: 'A',
    steps: [{ at: '2024-07-10T00:00:00Z', move: 'B' }],
  },
];
const data = build(stages, cohortSpecs);

describe('cohortConversion', () => {
  const result = cohortConversion({ stages, ...data, period: june });

  it('counts reached stages with skips, back moves and reopened deals once', () => {
    expect(result.cohortSize).toBe(7);
    expect(result.stages.map((s) => [s.stageId, s.reached])).toEqual([
      ['A', 7],
      ['B', 6],
      ['C', 3],
      ['D', 2],
      ['won', 2],
    ]);
  });
  it('adjacent and cumulative rates', () => {
    expect(result.steps.map((s) => [s.fromStageId, s.toStageId, s.rate])).toEqual([
      ['A', 'B', { numerator: 6, denominator: 7, value: 6 / 7 }],
      ['B', 'C', { numerator: 3, denominator: 6, value: 0.5 }],
      ['C', 'D', { numerator: 2, denominator: 3, value: 2 / 3 }],
      ['D', 'won', { numerator: 2, denominator: 2, value: 1 }],
    ]);
    expect(result.stages[4]!.cumulative).toEqual({ numerator: 2, denominator: 7, value: 2 / 7 });
    expect(result.stages[0]!.cumulative.value).toBe(1);
  });
  it('drop-off = lost with that furthest stage / reached', () => {
    expect(dropOff({ stages, ...data, period: june }).map((r) => [r.stageId, r.dropOff])).toEqual([
      ['A', { numerator: 0, denominator: 7, value: 0 }],
      ['B', { numerator: 1, denominator: 6, value: 1 / 6 }],
      ['C', { numerator: 1, denominator: 3, value: 1 / 3 }],
      ['D', { numerator: 0, denominator: 2, value: 0 }],
    ]);
  });
  it('as of a past instant ignores later events', () => {
    const endOfJune = cohortConversion({
      stages,
      ...data,
      period: june,
      asOf: at('2024-06-30T23:59:59Z'),
    });
    expect(endOfJune.stages.map((s) => s.reached)).toEqual([7, 5, 3, 2, 2]);
    // On 8 June o5 was lost from B, and o8 did not exist yet.
    const early = cohortConversion({
      stages,
      ...data,
      period: june,
      asOf: at('2024-06-08T00:00:00Z'),
    });
    expect(early.cohortSize).toBe(6);
    expect(early.stages.map((s) => s.reached)).toEqual([6, 5, 2, 1, 1]);
    expect(early.stages.map((s) => s.lost)).toEqual([0, 2, 1, 0, 0]);
  });
  it('an empty period gives zero counts and null rates', () => {
    const empty = cohortConversion({ stages, ...data, period: monthPeriod('2023-01', 'UTC') });
    expect(empty.cohortSize).toBe(0);
    expect(empty.stages.every((s) => s.reached === 0 && s.cumulative.value === null)).toBe(true);
    expect(empty.steps.every((s) => s.rate.value === null)).toBe(true);
    expect(empty.stages.every((s) => s.dropOff.value === null)).toBe(true);
  });
  it('reads the cohort in the period zone', () => {
    // 2024-05-31T16:30Z is June 1st in Shanghai.
    const d = build(stages, [{ id: 'x', createdAt: '2024-05-31T16:30:00Z', stage: 'A' }]);
    expect(
      cohortConversion({ stages, ...d, period: monthPeriod('2024-06', 'Asia/Shanghai') })
        .cohortSize,
    ).toBe(1);
    expect(cohortConversion({ stages, ...d, period: june }).cohortSize).toBe(0);
  });
});

describe('periodFlowConversion', () => {
  it('SPEC: 线索获取→需求确认 = 60/100 = 60%', () => {
    const std = presetStages('standard6');
    const specs: OppSpec[] = [
      // 100 created in June in 线索获取; 60 of them reach 需求确认 in June.
      ...many(60, 'moved', {
        createdAt: '2024-06-03T00:00:00Z',
        stage: '线索获取',
        steps: [{ at: '2024-06-10T00:00:00Z', move: '需求确认' }],
      }),
      ...many(35, 'stayed', { createdAt: '2024-06-03T00:00:00Z', stage: '线索获取' }),
      // 5 move only in July: not advanced by the end of June.
      ...many(5, 'late', {
        createdAt: '2024-06-20T00:00:00Z',
        stage: '线索获取',
        steps: [{ at: '2024-07-02T00:00:00Z', move: '需求确认' }],
      }),
      // Entered 线索获取 in May: they enter 需求确认 in June but are not in the first denominator.
      ...many(10, 'may', {
        createdAt: '2024-05-20T00:00:00Z',
        stage: '线索获取',
        steps: [{ at: '2024-06-05T00:00:00Z', move: '需求确认' }],
      }),
    ];
    const flow = periodFlowConversion({ stages: std, ...build(std, specs), period: june });
    const first = flow.steps[0]!;
    expect([first.fromName, first.toName]).toEqual(['线索获取', '需求确认']);
    expect(first.rate).toEqual({ numerator: 60, denominator: 100, value: 0.6 });
    expect(flow.stages[1]!.entered).toBe(70);
    expect(flow.steps[1]!.rate).toEqual({ numerator: 0, denominator: 70, value: 0 });
  });

  it('a skip enters every stage it passes; back moves do not enter', () => {
    const d = build(stages, [
      // Skip A -> D in June: enters B, C, D; advanced from A, B, C.
      {
        id: 'skip',
        createdAt: '2024-06-01T00:00:00Z',
        stage: 'A',
        steps: [{ at: '2024-06-02T00:00:00Z', move: 'D' }],
      },
      // At C before June; in June back to A then forward to B: enters B only.
      {
        id: 'back',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'C',
        steps: [
          { at: '2024-06-02T00:00:00Z', move: 'A' },
          { at: '2024-06-03T00:00:00Z', move: 'B' },
        ],
      },
      // At B before June; in June to C, back to A, again to B: enters C then B; B is not advanced
      // after its (later) entry.
      {
        id: 'zigzag',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'B',
        steps: [
          { at: '2024-06-02T00:00:00Z', move: 'C' },
          { at: '2024-06-03T00:00:00Z', move: 'A' },
          { at: '2024-06-04T00:00:00Z', move: 'B' },
        ],
      },
      // Lost from B in May, reopened to C in June, won in June: enters C, D, won.
      {
        id: 'reopen',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'B',
        steps: [
          { at: '2024-05-10T00:00:00Z', lost: 'x' },
          { at: '2024-06-02T00:00:00Z', reopen: 'C' },
          { at: '2024-06-03T00:00:00Z', won: 5 },
        ],
      },
      // Won in May, reopened to B in June: re-opening from won enters nothing.
      {
        id: 'unwon',
        createdAt: '2024-05-01T00:00:00Z',
        stage: 'A',
        steps: [
          { at: '2024-05-10T00:00:00Z', won: 5 },
          { at: '2024-06-02T00:00:00Z', reopen: 'B' },
        ],
      },
    ]);
    const flow = periodFlowConversion({ stages, ...d, period: june });
    expect(flow.stages.map((s) => [s.stageId, s.entered])).toEqual([
      ['A', 1],
      ['B', 3],
      ['C', 3],
      ['D', 2],
      ['won', 1],
    ]);
    expect(flow.steps.map((s) => [s.fromStageId, s.advanced, s.entered])).toEqual([
      ['A', 1, 1],
      ['B', 1, 3],
      ['C', 2, 3],
      ['D', 1, 2],
    ]);
  });

  it('an empty period gives null rates', () => {
    const flow = periodFlowConversion({ stages, ...data, period: monthPeriod('2023-01', 'UTC') });
    expect(flow.steps.every((s) => s.entered === 0 && s.rate.value === null)).toBe(true);
  });
});
