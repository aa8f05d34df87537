import { describe, expect, it } from 'vitest';
import { accountNameCore, accountNameKey, accountNameSimilarity } from './account-name';

describe('account names', () => {
  it('normalises width, case, spaces and punctuation', () => {
    expect(accountNameKey('北京 星辰科技（集团）有限公司')).toBe(
      accountNameKey('北京星辰科技(集团)有限公司'),
    );
    expect(accountNameKey('ＡＢＣ Co., Ltd.')).toBe('abccoltd');
  });
  it('strips legal forms for near-duplicate detection', () => {
    expect(accountNameCore('北京星辰科技有限公司')).toBe('北京星辰科技');
    expect(accountNameCore('Acme Corp.')).toBe('acme');
    expect(accountNameSimilarity('北京星辰科技有限公司', '北京星辰科技股份有限公司')).toBe(1);
    expect(accountNameSimilarity('Acme Inc', 'ACME Corporation')).toBe(1);
    expect(accountNameSimilarity('北京星辰科技有限公司', '北京星晨科技有限公司')).toBeGreaterThan(
      0.5,
    );
    expect(accountNameSimilarity('华为技术有限公司', '阿里巴巴集团')).toBe(0);
  });
});
