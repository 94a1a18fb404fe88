import type { Answer } from '../../protocol/index.ts';

export interface IdempotencyOptions {
  /** How long an id is remembered after it was accepted. */
  ttlMs: number;
  /** Upper bound per session; the oldest id is forgotten first. */
  maxPerSession: number;
  now?: () => number;
}

/**
 * One accepted command as remembered: its answer once it has one, and until then the
 * retries waiting for it (a promise per entry was most of the cache's memory, and its
 * continuations a share of the server's CPU per command).
 */
export class Remembered {
  private answer: Answer | null = null;
  private waiters: Array<(answer: Answer) => void> | null = null;

  constructor(readonly at: number) {}

  /** Calls `then` with the answer: now if it is known, else when it comes. */
  whenAnswered(then: (answer: Answer) => void): void {
    if (this.answer) then(this.answer);
    else (this.waiters ??= []).push(then);
  }

  settle(answer: Answer): void {
    if (this.answer) return;
    this.answer = answer;
    const waiters = this.waiters;
    this.waiters = null;
    if (waiters) for (const w of waiters) w(answer);
  }
}

/**
 * The third step. Every command that passed the checks and was accepted is remembered by
 * (session, id) with its one answer; a retry gets that same answer, also while the first
 * is still in flight (it waits for it). Refused commands are not remembered: they never
 * ran, so a retry is a fresh attempt (a RATE_LIMITED command may be sent again).
 */
export class IdempotencyCache {
  private readonly bySession = new Map<string, Map<string, Remembered>>();
  private readonly now: () => number;

  constructor(private readonly options: IdempotencyOptions) {
    this.now = options.now ?? Date.now;
  }

  find(sessionId: string, id: string): Remembered | undefined {
    const entry = this.bySession.get(sessionId)?.get(id);
    // Expired but not yet swept: as good as forgotten.
    return entry && entry.at > this.now() - this.options.ttlMs ? entry : undefined;
  }

  /** Remembers an accepted command; settle the returned entry with its answer. */
  remember(sessionId: string, id: string): Remembered {
    let ids = this.bySession.get(sessionId);
    if (!ids) {
      ids = new Map();
      this.bySession.set(sessionId, ids);
    }
    const now = this.now();
    const entry = new Remembered(now);
    ids.delete(id);
    ids.set(id, entry);
    this.expire(sessionId, ids, now);
    if (ids.size > this.options.maxPerSession) ids.delete(ids.keys().next().value!);
    return entry;
  }

  /** Drops what has expired everywhere; the pipeline calls it now and then. */
  sweep(): void {
    const now = this.now();
    for (const [sessionId, ids] of this.bySession) this.expire(sessionId, ids, now);
  }

  get size(): number {
    let n = 0;
    for (const ids of this.bySession.values()) n += ids.size;
    return n;
  }

  private expire(sessionId: string, ids: Map<string, Remembered>, now: number): void {
    const cutoff = now - this.options.ttlMs;
    // Insertion order is time order: stop at the first one still young.
    for (const [id, entry] of ids) {
      if (entry.at > cutoff) break;
      ids.delete(id);
    }
    if (ids.size === 0) this.bySession.delete(sessionId);
  }
}
