import { ROOM_EVENTS, wireError, type AuditEntry, type HostLoadMessage, type JoinAddress, type YouMessage } from '../../protocol/index.ts';
import type { ConnectionsEnd, SessionStore } from '../sessions/session-store.ts';
import { PresenceTracker } from '../sessions/presence.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { AuditQuery } from '../persistence/audit-log.ts';
import { LoadBroadcaster } from '../load/load-broadcaster.ts';
import { CommandRate } from '../load/command-rate.ts';
import type { LoadSnapshot } from '../load/load-message.ts';
import type { PipelineStats } from '../commands/command-pipeline.ts';
import { registerHostPowers, type HostRoom } from './host-powers.ts';
import { sessionRoom, type RoomNamespace, type RoomSocket } from '../http/room-namespace.ts';
import { PromotionTickets } from '../sessions/promotion-tickets.ts';
import { NewestWins, ROOM_SOCKETS_PER_SESSION } from '../security/connection-caps.ts';

/** What the load broadcast reads of the command pipeline (CommandPipeline implements it). */
export interface PipelinePort {
  stats(): PipelineStats;
  onStats(listener: () => void): () => void;
  /** The session's gesture leases end now. */
  sessionGone(sessionId: string): void;
}

/** What the load broadcast reads of the agent link (AgentLink implements it). */
export interface AgentStatusPort {
  readonly currentStatus: { latencyMs: number | null; agentConnected: boolean; live: { simulated: boolean } | null };
  readonly liveConnected: boolean;
}

/** File transfers moving now, by session (FilesService implements it). */
export interface TransfersPort {
  transfersBySession(): ReadonlyMap<string, { uploads: number; downloads: number }>;
}

/** A session's open connections (RoomtoneServer holds the sockets and the doc server). */
export interface SessionConnections {
  /** Close every socket and doc connection of a session. */
  end(sessionId: string): void;
  /** Close only its doc connections (they carry the role they opened with). */
  resetDocs(sessionId: string): void;
}

/** Wrong admin PINs against the room's budget (H3), for the host console (PinBudget implements it). */
export interface PinBudgetPort {
  status(): HostLoadMessage['pinGuessing'];
}

export interface SessionServicesDeps {
  namespace: RoomNamespace;
  room: HostRoom;
  sessions: SessionStore;
  audit: AuditSink & { query(query: AuditQuery): AuditEntry[] };
  pipeline: PipelinePort;
  agent: AgentStatusPort;
  transfers: TransfersPort;
  connections: SessionConnections;
  newJoinCode(): string;
  joinUrl(code: string): string;
  joinAddresses?(code: string): JoinAddress[];
  roomChanged(): void;
  pinBudget: PinBudgetPort;
  /** A track's name, for audit entries that name tracks. */
  trackName?(trackId: string): string | undefined;
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
  private readonly roomSockets = new NewestWins<RoomSocket>(ROOM_SOCKETS_PER_SESSION, (old) => {
    old.emit(ROOM_EVENTS.closing, wireError('TOO_MANY_CONNECTIONS', `your session has more than ${ROOM_SOCKETS_PER_SESSION} pages open; this, the oldest, was closed`));
    old.disconnect(true);
  });
  private readonly sweeper: NodeJS.Timeout;
  private readonly offStats: () => void;
  private readonly offEnded: () => void;

  constructor(private readonly deps: SessionServicesDeps) {
    this.presence = new PresenceTracker(deps.sessions.policy.graceMs);
    this.load = new LoadBroadcaster({
      namespace: deps.namespace,
      snapshot: () => this.snapshot(),
      whoIs: (id) => deps.sessions.get(id) ?? null,
    });
    this.presence.subscribe({ onAway: (id) => deps.pipeline.sessionGone(id), onChange: () => this.load.changed() });
    this.offStats = deps.pipeline.onStats(() => this.load.changed());
    this.offEnded = deps.sessions.onConnectionsEnd((id, why) => { this.connectionsEnd(id, why); });
    // At least three sweeps per idle window, so an open socket never lets its session idle out.
    const idle = deps.sessions.policy.idleTimeoutMs;
    this.sweeper = setInterval(() => this.sweep(), deps.sweepEveryMs ?? Math.min(30_000, Math.max(250, Math.floor(idle / 3))));
    this.sweeper.unref();
  }

  onConnection(socket: RoomSocket, sessionId: string): void {
    this.presence.connect(sessionId);
    socket.on('disconnect', () => this.roomSockets.remove(sessionId, socket));
    this.roomSockets.admit(sessionId, socket);
    socket.on(ROOM_EVENTS.command, () => this.rate.record(sessionId));
    registerHostPowers(socket, sessionId, {
      room: this.deps.room,
      sessions: this.deps.sessions,
      presence: this.presence,
      audit: this.deps.audit,
      readAudit: (query) => this.deps.audit.query(query),
      newJoinCode: () => this.deps.newJoinCode(),
      joinUrl: (code) => this.deps.joinUrl(code),
      joinAddresses: (code) => this.deps.joinAddresses?.(code) ?? [],
      roomChanged: () => { this.deps.roomChanged(); },
      broadcastRoom: (state) => this.deps.namespace.emit(ROOM_EVENTS.room, state),
      notify: (id, message: YouMessage) => this.deps.namespace.to(sessionRoom(id)).emit(ROOM_EVENTS.you, message),
      openSockets: (id) => [...(this.deps.namespace.adapter.rooms.get(sessionRoom(id)) ?? [])],
      notifySocket: (socketId, message: YouMessage) => this.deps.namespace.to(socketId).emit(ROOM_EVENTS.you, message),
      promotions: this.promotions,
      trackName: (id) => this.deps.trackName?.(id),
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
    if (why === 'role_changed') {
      this.deps.connections.resetDocs(sessionId);
      return;
    }
    if (why === 'kicked') this.deps.namespace.to(sessionRoom(sessionId)).emit(ROOM_EVENTS.kicked, wireError('KICKED', 'the host removed you from the room'));
    if (why === 'expired') this.deps.audit.record({ kind: 'session_expired', sessionId });
    this.deps.connections.end(sessionId);
    if (why === 'token_replaced') return;
    this.deps.pipeline.sessionGone(sessionId);
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
    this.offStats();
    this.offEnded();
    this.load.close();
    this.presence.close();
  }

  private snapshot(): LoadSnapshot {
    const online = this.presence.online()
      .map((id) => this.deps.sessions.get(id))
      .filter((s) => s !== undefined)
      .map((s) => ({ id: s.id, name: s.name, role: s.role }));
    const { agent } = this.deps;
    const status = agent.currentStatus;
    return {
      ...this.deps.pipeline.stats(),
      agentLatencyMs: status.latencyMs, agentConnected: status.agentConnected, liveConnected: agent.liveConnected, simulated: status.live?.simulated ?? false,
      transfersBySession: this.deps.transfers.transfersBySession(),
      online, commandsPerMinute: (id) => this.rate.perMinute(id), pinGuessing: () => this.deps.pinBudget.status(),
    };
  }
}
