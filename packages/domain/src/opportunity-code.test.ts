import { describe, expect, it } from 'vitest';
import { codePeriodKey, formatOpportunityCode, validateCodeFormat } from './opportunity-code';

describe('opportunity codes (SPEC F-1)', () => {
  it('reproduces the two seed formats', () => {
    expect(formatOpportunityCode('{YYYY}{MM}-{SEQ:3}', 2024, 5, 1)).toBe('202405-001');
    expect(formatOpportunityCode('LX{YYYY}{MM}{SEQ:3}', 2024, 5, 1)).toBe('LX202405001');
    expect(formatOpportunityCode('LX{YYYY}{MM}{SEQ:3}', 2024, 5, 1234)).toBe('LX2024051234');
    expect(formatOpportunityCode('OPP-{YY}-{SEQ:5}', 2024, 5, 42)).toBe('OPP-24-00042');
  });
  it('keys the counter by the period the format names', () => {
    expect(codePeriodKey('{YYYY}{MM}-{SEQ:3}', 2024, 5)).toBe('202405');
    expect(codePeriodKey('Q{YYYY}-{SEQ:4}', 2024, 5)).toBe('2024');
    expect(codePeriodKey('N{SEQ:6}', 2024, 5)).toBe('all');
  });
  it('validates formats', () => {
    expect(validateCodeFormat('{YYYY}{MM}-{SEQ:3}')).toBeNull();
    expect(validateCodeFormat('{YYYY}{MM}')).toBe('sequence');
    expect(validateCodeFormat('{SEQ:3}{SEQ:2}')).toBe('sequence');
    expect(validateCodeFormat('{DD}{SEQ:3}')).toBe('token');
    expect(validateCodeFormat('A B{SEQ:3}')).toBe('characters');
  });
});
