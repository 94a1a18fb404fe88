import { wireError, type WireError } from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';

/** Where a command came from: the socket's session (checked at its handshake) and address. */
export interface CommandOrigin {
  sessionId: string;
  ip: string;
}

/** The part of the session store the per-command check needs. */
export interface SessionLookup {
  get(id: string): Session | undefined;
  expiresAt(session: Session): number;
  /** True when `now` is an address this session may use (exact, or widened by policy). */
  sameAddress(session: Session, ip: string): boolean;
}

/**
 * The second step: the socket's handshake proved the session once; every command looks it
 * up again, because a session can be kicked, expire or be left while its socket is open.
 */
export function checkSession(lookup: SessionLookup, origin: CommandOrigin, now = Date.now()): Session | WireError {
  const session = lookup.get(origin.sessionId);
  if (!session) return wireError('UNAUTHENTICATED', 'your session ended: join again');
  if (now >= lookup.expiresAt(session)) return wireError('UNAUTHENTICATED', 'your session expired: join again');
  if (!lookup.sameAddress(session, origin.ip)) return wireError('UNAUTHENTICATED', 'session used from another address');
  return session;
}
