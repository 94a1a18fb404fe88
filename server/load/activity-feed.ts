import { ROOM_EVENTS, type ActivityItem, type Role } from '../../protocol/index.ts';
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
 * winning, and sent in one `activity` message per flush to every member and host socket
 * but the author's own; the page shows the ones about controls its user cares about.
 */
export class ActivityFeed {
  private pending = new Map<string, ActivityRecord & { at: number }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly namespace: RoomNamespace,
    private readonly roleOf: (sessionId: string) => Role | undefined,
    private readonly flushMs = ACTIVITY_FLUSH_MS,
  ) {}

  record(entry: ActivityRecord): void {
    const index = typeof entry.args.index === 'number' ? entry.args.index : '';
    this.pending.set(`${entry.sessionId}|${entry.action}|${entry.target ?? ''}|${index}`, { ...entry, at: Date.now() });
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  flush(): void {
    this.timer = null;
    if (this.pending.size === 0) return;
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const socket of this.namespace.sockets.values()) {
      const id = socket.data.sessionId;
      const role = this.roleOf(id);
      if (!role || role === 'observer') continue;
      const items: ActivityItem[] = entries.filter((e) => e.sessionId !== id)
        .map((e) => ({ name: e.name, action: e.action, target: e.target, args: e.args, at: e.at }));
      if (items.length) socket.emit(ROOM_EVENTS.activity, { items });
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
