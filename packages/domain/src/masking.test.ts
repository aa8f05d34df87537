import { describe, expect, it } from 'vitest';
import { maskEmail, maskHandle, maskPhone } from './masking';

describe('masking', () => {
  it('masks phones, e-mails and IM handles', () => {
    expect(maskPhone('13812345678')).toBe('138******78');
    expect(maskPhone('010-1234')).toBe('0*****34');
    expect(maskPhone('123')).toBe('***');
    expect(maskEmail('zhao123@example.com')).toBe('z***@example.com');
    expect(maskEmail('nope')).toBe('***');
    expect(maskHandle('zhao123')).toBe('z***3');
  });
});
