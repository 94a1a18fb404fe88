import {
  ROOM_EVENTS, roleAllows, wireError,
  type AuditEntry, type HostCall, type HostSessionRow, type JoinAddress, type RoomState, type WireError, type YouMessage,
} from '../../protocol/index.ts';
import type { RoomSocket } from '../http/room-namespace.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { PresenceTracker } from '../sessions/presence.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { AuditQuery } from '../persistence/audit-log.ts';
import { HostRefusal, onHostEvent } from './host-handler.ts';
import type { PromotionTickets } from '../sessions/promotion-tickets.ts';

export interface HostRoom {
  readonly name: string;
  locked: boolean;
  frozen: boolean;
  joinCode: string;
}

export interface HostPowersDeps {
  room: HostRoom;
  sessions: SessionStore;
  presence: PresenceTracker;
  audit: AuditSink;
  readAudit(query: AuditQuery): AuditEntry[];
  newJoinCode(): string;
  /** The link a device in the room opens for a code (LAN address, HTTPS port). */
  joinUrl(code: string): string;
  /** The same link on each of the machine's addresses, for the console to list. */
  joinAddresses?(code: string): JoinAddress[];
  /** Room switches or join code changed: save them. */
  roomChanged(): void;
  broadcastRoom(state: RoomState): void;
  notify(sessionId: string, message: YouMessage): void;
  /** The ids of a session's open /room sockets, and a message to one of them. */
  openSockets(sessionId: string): string[];
  notifySocket(socketId: string, message: YouMessage): void;
  promotions: PromotionTickets;
  /** A track's name for the audit log (assignments), when the set has it. */
  trackName?(trackId: string): string | undefined;
}

export function hostRow(session: Session, deps: Pick<HostPowersDeps, 'presence'>): HostSessionRow {
  const presence = deps.presence.state(session.id);
  return {
    id: session.id, name: session.name, role: session.role, layout: session.layout, ip: session.ip,
    ...(session.pendingRole ? { pendingRole: session.pendingRole } : {}),
    connected: presence === 'online', presence,
    lastActiveAt: session.lastActiveAt, canControl: session.canControl,
    assignedTracks: [...session.assignedTracks], createdAt: session.createdAt,
  };
}

/**
 * The teacher's console: lock, freeze, control, track assignment, kick, join code,
 * sessions, audit log and roles, each a `host:*` event on the host's own socket.
 * Every power used is audited under the host's name.
 */
export function registerHostPowers(socket: RoomSocket, sessionId: string, deps: HostPowersDeps): void {
  const ctx = {
    current: () => deps.sessions.get(sessionId),
    onRefused: (session: Session | undefined, event: HostCall, error: WireError) => {
      deps.audit.record({ kind: 'host_refused', sessionId, name: session?.name, ip: session?.ip, action: event, ok: false, code: error.code, detail: error.message });
    },
  };
  const audit = (host: Session, action: string, detail: string, target?: string, targetName?: string): void => {
    deps.audit.record({ kind: 'host', sessionId: host.id, name: host.name, ip: host.ip, action, target: target ?? null, ...(targetName ? { targetName } : {}), ok: true, detail });
  };
  const trackNames = (ids: readonly string[]): string => ids.map((id) => deps.trackName?.(id) ?? id).join(', ');
  const other = (host: Session, id: string, what: string): Session => {
    const session = deps.sessions.get(id);
    if (!session) throw new HostRefusal(wireError('NOT_FOUND', `no session ${id}`));
    if (session.id === host.id) throw new HostRefusal(wireError('FORBIDDEN', `you cannot ${what} your own session`));
    return session;
  };
  const roomState = (): RoomState => ({ locked: deps.room.locked, frozen: deps.room.frozen });

  onHostEvent(socket, ROOM_EVENTS.hostLock, ctx, (host, { locked }) => {
    deps.room.locked = locked;
    deps.roomChanged();
    deps.broadcastRoom(roomState());
    audit(host, ROOM_EVENTS.hostLock, locked ? 'locked' : 'unlocked');
    return roomState();
  });

  onHostEvent(socket, ROOM_EVENTS.hostFreeze, ctx, (host, { frozen }) => {
    deps.room.frozen = frozen;
    deps.roomChanged();
    deps.broadcastRoom(roomState());
    audit(host, ROOM_EVENTS.hostFreeze, frozen ? 'frozen' : 'thawed');
    return roomState();
  });

  onHostEvent(socket, ROOM_EVENTS.hostSetControl, ctx, (host, { sessionId: id, allowed }) => {
    const session = deps.sessions.update(other(host, id, 'change control of').id, { canControl: allowed })!;
    deps.notify(id, { canControl: allowed });
    audit(host, ROOM_EVENTS.hostSetControl, allowed ? `gave ${session.name} control back` : `took control away from ${session.name}`, id, session.name);
    return hostRow(session, deps);
  });

  onHostEvent(socket, ROOM_EVENTS.hostAssignTracks, ctx, (host, { sessionId: id, trackIds }) => {
    const target = deps.sessions.get(id);
    if (!target) throw new HostRefusal(wireError('NOT_FOUND', `no session ${id}`));
    const session = deps.sessions.update(id, { assignedTracks: [...new Set(trackIds)] })!;
    deps.notify(id, { assignedTracks: [...session.assignedTracks] });
    audit(host, ROOM_EVENTS.hostAssignTracks, session.assignedTracks.length ? `assigned ${trackNames(session.assignedTracks)} to ${session.name}` : `${session.name} may use every track`, id, session.name);
    return hostRow(session, deps);
  });

  // A kick removes the person, not only the tab: their other sessions (same address and
  // name: earlier tabs, a reload) end too, and joining again from that address is refused
  // until the host lets them back or rotates the code.
  onHostEvent(socket, ROOM_EVENTS.hostKick, ctx, (host, { sessionId: id }) => {
    const session = other(host, id, 'kick');
    const removed = deps.sessions.removePerson(session);
    const ended = deps.sessions.all().filter((s) => s.id === session.id || (s.ip === session.ip && s.name === session.name && s.id !== host.id));
    // Each one's sockets hear why and every connection closes, through the sessions' one path (H5).
    for (const s of ended) deps.sessions.kick(s.id);
    audit(host, ROOM_EVENTS.hostKick, `removed ${session.name} (${session.ip})${ended.length > 1 ? `, ${ended.length} sessions` : ''}`, id, session.name);
    return { sessionId: id, removedId: removed.id, sessions: ended.map((s) => s.id) };
  });

  onHostEvent(socket, ROOM_EVENTS.hostRemoved, ctx, () =>
    deps.sessions.removedPeople().map((r) => ({ id: r.id, name: r.name, ip: r.ip, at: r.at })));

  onHostEvent(socket, ROOM_EVENTS.hostLetBack, ctx, (host, { removedId }) => {
    const person = deps.sessions.letBack(removedId);
    if (!person) throw new HostRefusal(wireError('NOT_FOUND', `no removed person ${removedId}`));
    audit(host, ROOM_EVENTS.hostLetBack, `let ${person.name} (${person.ip}) back in`, person.sessionId, person.name);
    return { id: person.id };
  });

  onHostEvent(socket, ROOM_EVENTS.hostRotateCode, ctx, (host) => {
    deps.room.joinCode = deps.newJoinCode();
    deps.roomChanged();
    const lifted = deps.sessions.forgetRemovals();
    // The code itself stays out of the audit log, which members' hosts may export.
    audit(host, ROOM_EVENTS.hostRotateCode, lifted ? `join code rotated; ${lifted} removed ${lifted === 1 ? 'person' : 'people'} may join with the new code` : 'join code rotated');
    return { code: deps.room.joinCode, joinUrl: deps.joinUrl(deps.room.joinCode) };
  });

  onHostEvent(socket, ROOM_EVENTS.hostJoinInfo, ctx, () => ({ code: deps.room.joinCode, joinUrl: deps.joinUrl(deps.room.joinCode), addresses: deps.joinAddresses?.(deps.room.joinCode) ?? [] }));

  onHostEvent(socket, ROOM_EVENTS.hostSessions, ctx, () =>
    deps.sessions.all().map((s) => hostRow(s, deps)).sort((a, b) => a.createdAt - b.createdAt));

  onHostEvent(socket, ROOM_EVENTS.hostAudit, ctx, (_host, query) => deps.readAudit(query));

  onHostEvent(socket, ROOM_EVENTS.hostSetRole, ctx, (host, { sessionId: id, role }) => {
    const before = other(host, id, 'change the role of');
    const from = before.role;
    // A promotion goes to the connections that are there now, each with its own ticket (H15).
    const promoting = !roleAllows(from, role);
    const sockets = promoting ? deps.openSockets(id) : [];
    if (promoting && sockets.length === 0) throw new HostRefusal(wireError('NOT_CONNECTED', `${before.name} has no page open; promote them while they are connected`));
    const session = deps.sessions.setRole(id, role)!;
    if (promoting) {
      for (const { socketId, ticket } of deps.promotions.issue(id, sockets)) deps.notifySocket(socketId, { role: session.role, refreshRequired: true, promotionTicket: ticket });
    } else {
      deps.promotions.forget(id);
      deps.notify(id, { role: session.role, refreshRequired: true });
    }
    audit(host, ROOM_EVENTS.hostSetRole, `${session.name}: ${from} → ${role}${session.pendingRole ? ' (after their page refreshes its session)' : ''}`, id, session.name);
    return hostRow(session, deps);
  });
}
