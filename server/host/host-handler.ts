import type { Socket } from 'socket.io';
import type { z } from 'zod';
import { wireError, type HostAck, type WireError } from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';

/** A host power refused for a reason the caller should see as a typed error. */
export class HostRefusal extends Error {
  constructor(readonly error: WireError) {
    super(error.message);
  }
}

export interface HostHandlerContext {
  /** The session behind this socket, read fresh: a demotion takes effect at once. */
  current(): Session | undefined;
  onRefused(session: Session | undefined, event: string, error: WireError): void;
}

/**
 * Registers one `host:*` event: schema-checked payload, host role re-checked on every
 * call, one acknowledgement `{ ok: true, value } | { ok: false, error }`.
 */
export function onHostEvent<S extends z.ZodType, T>(
  socket: Socket, event: string, schema: S, ctx: HostHandlerContext,
  run: (host: Session, payload: z.infer<S>) => T | Promise<T>,
): void {
  socket.on(event, (raw: unknown, ack?: unknown) => {
    const reply = (answer: HostAck<T>): void => { if (typeof ack === 'function') ack(answer); };
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
      if (err instanceof HostRefusal) return refuse(err.error);
      refuse(wireError('INTERNAL', `${event} failed inside the server`));
    };
    try {
      // A power that reads the disk or asks Live answers when that is done, still exactly once.
      Promise.resolve(run(host, parsed.data)).then((value) => reply({ ok: true, value }), fail);
    } catch (err) {
      fail(err);
    }
  });
}
