import type { Namespace, Socket } from 'socket.io';
import {
  ObserveRequestSchema, PROTOCOL_VERSION, ROOM_EVENTS, RoomAuthSchema, errorAnswer, protocolMismatch, wireError,
  type Answer, type RoomReceived, type RoomServerEvents, type RoomSocketData,
} from '../../protocol/index.ts';
import type { DeviceInterest } from '../mirror/device-interest.ts';
import { acknowledgement } from '../util/acknowledge.ts';
import type { Session } from '../sessions/session.ts';
import { viewOf } from '../sessions/session.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { RequestAuth } from './request-auth.ts';
import type { CommandPipeline } from '../commands/command-pipeline.ts';
import type { Room } from '../room/room.ts';
import { normaliseIp } from '../util/remote-ip.ts';
import { HandshakeRefusal } from '../util/handshake-refusal.ts';

/** `/room` with socket.io's typed event maps from protocol/room-socket.ts. */
export type RoomNamespace = Namespace<RoomReceived, RoomServerEvents, Record<string, never>, RoomSocketData>;
export type RoomSocket = Socket<RoomReceived, RoomServerEvents, Record<string, never>, RoomSocketData>;

export interface RoomNamespaceDeps {
  room: Room;
  sessions: SessionStore;
  auth: RequestAuth;
  pipeline: CommandPipeline;
  /** Presence, host powers and the first load message hook in here. */
  onConnection?(socket: RoomSocket, sessionId: string): void;
  /** The device panels each socket shows (ROOM_EVENTS.observe). */
  interest?: DeviceInterest;
  onDisconnect?(sessionId: string): void;
  /** The session's tag in `activity` items, told to its own pages in `welcome`. */
  actorOf?(sessionId: string): string;
}

export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * Browsers' socket.io namespace. The handshake checks the page's protocol version
 * first (a page kept by the PWA cache across an update is refused PROTOCOL_MISMATCH,
 * saying which side is older, before it can send a half-understood command), then runs
 * the same session check as HTTP; each `command` is answered exactly once through its
 * acknowledgement.
 */
export function setupRoomNamespace(namespace: RoomNamespace, deps: RoomNamespaceDeps): void {
  namespace.use((socket, next) => {
    const stated = RoomAuthSchema.safeParse(socket.handshake.auth);
    const mismatch = protocolMismatch('page', stated.success ? stated.data.protocol : undefined);
    if (mismatch) {
      next(new HandshakeRefusal(mismatch));
      return;
    }
    const result = deps.auth.authenticate(socket.request, 'socket.io /room');
    if ('code' in result) {
      next(new HandshakeRefusal(result));
      return;
    }
    socket.data.sessionId = result.id;
    next();
  });

  namespace.on('connection', (socket) => {
    const { sessionId } = socket.data;
    void socket.join(sessionRoom(sessionId));
    const current = (): Session | undefined => deps.sessions.get(sessionId);
    const session = current();
    if (!session) {
      socket.disconnect(true);
      return;
    }
    socket.emit(ROOM_EVENTS.welcome, {
      session: viewOf(session, deps.sessions.expiresAt(session)),
      room: { locked: deps.room.locked, frozen: deps.room.frozen },
      protocol: PROTOCOL_VERSION,
      // The current meta.instance of the set doc: new at each server start (M5) and each
      // compaction (M8), so it is read now, not kept from the start.
      instance: deps.room.mirror.instance,
      ...(deps.actorOf ? { actor: deps.actorOf(sessionId) } : {}),
    });

    socket.emit(ROOM_EVENTS.leases, deps.pipeline.leases.snapshot());
    deps.onConnection?.(socket, sessionId);
    const ip = normaliseIp(socket.request.socket.remoteAddress);

    socket.on(ROOM_EVENTS.command, (raw, ack) => {
      const live = current();
      if (live) deps.sessions.touch(live);
      const answer = new OneAnswer(socket, raw, ack);
      try {
        deps.pipeline.submit(raw, { sessionId, ip }, (a) => { answer.send(a); });
      } catch (err) {
        answer.send(errorAnswer(wireError('INTERNAL', `command failed inside the server: ${err instanceof Error ? err.message : String(err)}`)));
      }
    });

    // Which device panels this socket shows: their parameters are mirrored while shown.
    // Any role may ask (observers see the panels too); the list replaces the last one.
    socket.on(ROOM_EVENTS.observe, (raw, ack) => {
      const parsed = ObserveRequestSchema.safeParse(raw);
      if (parsed.success) deps.interest?.set(socket.id, parsed.data.devices);
      acknowledgement(ack)?.(parsed.success
        ? { ok: true, value: { devices: parsed.data.devices.length } }
        : { ok: false, error: wireError('INVALID', 'observe takes { devices: [up to 32 device ids] }') });
    });

    socket.on('disconnect', () => {
      deps.interest?.remove(socket.id);
      deps.onDisconnect?.(sessionId);
      // Leases end at once when the session's last socket closes (G2).
      if ((namespace.adapter.rooms.get(sessionRoom(sessionId))?.size ?? 0) === 0) deps.pipeline.sessionGone(sessionId);
    });
  });
}

/**
 * A command's one answer to its socket: through the acknowledgement, or as an `answer`
 * event when the client sent none. A second answer (a bug) is dropped, never sent.
 * An object rather than a closure per command: the server runs under tsx, whose named
 * closures cost a defineProperty each, ~2 % of the server's CPU at 5,000 commands/s.
 */
class OneAnswer {
  private sent = false;

  constructor(private readonly socket: RoomSocket, private readonly raw: unknown, private readonly ack: unknown) {}

  send(answer: Answer): void {
    if (this.sent) return;
    this.sent = true;
    // The acknowledgement arrives unknown (a client may send anything in its place).
    if (typeof this.ack === 'function') Reflect.apply(this.ack, undefined, [answer]);
    else this.socket.emit(ROOM_EVENTS.answer, { id: idOf(this.raw), ...answer });
    // The pipeline looks the session up per command; one that ended loses its socket.
    if (!answer.ok && (answer.error.code === 'UNAUTHENTICATED' || answer.error.code === 'KICKED')) this.socket.disconnect(true);
  }
}

function idOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id.slice(0, 64) : null;
}
