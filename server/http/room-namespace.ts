import type { Namespace, Socket } from 'socket.io';
import type { IncomingMessage } from 'node:http';
import { PROTOCOL_VERSION, ROOM_EVENTS, errorAnswer, wireError, type Answer, type WireError } from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';
import { viewOf } from '../sessions/session.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { RequestAuth } from './request-auth.ts';
import type { CommandPipeline } from '../commands/command-pipeline.ts';
import type { Room } from '../room/room.ts';
import { normaliseIp } from '../util/remote-ip.ts';

export interface RoomNamespaceDeps {
  room: Room;
  sessions: SessionStore;
  auth: RequestAuth;
  pipeline: CommandPipeline;
  /** Presence, host powers and the first load message hook in here. */
  onConnection?(socket: Socket, sessionId: string): void;
  onDisconnect?(sessionId: string): void;
}

export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

/**
 * Browsers' socket.io namespace. The handshake runs the same session check as HTTP;
 * each `command` is answered exactly once through its acknowledgement.
 */
export function setupRoomNamespace(namespace: Namespace, deps: RoomNamespaceDeps): void {
  namespace.use((socket, next) => {
    const result = deps.auth.authenticate(socket.request as IncomingMessage, 'socket.io /room');
    if ('code' in result) {
      const err = new Error(result.message) as Error & { data: WireError };
      err.data = result;
      next(err);
      return;
    }
    socket.data.sessionId = result.id;
    next();
  });

  namespace.on('connection', (socket: Socket) => {
    const sessionId = socket.data.sessionId as string;
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
    });

    socket.emit(ROOM_EVENTS.leases, deps.pipeline.leases.snapshot());
    deps.onConnection?.(socket, sessionId);
    const ip = normaliseIp(socket.request.socket.remoteAddress);

    socket.on(ROOM_EVENTS.command, (raw: unknown, ack?: unknown) => {
      const live = current();
      if (live) deps.sessions.touch(live);
      const answer = new OneAnswer(socket, raw, ack);
      try {
        deps.pipeline.submit(raw, { sessionId, ip }, (a) => answer.send(a));
      } catch (err) {
        answer.send(errorAnswer(wireError('INTERNAL', `command failed inside the server: ${err instanceof Error ? err.message : String(err)}`)));
      }
    });

    socket.on('disconnect', () => {
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

  constructor(private readonly socket: Socket, private readonly raw: unknown, private readonly ack: unknown) {}

  send(answer: Answer): void {
    if (this.sent) return;
    this.sent = true;
    if (typeof this.ack === 'function') this.ack(answer);
    else this.socket.emit('answer', { id: idOf(this.raw), ...answer });
    // The pipeline looks the session up per command; one that ended loses its socket.
    if (!answer.ok && (answer.error.code === 'UNAUTHENTICATED' || answer.error.code === 'KICKED')) this.socket.disconnect(true);
  }
}

function idOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
}
