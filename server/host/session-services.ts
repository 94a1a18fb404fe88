import type { Namespace, Socket } from 'socket.io';
import { ROOM_EVENTS, wireError, type AuditEntry, type HostLoadMessage, type JoinAddress, type YouMessage } from '../../protocol/index.ts';
import type { ConnectionsEnd, SessionStore } from '../sessions/session-store.ts';
import { PresenceTracker } from '../sessions/presence.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { AuditQuery } from '../persistence/audit-log.ts';
import { LoadBroadcaster } from '../load/load-broadcaster.ts';
import { CommandRate } from '../load/command-rate.ts';
import type { LoadSnapshot } from '../load/load-message.ts';
import { registerHostPowers, type HostRoom } from './host-powers.ts';
import { PromotionTickets } from '../sessions/promotion-tickets.ts';
import { NewestWins, ROOM_SOCKETS_PER_SESSION } from '../security/connection-caps.ts';

export interface SessionServicesDeps {
  namespace: Namespace;
  room: HostRoom;
  sessions: SessionStore;
  audit: AuditSink;
  readAudit(query: AuditQuery): AuditEntry[];
  newJoinCode(): string;
  joinUrl(code: string): string;
  joinAddresses?(code: string): JoinAddress[];
  roomChanged(): void;
  /** Numbers from the command pipeline and the agent link. */
  stats(): Pick<LoadSnapshot, 'inFlightBySession' | 'inFlightTotal' | 'queueDepth' | 'agentLatencyMs' | 'agentConnected' | 'liveConnected' | 'simulated' | 'transfersBySession'>;
  /** Close every socket and doc connection of a session. */
  endConnections(sessionId: string): void;
  /** Close only its doc connections (they carry the role they opened with). */
  resetDocs(sessionId: string): void;
  /** Its gesture leases end now. */
  releaseLeases(sessionId: string): void;
  /** A track's name, for audit entries that name tracks. */
  trackName?(trackId: string): string | undefined;
  /** Wrong admin PINs against the room's budget (H3), for the host console. */
  pinGuessing(): HostLoadMessage['pinGuessing'];
  sweepEveryMs?: number;
}

/**
 * What a session is beyond its token: presence with a grace period, the periodic
 * sweep (heartbeat for open sockets, expiry for the rest), the load broadcast and
 * the host's powers. The server calls onConnection / onDisconnect per /room socket.
 */
export class SessionServices {
  readonly presence: PresenceTracker;
  readonly load: LoadBroadcaster;
  readonly rate = new CommandRate();
  readonly promotions = new PromotionTickets();
  /** Past ROOM_SOCKETS_PER_SESSION, a session's oldest /room socket closes, told why (H14). */
  private readonly roomSockets = new NewestWins<Socket>(ROOM_SOCKETS_PER_SESSION, (old) => {
    old.emit(ROOM_EVENTS.closing, wireError('TOO_MANY_CONNECTIONS', `your session has more than ${ROOM_SOCKETS_PER_SESSION} pages open; this, the oldest, was closed`));
    old.disconnect(true);
  });
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly deps: SessionServicesDeps) {
    this.presence = new PresenceTracker(deps.sessions.policy.graceMs);
    this.load = new LoadBroadcaster({
      namespace: deps.namespace,
      snapshot: () => this.snapshot(),
      whoIs: (id) => deps.sessions.get(id) ?? null,
    });
    this.presence.subscribe({ onAway: (id) => deps.releaseLeases(id), onChange: () => this.load.changed() });
    deps.sessions.onConnectionsEnd((id, why) => this.connectionsEnd(id, why));
    // At least three sweeps per idle window, so an open socket never lets its session idle out.
    const idle = deps.sessions.policy.idleTimeoutMs;
    this.sweeper = setInterval(() => this.sweep(), deps.sweepEveryMs ?? Math.min(30_000, Math.max(250, Math.floor(idle / 3))));
    this.sweeper.unref();
  }

  onConnection(socket: Socket, sessionId: string): void {
    this.presence.connect(sessionId);
    socket.on('disconnect', () => this.roomSockets.remove(sessionId, socket));
    this.roomSockets.admit(sessionId, socket);
    socket.on(ROOM_EVENTS.command, () => this.rate.record(sessionId));
    registerHostPowers(socket, sessionId, {
      room: this.deps.room,
      sessions: this.deps.sessions,
      presence: this.presence,
      audit: this.deps.audit,
      readAudit: this.deps.readAudit,
      newJoinCode: this.deps.newJoinCode,
      joinUrl: this.deps.joinUrl,
      joinAddresses: this.deps.joinAddresses,
      roomChanged: this.deps.roomChanged,
      broadcastRoom: (state) => this.deps.namespace.emit(ROOM_EVENTS.room, state),
      notify: (id, message: YouMessage) => this.deps.namespace.to(`session:${id}`).emit(ROOM_EVENTS.you, message),
      openSockets: (id) => [...(this.deps.namespace.adapter.rooms.get(`session:${id}`) ?? [])],
      notifySocket: (socketId, message: YouMessage) => this.deps.namespace.to(socketId).emit(ROOM_EVENTS.you, message),
      promotions: this.promotions,
      ...(this.deps.trackName ? { trackName: this.deps.trackName } : {}),
    });
    this.load.send(true);
  }

  /** True, once, for a promotion ticket this session's open socket was given (H15). */
  redeemPromotion(sessionId: string, ticket: string | undefined): boolean {
    return this.promotions.redeem(sessionId, ticket, (socketId) => this.deps.namespace.sockets.has(socketId));
  }

  onDisconnect(sessionId: string): void {
    this.presence.disconnect(sessionId);
  }

  /**
   * The one place a session's connections are closed (H5), whichever way it ended: a
   * kick tells its sockets why first; an ended session also loses its leases, presence
   * and rate; a replaced token closes the sockets so they come back with the new cookie;
   * a role change closes only the doc connections, which carry the role they opened with.
   */
  private connectionsEnd(sessionId: string, why: ConnectionsEnd): void {
    if (why === 'role_changed') return this.deps.resetDocs(sessionId);
    if (why === 'kicked') this.deps.namespace.to(`session:${sessionId}`).emit(ROOM_EVENTS.kicked, wireError('KICKED', 'the host removed you from the room'));
    if (why === 'expired') this.deps.audit.record({ kind: 'session_expired', sessionId });
    this.deps.endConnections(sessionId);
    if (why === 'token_replaced') return;
    this.deps.releaseLeases(sessionId);
    this.promotions.forget(sessionId);
    this.forget(sessionId);
  }

  private forget(sessionId: string): void {
    this.presence.forget(sessionId);
    this.rate.forget(sessionId);
  }

  /**
   * Open sockets count as activity (the heartbeat: an open tab does not idle out);
   * sessions past their idle timeout or lifetime end, and their connections close.
   */
  sweep(): void {
    for (const id of this.presence.online()) {
      const session = this.deps.sessions.get(id);
      if (session) this.deps.sessions.touch(session);
    }
    // Each expired session's connections close through connectionsEnd.
    this.deps.sessions.sweep();
  }

  close(): void {
    clearInterval(this.sweeper);
    this.load.close();
    this.presence.close();
  }

  private snapshot(): LoadSnapshot {
    const online = this.presence.online()
      .map((id) => this.deps.sessions.get(id))
      .filter((s) => s !== undefined)
      .map((s) => ({ id: s.id, name: s.name, role: s.role }));
    return { ...this.deps.stats(), online, commandsPerMinute: (id) => this.rate.perMinute(id), pinGuessing: () => this.deps.pinGuessing() };
  }
}
