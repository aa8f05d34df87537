import { describe, expect, it } from 'vitest';
import { FailureRateLimiter } from './rate-limiter';

describe('sign-in rate limiter', () => {
  it('blocks after the limit within the window and frees the key after it', () => {
    const limiter = new FailureRateLimiter(3, 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfter('ip', t0 + i)).toBe(0);
      limiter.recordFailure('ip', t0 + i);
    }
    expect(limiter.retryAfter('ip', t0 + 10)).toBe(60);
    expect(limiter.retryAfter('ip', t0 + 60_001)).toBe(0);
    limiter.recordFailure('other', t0);
    limiter.reset('other');
    expect(limiter.retryAfter('other', t0)).toBe(0);
  });
});
