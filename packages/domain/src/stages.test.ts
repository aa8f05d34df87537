import { describe, expect, it } from 'vitest';
import {
  PIPELINE_PRESETS,
  classifyMove,
  missingGateFields,
  moveNeedsReason,
  validateStageList,
} from './stages';

const stages = [
  { id: 'a', position: 1, kind: 'open' as const },
  { id: 'b', position: 2, kind: 'open' as const },
  { id: 'c', position: 3, kind: 'open' as const },
  { id: 'w', position: 4, kind: 'won' as const },
  { id: 'l', position: 5, kind: 'lost' as const },
];

describe('stage moves', () => {
  it('classifies forward, skip, back and same', () => {
    expect(classifyMove(stages, 'a', 'b')).toBe('forward');
    expect(classifyMove(stages, 'a', 'c')).toBe('skip');
    expect(classifyMove(stages, 'c', 'a')).toBe('back');
    expect(classifyMove(stages, 'b', 'b')).toBe('same');
    expect(() => classifyMove(stages, 'a', 'w')).toThrow();
  });
  it('requires a reason only to skip or move back', () => {
    expect(moveNeedsReason('forward')).toBe(false);
    expect(moveNeedsReason('skip')).toBe(true);
    expect(moveNeedsReason('back')).toBe(true);
  });
  it('lists unfilled gate fields, custom ones included', () => {
    const snapshot = {
      needsDescription: '  ',
      expectedAmount: 0,
      expectedCloseDate: '2024-06-01',
      contacts: [],
      customFields: { decision_chain: 3 },
    };
    expect(
      missingGateFields(
        [
          'needsDescription',
          'expectedAmount',
          'expectedCloseDate',
          'contacts',
          'custom.decision_chain',
          'custom.budget_owner',
        ],
        snapshot,
      ),
    ).toEqual(['needsDescription', 'expectedAmount', 'contacts', 'custom.budget_owner']);
  });
  it('accepts every preset and rejects broken stage lists', () => {
    for (const preset of PIPELINE_PRESETS) expect(validateStageList(preset.stages)).toBeNull();
    expect(
      PIPELINE_PRESETS.find((p) => p.key === 'forecast7')!.stages.map((s) => s.winProbability),
    ).toEqual([0, 10, 20, 30, 50, 70, 100, 0]);
    expect(validateStageList([{ name: 'x', kind: 'open' }])).toBe('one_won');
    expect(
      validateStageList([
        { name: 'w', kind: 'won' },
        { name: 'x', kind: 'open' },
        { name: 'l', kind: 'lost' },
      ]),
    ).toBe('terminal_last');
  });
});
