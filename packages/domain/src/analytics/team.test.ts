import { describe, expect, it } from 'vitest';
import { monthPeriod } from './periods';
import { followUpCompliance, teamEffectiveness } from './team';
import { at, build, followUp, simpleStages } from './test-support';

const june = monthPeriod('2024-06', 'UTC');
const now = at('2024-06-25T00:00:00Z');
const planned = at('2024-06-10T10:00:00Z');

const followUps = [
  // Done within 24 hours of the plan: on time.
  followUp({
    opportunityId: 'o1',
    status: 'done',
    plannedAt: planned,
    occurredAt: at('2024-06-11T09:00:00Z'),
  }),
  // Exactly at plan + 24h: on time.
  followUp({
    opportunityId: 'o1',
    status: 'done',
    plannedAt: planned,
    occurredAt: at('2024-06-11T10:00:00Z'),
  }),
  // Done later: late; also entered late.
  followUp({
    opportunityId: 'o2',
    status: 'done',
    plannedAt: planned,
    occurredAt: at('2024-06-12T10:00:01Z'),
    lateEntry: true,
  }),
  // Still planned and past due: overdue.
  followUp({ opportunityId: 'o2', status: 'planned', plannedAt: planned }),
  // Cancelled: out of the denominator.
  followUp({ opportunityId: 'o3', status: 'cancelled', plannedAt: planned }),
  // Planned after now: not due yet.
  followUp({ opportunityId: 'o3', status: 'planned', plannedAt: at('2024-06-28T00:00:00Z') }),
  // Planned in May: outside.
  followUp({ opportunityId: 'o3', status: 'planned', plannedAt: at('2024-05-28T00:00:00Z') }),
  // Unplanned, done in June.
  followUp({ opportunityId: 'o4', status: 'done', occurredAt: at('2024-06-05T00:00:00Z') }),
  // Another rep's follow-up on rep1's opportunity.
  followUp({
    opportunityId: 'o1',
    ownerId: 'rep2',
    status: 'done',
    occurredAt: at('2024-06-06T00:00:00Z'),
  }),
];

describe('followUpCompliance', () => {
  it('splits due follow-ups into on time, late, overdue and cancelled', () => {
    const r = followUpCompliance({
      followUps: followUps.filter((f) => f.ownerId === 'rep1'),
      period: june,
      now,
    });
    expect(r).toEqual({
      due: 5,
      cancelled: 1,
      doneOnTime: 2,
      doneLate: 1,
      overdue: 1,
      onTime: { numerator: 2, denominator: 4, value: 0.5 },
      overdueRate: { numerator: 1, denominator: 4, value: 0.25 },
      lateEntries: { done: 4, late: 1, rate: { numerator: 1, denominator: 4, value: 0.25 } },
    });
  });
  it('accepts another grace and is null with nothing due', () => {
    const strict = followUpCompliance({ followUps, period: june, now, graceHours: 0 });
    expect(strict.doneOnTime).toBe(0);
    const none = followUpCompliance({ followUps: [], period: june, now });
    expect(none.onTime.value).toBeNull();
    expect(none.lateEntries.rate.value).toBeNull();
  });
});

describe('teamEffectiveness', () => {
  const stages = simpleStages(['A', 'B']);
  const { opportunities } = build(stages, [
    {
      id: 'o1',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      priority: 'A',
      steps: [{ at: '2024-06-05T00:00:00Z', won: 1 }],
    },
    {
      id: 'o2',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'A',
      priority: 'A',
      steps: [{ at: '2024-06-05T00:00:00Z', lost: null }],
    },
    {
      id: 'o3',
      createdAt: '2024-06-01T00:00:00Z',
      stage: 'B',
      priority: 'B',
      steps: [{ at: '2024-06-05T00:00:00Z', won: 1 }],
    },
    { id: 'o4', createdAt: '2024-06-01T00:00:00Z', stage: 'A' },
    // Not in the June cohort.
    { id: 'o5', createdAt: '2024-05-01T00:00:00Z', stage: 'A', ownerId: 'rep3' },
  ]);

  it('per rep: conversion to won, follow-ups per opportunity, A-priority conversion, compliance', () => {
    const rows = teamEffectiveness({ opportunities, followUps, period: june, now });
    expect(rows.map((r) => r.repId)).toEqual(['rep1', 'rep2']);
    const rep1 = rows[0]!;
    expect(rep1).toMatchObject({
      cohort: 4,
      won: 2,
      conversion: { value: 0.5 },
      doneFollowUps: 5,
      followUpsPerOpportunity: { numerator: 5, denominator: 4, value: 1.25 },
      aPriority: { total: 2, won: 1, conversion: { value: 0.5 } },
    });
    expect(rep1.compliance.onTime.value).toBe(0.5);
    expect(rows[1]).toMatchObject({
      cohort: 0,
      conversion: { value: null },
      compliance: { due: 0, lateEntries: { done: 1 } },
    });
  });
});
