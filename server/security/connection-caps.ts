import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { wireError, type WireError } from '../../protocol/index.ts';
import { JoinThrottle } from './join-throttle.ts';
import { normaliseIp } from '../util/remote-ip.ts';
import type { AuditSink } from '../audit/audit-sink.ts';

/**
 * A session's connections of one kind, newest first in line: past the cap the oldest is
 * closed, told why (H14). One cookie held 200 room sockets and 200 notes connections;
 * now it holds the cap. A tablet that reconnects often, leaving half-open sockets behind
 * until their pings time out, is never the one refused: its newest connection always
 * gets in, and what goes is a socket it no longer uses.
 */
export class NewestWins<T> {
  readonly #byKey = new Map<string, Set<T>>();

  constructor(private readonly limit: number, private readonly evict: (old: T) => void) {}

  admit(key: string, item: T): void {
    const set = this.#byKey.get(key) ?? new Set<T>();
    this.#byKey.set(key, set);
    set.add(item);
    while (set.size > this.limit) {
      const oldest = set.values().next().value!;
      set.delete(oldest);
      this.evict(oldest);
    }
  }

  remove(key: string, item: T): void {
    const set = this.#byKey.get(key);
    if (!set) return;
    set.delete(item);
    if (set.size === 0) this.#byKey.delete(key);
  }

  count(key: string): number {
    return this.#byKey.get(key)?.size ?? 0;
  }
}

/**
 * WebSocket connections per source address (an IPv6 /64 counts as one), authenticated or
 * not, on every path of the HTTPS port. Past the cap an upgrade gets a typed 429. The
 * cap is sized for a class behind one school address: 40 pupils with two tabs each hold
 * about 240 (a /room socket and two docs per tab); the default is 400.
 */
export class AddressConnectionCap {
  readonly #open = new Map<string, number>();

  constructor(private readonly limit: number, private readonly audit: AuditSink) {}

  /** Counts the upgrade's socket until it closes, or returns the refusal (audited). */
  admit(req: IncomingMessage, socket: Duplex): WireError | null {
    const ip = normaliseIp(req.socket.remoteAddress);
    const key = JoinThrottle.keyOf(ip);
    const open = this.#open.get(key) ?? 0;
    if (open >= this.limit) {
      const refused = wireError('TOO_MANY_CONNECTIONS', `this network address already has ${open} connections open to Roomtone, the most it may; close some tabs, or ask whoever runs the studio to raise --max-connections-per-address`, { retryAfterMs: 5_000 });
      this.audit.record({ kind: 'connection_refused', ip, code: refused.code, ok: false, detail: refused.message });
      return refused;
    }
    this.#open.set(key, open + 1);
    socket.once('close', () => {
      const left = (this.#open.get(key) ?? 1) - 1;
      if (left <= 0) this.#open.delete(key);
      else this.#open.set(key, left);
    });
    return null;
  }

  count(address: string): number {
    return this.#open.get(JoinThrottle.keyOf(address)) ?? 0;
  }
}

/** Room sockets a session may hold at once: tabs on a laptop, a tablet's reconnects. */
export const ROOM_SOCKETS_PER_SESSION = 8;
/** Doc connections (`set`, `notes`) a session may hold at once: two per tab. */
export const DOC_CONNECTIONS_PER_SESSION = 16;
/** Connections one network address may hold open (H14): a classroom behind one NAT fits. */
export const DEFAULT_CONNECTIONS_PER_ADDRESS = 400;
