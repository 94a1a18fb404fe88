import { createHmac, randomBytes } from 'node:crypto';
import { ROOM_EVENTS, type ActivityItem, type Role } from '../../protocol/index.ts';
import { boundedMemo } from '../util/bounded-memo.ts';
import type { RoomNamespace } from '../http/room-namespace.ts';

export interface ActivityRecord {
  sessionId: string;
  name: string;
  action: string;
  target: string | null;
  args: Record<string, unknown>;
}

/** How often the room hears who changed what: coalesced so a drag is one line, not sixty. */
export const ACTIVITY_FLUSH_MS = 400;

/**
 * "Sam muted Bass": who did what, for the people in the room who play (observers do not
 * get names). Each accepted change is kept per person and control, the latest value
 * winning, and sent in one `activity` message per flush to every member and host socket.
 * The message is the same for all of them, so socket.io encodes it once: a copy per
 * socket without the receiver's own items cost 6 % of the server's CPU with 50 people
 * busy (issue 17's profile). Each item names its author by an opaque tag instead, and
 * the author's page, told its tag in `welcome`, leaves its own items out.
 */
export class ActivityFeed {
  private pending = new Map<string, ActivityItem>();
  private timer: NodeJS.Timeout | null = null;
  /** New at each start: tags say "the same person" within a run and nothing else. */
  private readonly salt = randomBytes(16);
  /** The session's tag in `activity` items: members never see another session's id (the host's powers take ids). */
  readonly actorOf = boundedMemo(10_000, (sessionId) => createHmac('sha256', this.salt).update(sessionId).digest('base64url').slice(0, 12));

  constructor(
    private readonly namespace: RoomNamespace,
    private readonly roleOf: (sessionId: string) => Role | undefined,
    private readonly flushMs = ACTIVITY_FLUSH_MS,
  ) {}

  record(entry: ActivityRecord): void {
    const index = typeof entry.args.index === 'number' ? entry.args.index : '';
    this.pending.set(`${entry.sessionId}|${entry.action}|${entry.target ?? ''}|${index}`, {
      name: entry.name, action: entry.action, target: entry.target, args: entry.args, at: Date.now(), actor: this.actorOf(entry.sessionId),
    });
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): void {
    this.timer = null;
    if (this.pending.size === 0) return;
    const items = [...this.pending.values()];
    this.pending.clear();
    // Socket ids are socket.io rooms: leaving out observers and ended sessions by id.
    const left: string[] = [];
    let reached = 0;
    for (const socket of this.namespace.sockets.values()) {
      const role = this.roleOf(socket.data.sessionId);
      if (!role || role === 'observer') left.push(socket.id);
      else reached++;
    }
    if (reached > 0) this.namespace.except(left).emit(ROOM_EVENTS.activity, { items });
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
