import { describe, expect, it } from 'vitest';
import { ERROR_CODES, pickLocale, translate } from './errors';

describe('error messages', () => {
  it('has a message for every code in both languages', () => {
    for (const code of ERROR_CODES) {
      expect(translate('en', code)).not.toBe(code);
      expect(translate('zh-CN', code)).not.toBe(code);
      expect(translate('zh-CN', code)).not.toBe(translate('en', code));
    }
  });
  it('translates parameters that name things', () => {
    expect(translate('zh-CN', 'REASON_REQUIRED', { action: 'skip' })).toBe(
      '请填写原因:跳过阶段时必须说明原因。',
    );
    expect(translate('en', 'REASON_REQUIRED', { action: 'move_back' })).toBe(
      'Say why: a reason is required to move back.',
    );
    expect(translate('zh-CN', 'NOT_FOUND', { entity: 'opportunity' })).toBe(
      '该机会不存在或您无权查看。',
    );
    expect(translate('en', 'INVALID_STAGE_MOVE', { why: 'close_won_instead' })).toBe(
      'This move is not possible: close it as won instead.',
    );
    expect(
      translate('zh-CN', 'STAGE_GATE_UNMET', { stage: '商务谈判', fields: 'expectedCloseDate' }),
    ).toContain('商务谈判');
  });
  it('picks the language from Accept-Language', () => {
    expect(pickLocale('zh-CN,zh;q=0.9,en;q=0.8')).toBe('zh-CN');
    expect(pickLocale('zh-TW')).toBe('zh-CN');
    expect(pickLocale('en-US,en;q=0.9')).toBe('en');
    expect(pickLocale(undefined)).toBe('en');
  });
});
