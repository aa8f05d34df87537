import { describe, expect, it } from 'vitest';
import { problemMessage } from './import-export';

describe('problem messages', () => {
  it('name the field in the reader’s words', () => {
    expect(problemMessage('zh-CN', 'unknown_value', { field: 'industry', value: '制造' })).toBe(
      '不是本工作区的行业可选值:「制造」。',
    );
    expect(problemMessage('en', 'missing_required', { field: 'expectedCloseDate' })).toBe(
      'Required value missing (Expected close date).',
    );
    // a custom field or anything unknown stays as it is
    expect(problemMessage('en', 'missing_required', { field: 'custom.budget' })).toBe(
      'Required value missing (custom.budget).',
    );
  });
});
