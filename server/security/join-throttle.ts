import net from 'node:net';
import { canonicalIp, subnetOf } from './ip-binding.ts';

export interface JoinThrottleOptions {
  /** Failed attempts allowed per window before the address is shut out. */
  maxFailures?: number;
  windowMs?: number;
  /** First shut-out; it doubles with each further strike, up to maxLockMs. */
  lockMs?: number;
  maxLockMs?: number;
  /** Bound on addresses remembered, so a flood of sources cannot grow memory. */
  maxTracked?: number;
  now?: () => number;
}

interface Entry { failures: number[]; strikes: number; lockedUntil: number }

/**
 * Slows join-code and PIN guessing per source. A 6-digit code has a million values;
 * at 5 tries a minute with doubling lockouts a guesser needs years, while a student
 * who mistypes twice never notices. IPv6 sources count per /64: one machine owns a
 * whole /64 and could otherwise rotate addresses.
 */
export class JoinThrottle {
  readonly #entries = new Map<string, Entry>();
  readonly #o: Required<JoinThrottleOptions>;

  constructor(options: JoinThrottleOptions = {}) {
    this.#o = { maxFailures: 5, windowMs: 60_000, lockMs: 60_000, maxLockMs: 15 * 60_000, maxTracked: 10_000, now: Date.now, ...options };
  }

  static keyOf(ip: string): string {
    const canonical = canonicalIp(ip);
    return net.isIPv6(canonical) ? subnetOf(canonical) : canonical;
  }

  /** Milliseconds this source must still wait, or 0 when it may try. */
  retryAfterMs(ip: string): number {
    const entry = this.#entries.get(JoinThrottle.keyOf(ip));
    return entry ? Math.max(0, entry.lockedUntil - this.#o.now()) : 0;
  }

  /** Records a wrong code or PIN; returns the wait now imposed (0 if none yet). */
  fail(ip: string): number {
    const now = this.#o.now();
    const key = JoinThrottle.keyOf(ip);
    const entry = this.#entries.get(key) ?? { failures: [], strikes: 0, lockedUntil: 0 };
    this.#entries.delete(key); // re-insert: Map order doubles as least-recently-used
    this.#entries.set(key, entry);
    entry.failures = entry.failures.filter((t) => now - t < this.#o.windowMs);
    entry.failures.push(now);
    if (entry.failures.length >= this.#o.maxFailures) {
      entry.lockedUntil = now + Math.min(this.#o.maxLockMs, this.#o.lockMs * 2 ** entry.strikes);
      entry.strikes += 1;
      entry.failures = [];
    }
    this.#evict();
    return Math.max(0, entry.lockedUntil - now);
  }

  /** A correct code clears the failures but not an ongoing shut-out's history. */
  succeed(ip: string): void {
    const entry = this.#entries.get(JoinThrottle.keyOf(ip));
    if (entry) entry.failures = [];
  }

  #evict(): void {
    while (this.#entries.size > this.#o.maxTracked) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
