import { wireError, type WireError } from '../../protocol/index.ts';

export interface RateLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: how many commands may come at once after a quiet spell. */
  burst: number;
}

interface Bucket { tokens: number; at: number }

/**
 * The fifth step: a token bucket per session. `cost` lets a gesture's moves (which
 * coalesce before Live) cost less than a clip launch; see docs/protocol.md (R1).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly limit: RateLimit, private readonly now: () => number = Date.now) {}

  take(key: string, cost = 1): WireError | null {
    const at = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, at };
    bucket.tokens = Math.min(this.limit.burst, bucket.tokens + ((at - bucket.at) / 1000) * this.limit.perSecond);
    bucket.at = at;
    this.buckets.set(key, bucket);
    if (bucket.tokens + 1e-9 >= cost) {
      bucket.tokens -= cost;
      return null;
    }
    const retryAfterMs = Math.max(1, Math.ceil(((cost - bucket.tokens) / this.limit.perSecond) * 1000));
    return wireError('RATE_LIMITED', `slow down: at most ${this.limit.perSecond} commands a second (bursts of ${this.limit.burst})`, { retryAfterMs });
  }

  forget(key: string): void {
    this.buckets.delete(key);
  }
}
