/**
 * G6 — a browser's side of "at most the latest value per control waits". A drag makes a
 * value every animation frame; sending each at once, however slow the answers come
 * back, queued them in the socket behind each other when the studio machine was short
 * of CPU (0.8 s median, 3.4 s p99 in the contended bench with the server at a fifth of
 * a core). So a browser keeps at most MAX_UNANSWERED_MOVES of a gesture's commands
 * unanswered; a newer value meanwhile waits in the browser, replacing any older waiting
 * one, and goes out when an answer comes back. While answers come back within two
 * frames nothing waits; when they come back slowly, fewer values are sent and each is
 * the newest. The gesture's `end` is sent at once and carries the release value (G4).
 */
export const MAX_UNANSWERED_MOVES = 2;

export class MoveGate<T> {
  private unanswered = 0;
  private waiting: { value: T } | null = null;

  constructor(private readonly limit = MAX_UNANSWERED_MOVES) {}

  /** A new value (start or move): returns it when it may be sent now; otherwise it waits (only the newest). */
  offer(value: T): T | undefined {
    if (this.unanswered < this.limit) {
      this.unanswered++;
      return value;
    }
    this.waiting = { value };
    return undefined;
  }

  /**
   * An answer came back for one of this gesture's starts or moves: returns the waiting
   * value to send now, if any. With `canSend` false (the socket is down) the value keeps
   * waiting.
   */
  answered(canSend = true): T | undefined {
    this.unanswered = Math.max(0, this.unanswered - 1);
    const next = this.waiting;
    if (!next || !canSend) return undefined;
    this.waiting = null;
    this.unanswered++;
    return next.value;
  }

  /** The gesture ended (its `end` carries the final value) or was given up: nothing waits any more. */
  drop(): void {
    this.waiting = null;
  }

  /** A new gesture on the control. */
  reset(): void {
    this.unanswered = 0;
    this.waiting = null;
  }

  get pending(): boolean {
    return this.waiting !== null;
  }
}
