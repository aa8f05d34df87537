import { describe, expect, it } from 'vitest';
import { missedEntryRate } from './data-quality';
import { followUp } from './test-support';

describe('missedEntryRate', () => {
  it('contacted prospects with required fields missing / contacted prospects', () => {
    const r = missedEntryRate({
      prospects: [
        { opportunityId: 'p1', missingRequiredFields: ['industry', 'source'] },
        { opportunityId: 'p2', missingRequiredFields: [] },
        { opportunityId: 'p3', missingRequiredFields: ['industry'] }, // never contacted
        { opportunityId: 'p4', missingRequiredFields: true },
        { opportunityId: 'p5', missingRequiredFields: false },
        { opportunityId: 'p6', missingRequiredFields: ['industry'] }, // only a planned follow-up
        { opportunityId: 'p7', missingRequiredFields: ['industry'] },
      ],
      followUps: [
        followUp({ opportunityId: 'p1' }),
        followUp({ opportunityId: 'p1' }),
        followUp({ opportunityId: 'p2' }),
        followUp({ opportunityId: 'p4' }),
        followUp({ opportunityId: 'p5' }),
        followUp({ opportunityId: 'p6', status: 'planned' }),
        followUp({ opportunityId: 'p7' }),
      ],
    });
    expect(r).toEqual({
      contacted: 5,
      missed: 3,
      rate: { numerator: 3, denominator: 5, value: 0.6 },
      byField: [
        { field: 'industry', count: 2 },
        { field: 'source', count: 1 },
      ],
      missedOpportunityIds: ['p1', 'p4', 'p7'],
    });
  });
  it('is null without contacted prospects', () => {
    expect(missedEntryRate({ prospects: [], followUps: [] }).rate.value).toBeNull();
  });
});
