import {
  hostCallSchemas, wireError, type HostAck, type HostCall, type HostParsedPayload, type HostValue, type WireError,
} from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';
import type { RoomSocket } from '../http/room-namespace.ts';
import { acknowledgement } from '../util/acknowledge.ts';

/** A host power refused for a reason the caller should see as a typed error. */
export class HostRefusal extends Error {
  constructor(readonly error: WireError) {
    super(error.message);
  }
}

export interface HostHandlerContext {
  /** The session behind this socket, read fresh: a demotion takes effect at once. */
  current(): Session | undefined;
  onRefused(session: Session | undefined, event: HostCall, error: WireError): void;
}

/**
 * Registers one `host:*` event: its payload parsed with its schema in protocol/
 * (HOST_CALLS), the host role re-checked on every call, one acknowledgement
 * `{ ok: true, value } | { ok: false, error }`.
 */
export function onHostEvent<E extends HostCall>(
  socket: RoomSocket, event: E, ctx: HostHandlerContext,
  run: (host: Session, payload: HostParsedPayload<E>) => HostValue<E> | Promise<HostValue<E>>,
): void {
  const schema = hostCallSchemas(event).payload;
  const on = (name: HostCall, listener: (raw: unknown, ack?: unknown) => void): void => { socket.on(name, listener); };
  on(event, (raw, ack) => {
    const reply: (answer: HostAck<HostValue<E>>) => void = acknowledgement(ack) ?? (() => undefined);
    const host = ctx.current();
    const refuse = (error: WireError): void => {
      ctx.onRefused(host, event, error);
      reply({ ok: false, error });
    };
    if (!host) return refuse(wireError('UNAUTHENTICATED', 'your session ended'));
    if (host.role !== 'host') return refuse(wireError('FORBIDDEN', `${event} is for the host; you are ${host.role}`));
    const parsed = schema.safeParse(raw ?? {});
    if (!parsed.success) return refuse(wireError('INVALID', `${event}: ${parsed.error.issues[0]?.message ?? 'bad payload'}`));
    const fail = (err: unknown): void => {
      if (err instanceof HostRefusal) { refuse(err.error); return; }
      refuse(wireError('INTERNAL', `${event} failed inside the server`));
    };
    try {
      // A power that reads the disk or asks Live answers when that is done, still exactly once.
      Promise.resolve(run(host, parsed.data)).then((value) => { reply({ ok: true, value }); }, fail);
    } catch (err) {
      fail(err);
    }
  });
}
