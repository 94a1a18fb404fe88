import { wireError, type Command, type LeasesMessage, type WireError } from '../../protocol/index.ts';

export interface Lease {
  key: string;
  sessionId: string;
  gestureId: string;
  action: string;
  target: string | null;
  index?: number;
  expiresAt: number;
}

export interface LeaseOptions {
  /** A lease ends this long after its last start or move. */
  idleMs: number;
  /** Called whenever the set of held controls changes, with the anonymized view. */
  onChange(message: LeasesMessage): void;
  now?: () => number;
}

/**
 * Gesture leases (docs/protocol.md, G1–G5). The first start or move of a gesture takes a
 * short lease on its control for the session; while held, the holder's moves need no
 * baseRev and everyone else gets HELD. A lease ends on the gesture's end, on the
 * holder's disconnect, or `idleMs` after the last move.
 */
export class LeaseTable {
  private readonly leases = new Map<string, Lease & { timer: NodeJS.Timeout }>();
  private readonly now: () => number;
  /** How long a lease outlives its last start or move; applies to leases taken from now on. */
  idleMs: number;

  constructor(private readonly options: LeaseOptions) {
    this.now = options.now ?? Date.now;
    this.idleMs = options.idleMs;
  }

  holder(key: string): Lease | undefined {
    return this.leases.get(key);
  }

  /** HELD when another session holds the control `key` (controlOf(command).key). */
  check(sessionId: string, key: string): WireError | null {
    const lease = this.leases.get(key);
    if (!lease || lease.sessionId === sessionId) return null;
    return wireError('HELD', 'someone is moving this control right now; try again when they let go');
  }

  holds(sessionId: string, key: string): boolean {
    return this.leases.get(key)?.sessionId === sessionId;
  }

  /**
   * After a command was accepted: a start or move takes or refreshes the lease, an end
   * releases it. Commands without a gesture leave leases alone.
   */
  apply(command: Command, sessionId: string, key: string): void {
    const gesture = command.gesture;
    if (!gesture) return;
    const current = this.leases.get(key);
    if (current && current.sessionId !== sessionId) return; // check() refused this already
    if (gesture.phase === 'end') {
      if (current) this.drop(key);
      return;
    }
    const expiresAt = this.now() + this.idleMs;
    if (current) {
      // A refresh (60 a second per dragging hand) only moves the expiry; the lease's one
      // timer looks at it when it fires. A timer per move was a measurable share of CPU.
      current.gestureId = gesture.id;
      current.expiresAt = expiresAt;
      return;
    }
    const index = typeof command.args.index === 'number' ? command.args.index : undefined;
    this.leases.set(key, {
      key, sessionId, gestureId: gesture.id, action: command.action, target: command.target,
      ...(index !== undefined ? { index } : {}), expiresAt, timer: this.expiryTimer(key, this.idleMs),
    });
    this.changed();
  }

  private expiryTimer(key: string, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => {
      const lease = this.leases.get(key);
      if (!lease || lease.timer !== timer) return;
      const left = lease.expiresAt - this.now();
      if (left > 0) lease.timer = this.expiryTimer(key, left);
      else this.drop(key);
    }, ms);
    timer.unref();
    return timer;
  }

  /** The holder went away: its leases end at once. */
  releaseSession(sessionId: string): void {
    let any = false;
    for (const [key, lease] of this.leases) {
      if (lease.sessionId !== sessionId) continue;
      clearTimeout(lease.timer);
      this.leases.delete(key);
      any = true;
    }
    if (any) this.changed();
  }

  snapshot(): LeasesMessage {
    return {
      held: [...this.leases.values()].map((l) => ({ key: l.key, action: l.action, target: l.target, ...(l.index !== undefined ? { index: l.index } : {}) })),
    };
  }

  get size(): number {
    return this.leases.size;
  }

  close(): void {
    for (const lease of this.leases.values()) clearTimeout(lease.timer);
    this.leases.clear();
  }

  private drop(key: string): void {
    const lease = this.leases.get(key);
    if (!lease) return;
    clearTimeout(lease.timer);
    this.leases.delete(key);
    this.changed();
  }

  private changed(): void {
    this.options.onChange(this.snapshot());
  }
}
