import { canonicalIp } from './ip-binding.ts';
import { JoinThrottle } from './join-throttle.ts';

export interface PinBudgetOptions {
  /** Wrong PINs the whole room allows per window before PIN entry pauses. */
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

/** What the host console shows: somebody is guessing, from how many places, and whether entry is paused. */
export interface PinGuessing {
  failures: number;
  addresses: number;
  windowMs: number;
  pausedForMs: number;
}

/**
 * A room-wide budget of wrong admin PINs (H3). Per-address lockouts alone let 47
 * addresses guess 235 PINs in a minute; with this, the whole network gets
 * `maxFailures` wrong PINs per window, after which PIN entry pauses until the oldest
 * failure leaves the window. A 6-digit PIN then takes about a year of guessing; the
 * generated 8-digit one, a century. Only host joins are paused: members who know the
 * join code keep joining, and the studio machine itself (loopback) keeps its door, so
 * a guesser on the network cannot keep the teacher out.
 */
export class PinBudget {
  readonly #failures: Array<{ at: number; source: string }> = [];
  readonly #o: Required<PinBudgetOptions>;

  constructor(options: PinBudgetOptions = {}) {
    this.#o = { maxFailures: 10, windowMs: 10 * 60_000, now: Date.now, ...options };
  }

  /** Milliseconds before a PIN from `ip` is checked again; 0 when it may be tried now. */
  pausedForMs(ip: string): number {
    if (isLoopback(ip)) return 0;
    this.#forgetOld();
    if (this.#failures.length < this.#o.maxFailures) return 0;
    return Math.max(1, this.#failures[this.#failures.length - this.#o.maxFailures]!.at + this.#o.windowMs - this.#o.now());
  }

  /** Records a wrong PIN; true when this one used up the budget (entry now pauses). */
  fail(ip: string): boolean {
    this.#forgetOld();
    this.#failures.push({ at: this.#o.now(), source: JoinThrottle.keyOf(ip) });
    // Only the newest maxFailures can ever matter: memory stays bounded under any flood.
    if (this.#failures.length > this.#o.maxFailures) this.#failures.splice(0, this.#failures.length - this.#o.maxFailures);
    return this.#failures.length === this.#o.maxFailures;
  }

  status(): PinGuessing {
    this.#forgetOld();
    return {
      failures: this.#failures.length,
      addresses: new Set(this.#failures.map((f) => f.source)).size,
      windowMs: this.#o.windowMs,
      pausedForMs: this.pausedForMs('0.0.0.0'),
    };
  }

  #forgetOld(): void {
    const since = this.#o.now() - this.#o.windowMs;
    while (this.#failures.length > 0 && this.#failures[0]!.at <= since) this.#failures.shift();
  }
}

/** The studio machine's own loopback (127.0.0.1, ::1): someone at the studio computer. */
function isLoopback(ip: string): boolean {
  const canonical = canonicalIp(ip);
  return canonical === '::1' || canonical === '127.0.0.1';
}
