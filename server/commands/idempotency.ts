import type { Answer } from '../../protocol/index.ts';

export interface IdempotencyOptions {
  /** How long an id is remembered after it was accepted. */
  ttlMs: number;
  /** Upper bound per session; the oldest id is forgotten first. */
  maxPerSession: number;
  now?: () => number;
}

/** Until it settles the promise is kept; after, only the answer (a promise per entry was most of the cache's memory). */
interface Remembered { pending: Promise<Answer> | null; settled: Answer | null; at: number }

/**
 * The third step. Every command that passed the checks and was accepted is remembered by
 * (session, id) with the promise of its one answer; a retry gets that same promise, also
 * while the first is still in flight. Refused commands are not remembered: they never
 * ran, so a retry is a fresh attempt (a RATE_LIMITED command may be sent again).
 */
export class IdempotencyCache {
  private readonly bySession = new Map<string, Map<string, Remembered>>();
  private readonly now: () => number;

  constructor(private readonly options: IdempotencyOptions) {
    this.now = options.now ?? Date.now;
  }

  find(sessionId: string, id: string): Promise<Answer> | undefined {
    const ids = this.bySession.get(sessionId);
    if (!ids) return undefined;
    this.expire(sessionId, ids);
    const entry = ids.get(id);
    if (!entry) return undefined;
    return entry.settled ? Promise.resolve(entry.settled) : entry.pending!;
  }

  remember(sessionId: string, id: string, answer: Promise<Answer>): void {
    let ids = this.bySession.get(sessionId);
    if (!ids) {
      ids = new Map();
      this.bySession.set(sessionId, ids);
    }
    const entry: Remembered = { pending: answer, settled: null, at: this.now() };
    ids.set(id, entry);
    void answer.then((a) => {
      entry.settled = a;
      entry.pending = null;
    });
    this.expire(sessionId, ids);
    while (ids.size > this.options.maxPerSession) {
      const oldest = ids.keys().next().value as string;
      ids.delete(oldest);
    }
  }

  /** Drops what has expired everywhere; the pipeline calls it now and then. */
  sweep(): void {
    for (const [sessionId, ids] of this.bySession) this.expire(sessionId, ids);
  }

  get size(): number {
    let n = 0;
    for (const ids of this.bySession.values()) n += ids.size;
    return n;
  }

  private expire(sessionId: string, ids: Map<string, Remembered>): void {
    const cutoff = this.now() - this.options.ttlMs;
    // Insertion order is time order: stop at the first one still young.
    for (const [id, entry] of ids) {
      if (entry.at > cutoff) break;
      ids.delete(id);
    }
    if (ids.size === 0) this.bySession.delete(sessionId);
  }
}
