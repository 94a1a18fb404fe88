import type { Presence as PresenceState } from '../../protocol/index.ts';

export interface PresenceHooks {
  /** The last socket of a session closed: release its gesture leases now. */
  onAway?(sessionId: string): void;
  /** Any presence change; the load broadcaster sends on change. */
  onChange?(): void;
}

/**
 * Who is here. A session is online while one of its sockets is open; when the last
 * one closes it is away for the grace period (a Wi-Fi hiccup or a page reload does
 * not make a student vanish from the room), then offline. Its token stays valid until
 * the idle timeout either way; presence only decides what the room shows.
 */
export class PresenceTracker {
  private readonly sockets = new Map<string, number>();
  private readonly away = new Map<string, NodeJS.Timeout>();
  private readonly listeners: PresenceHooks[] = [];

  constructor(private readonly graceMs: number) {}

  subscribe(hooks: PresenceHooks): () => void {
    this.listeners.push(hooks);
    return () => { this.listeners.splice(this.listeners.indexOf(hooks), 1); };
  }

  connect(sessionId: string): void {
    this.sockets.set(sessionId, (this.sockets.get(sessionId) ?? 0) + 1);
    const timer = this.away.get(sessionId);
    if (timer) { clearTimeout(timer); this.away.delete(sessionId); }
    this.emitChange();
  }

  disconnect(sessionId: string): void {
    const left = (this.sockets.get(sessionId) ?? 1) - 1;
    if (left > 0) { this.sockets.set(sessionId, left); return; }
    this.sockets.delete(sessionId);
    for (const l of this.listeners) l.onAway?.(sessionId);
    const timer = setTimeout(() => { this.away.delete(sessionId); this.emitChange(); }, this.graceMs);
    timer.unref();
    this.away.set(sessionId, timer);
    this.emitChange();
  }

  /** Forget a session that ended (leave, kick, expiry). */
  forget(sessionId: string): void {
    this.sockets.delete(sessionId);
    const timer = this.away.get(sessionId);
    if (timer) clearTimeout(timer);
    this.away.delete(sessionId);
    this.emitChange();
  }

  state(sessionId: string): PresenceState {
    if (this.sockets.has(sessionId)) return 'online';
    return this.away.has(sessionId) ? 'away' : 'offline';
  }

  /** Sessions with an open socket right now. */
  online(): string[] {
    return [...this.sockets.keys()];
  }

  close(): void {
    for (const timer of this.away.values()) clearTimeout(timer);
    this.away.clear();
  }

  private emitChange(): void {
    for (const l of this.listeners) l.onChange?.();
  }
}
