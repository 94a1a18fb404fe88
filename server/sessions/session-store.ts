import type { JoinRequest, WireError } from '../../protocol/index.ts';
import { wireError } from '../../protocol/index.ts';
import type { Session } from './session.ts';
import { hashToken, newId, newToken } from './tokens.ts';

export interface SessionPolicy {
  idleTimeoutMs: number;
  absoluteLifetimeMs: number;
}

export const DEFAULT_POLICY: SessionPolicy = { idleTimeoutMs: 30 * 60_000, absoluteLifetimeMs: 12 * 3600_000 };

/** Sessions by token hash; the bearer token only ever lives in the browser's cookie. */
export class SessionStore {
  private readonly byHash = new Map<string, Session>();
  private readonly byId = new Map<string, Session>();

  constructor(private readonly policy: SessionPolicy = DEFAULT_POLICY, private readonly now: () => number = Date.now) {}

  create(request: JoinRequest, ip: string, room: string): { session: Session; token: string } {
    const token = newToken();
    const at = this.now();
    const session: Session = {
      id: newId('s'),
      tokenHash: hashToken(token),
      name: request.name,
      role: request.role,
      layout: request.layout ?? (request.role === 'host' ? 'console' : 'band'),
      room,
      ip,
      createdAt: at,
      lastActiveAt: at,
      canControl: true,
      assignedTracks: [],
    };
    this.byHash.set(session.tokenHash, session);
    this.byId.set(session.id, session);
    return { session, token };
  }

  /** Resolves a bearer token presented from `ip`; refuses expired and foreign-IP use. */
  authenticate(token: string | undefined, ip: string): Session | WireError {
    if (!token) return wireError('UNAUTHENTICATED', 'no session: join first');
    const session = this.byHash.get(hashToken(token));
    if (!session) return wireError('UNAUTHENTICATED', 'unknown or ended session');
    const at = this.now();
    if (at - session.createdAt > this.policy.absoluteLifetimeMs || at - session.lastActiveAt > this.policy.idleTimeoutMs) {
      this.remove(session.id);
      return wireError('UNAUTHENTICATED', 'session expired: join again');
    }
    if (session.ip !== ip) return wireError('UNAUTHENTICATED', 'session used from another address');
    return session;
  }

  touch(session: Session): void {
    session.lastActiveAt = this.now();
  }

  get(id: string): Session | undefined {
    return this.byId.get(id);
  }

  all(): Session[] {
    return [...this.byId.values()];
  }

  remove(id: string): void {
    const session = this.byId.get(id);
    if (!session) return;
    this.byId.delete(id);
    this.byHash.delete(session.tokenHash);
  }

  expiresAt(session: Session): number {
    return Math.min(session.createdAt + this.policy.absoluteLifetimeMs, session.lastActiveAt + this.policy.idleTimeoutMs);
  }
}
