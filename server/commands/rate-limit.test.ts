import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.ts';

describe('RateLimiter (token bucket per session)', () => {
  it('lets a burst through, then answers RATE_LIMITED with the wait until the next token', () => {
    let t = 0;
    const limiter = new RateLimiter({ perSecond: 10, burst: 5 }, () => t);
    for (let i = 0; i < 5; i++) expect(limiter.take('s1')).toBeNull();
    const refused = limiter.take('s1');
    expect(refused).toMatchObject({ code: 'RATE_LIMITED', retryAfterMs: 100 });
    expect(limiter.take('s2')).toBeNull(); // buckets are per session
    t = 100;
    expect(limiter.take('s1')).toBeNull();
    expect(limiter.take('s1')?.code).toBe('RATE_LIMITED');
  });

  it('charges by cost: four moves for one token, ends for free', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1 }, () => 0);
    for (let i = 0; i < 4; i++) expect(limiter.take('s1', 0.25)).toBeNull();
    expect(limiter.take('s1', 0.25)?.code).toBe('RATE_LIMITED');
    expect(limiter.take('s1', 0)).toBeNull();
  });
});
