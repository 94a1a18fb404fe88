import { ROOM_EVENTS, type Role } from '../../protocol/index.ts';
import type { RoomNamespace } from '../http/room-namespace.ts';
import { anonymizedLoad, identifiedLoad, type LoadSnapshot } from './load-message.ts';

export interface LoadBroadcasterOptions {
  namespace: RoomNamespace;
  snapshot(): LoadSnapshot;
  /** The receiving socket's session and role; null when the session ended. */
  whoIs(sessionId: string): { role: Role } | null;
  intervalMs?: number;
  /** Changes are sent at most this often (250 ms); a burst of commands is one message. */
  minGapMs?: number;
}

/**
 * Sends `load` to every socket about once a second and soon after a change, and
 * `host:load` to hosts. Each member's message is computed for that member (others,
 * not itself) and is sent on change only if it differs from what it last got.
 */
export class LoadBroadcaster {
  private readonly timer: NodeJS.Timeout;
  private pending: NodeJS.Timeout | null = null;
  private lastSentAt = 0;
  private readonly last = new WeakMap<object, string>();

  constructor(private readonly o: LoadBroadcasterOptions) {
    this.timer = setInterval(() => this.send(true), o.intervalMs ?? 1000);
    this.timer.unref();
  }

  /** Something changed (presence, a command accepted or answered, agent status). */
  changed(): void {
    if (this.pending) return;
    // Four a second is as fast as people read a load line; ten cost 1 % of the server's
    // CPU with 50 busy sockets (issue 17's profile).
    const wait = Math.max(0, (this.o.minGapMs ?? 250) - (Date.now() - this.lastSentAt));
    this.pending = setTimeout(() => { this.pending = null; this.send(false); }, wait);
    this.pending.unref();
  }

  /** Sends now to every socket, or only to those whose message changed. */
  send(always: boolean): void {
    this.lastSentAt = Date.now();
    const snapshot = this.o.snapshot();
    for (const socket of this.o.namespace.sockets.values()) {
      const { sessionId } = socket.data;
      const who = this.o.whoIs(sessionId);
      if (!who) continue;
      const message = anonymizedLoad(snapshot, sessionId);
      const text = JSON.stringify(message);
      if (always || this.last.get(socket) !== text) {
        this.last.set(socket, text);
        socket.emit(ROOM_EVENTS.load, message);
        if (who.role === 'host') socket.emit(ROOM_EVENTS.hostLoad, identifiedLoad(snapshot, sessionId));
      }
    }
  }

  close(): void {
    clearInterval(this.timer);
    if (this.pending) clearTimeout(this.pending);
  }
}
