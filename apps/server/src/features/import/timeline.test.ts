import { describe, expect, it } from 'vitest';
import { buildTimeline, type StageInfo } from './timeline';

const stages: StageInfo[] = ['线索获取', '需求确认', '方案呈现', '商务谈判', '合同签订'].map(
  (name, i) => ({
    id: `s${i + 1}`,
    name,
    kind: 'open',
    position: i + 1,
    winProbability: 10 * (i + 1),
  }),
);
stages.push({ id: 'won', name: '成交落地', kind: 'won', position: 6, winProbability: 100 });
stages.push({ id: 'lost', name: '输单', kind: 'lost', position: 7, winProbability: 0 });
const [s1, s2, s3, s4] = stages as [StageInfo, StageInfo, StageInfo, StageInfo];
const won = stages[5]!;
const lost = stages[6]!;
const d = (day: number) => new Date(Date.UTC(2024, 4, day));
const base = { stages, lastOpenStage: null, stageEnteredAt: null, closedAt: null, history: [] };

describe('buildTimeline', () => {
  it('creates an open opportunity in its stage at acquisition', () => {
    const t = buildTimeline({ ...base, acquiredAt: d(1), status: 'open', stage: s3 });
    expect(t.events.map((e) => [e.kind, e.toStageId])).toEqual([['create', 's3']]);
    expect(t.reachedPosition).toBe(3);
    expect(t.stageEnteredAt).toEqual(d(1));
  });

  it('creates in the first stage and skips to the current one when it was entered later', () => {
    const t = buildTimeline({
      ...base,
      acquiredAt: d(1),
      status: 'open',
      stage: s3,
      stageEnteredAt: d(5),
    });
    expect(t.events.map((e) => [e.kind, e.toStageId, e.at.getUTCDate()])).toEqual([
      ['create', 's1', 1],
      ['skip', 's3', 5],
    ]);
    expect(t.stageEnteredAt).toEqual(d(5));
  });

  it('closes a won opportunity from its last open stage, reaching the won position', () => {
    const t = buildTimeline({
      ...base,
      acquiredAt: d(1),
      status: 'won',
      stage: won,
      lastOpenStage: s2,
      closedAt: d(9),
    });
    expect(t.events.map((e) => [e.kind, e.fromStageId, e.toStageId, e.status])).toEqual([
      ['create', null, 's2', 'open'],
      ['won', 's2', 'won', 'won'],
    ]);
    expect(t.reachedPosition).toBe(6);
    expect(t.closedAt).toEqual(d(9));
  });

  it('a lost opportunity reaches only its last open stage', () => {
    const t = buildTimeline({
      ...base,
      acquiredAt: d(1),
      status: 'lost',
      stage: lost,
      lastOpenStage: s4,
      closedAt: d(3),
    });
    expect(t.reachedPosition).toBe(4);
    expect(t.events.at(-1)).toMatchObject({ kind: 'lost', fromStageId: 's4', status: 'lost' });
  });

  it('replays a history: repeats dropped, moves classified, early rows moved to acquisition', () => {
    const t = buildTimeline({
      ...base,
      acquiredAt: d(3),
      status: 'won',
      stage: won,
      history: [
        { stage: s1, at: d(1), reason: null },
        { stage: s1, at: d(2), reason: null },
        { stage: s3, at: d(4), reason: null },
        { stage: s2, at: d(5), reason: 'back' },
        { stage: s3, at: d(6), reason: null },
        { stage: won, at: d(8), reason: null },
      ],
    });
    expect(t.historyBeforeCreation).toBe(true);
    expect(t.events.map((e) => e.kind)).toEqual(['create', 'skip', 'back', 'forward', 'won']);
    expect(t.events[0]!.at).toEqual(d(3));
    expect(t.reachedPosition).toBe(6);
  });

  it('adds a move when the current stage differs from the last history row', () => {
    const t = buildTimeline({
      ...base,
      acquiredAt: d(1),
      status: 'open',
      stage: s4,
      stageEnteredAt: d(7),
      history: [{ stage: s2, at: d(2), reason: null }],
    });
    expect(t.reconciledAt).toEqual(d(7));
    expect(t.events.map((e) => [e.kind, e.toStageId])).toEqual([
      ['create', 's2'],
      ['skip', 's4'],
    ]);
  });

  it('never goes back in time, and a closing history row alone still creates first', () => {
    const t = buildTimeline({
      ...base,
      acquiredAt: d(5),
      status: 'lost',
      stage: lost,
      history: [{ stage: lost, at: d(4), reason: null }],
    });
    expect(t.events.map((e) => [e.kind, e.at.getUTCDate()])).toEqual([
      ['create', 5],
      ['lost', 5],
    ]);
  });

  it('postpones in place', () => {
    const t = buildTimeline({ ...base, acquiredAt: d(1), status: 'postponed', stage: s2 });
    expect(t.events.map((e) => [e.kind, e.status])).toEqual([
      ['create', 'open'],
      ['postpone', 'postponed'],
    ]);
    expect(t.stageEnteredAt).toEqual(d(1));
  });
});
