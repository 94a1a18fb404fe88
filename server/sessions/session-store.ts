import { roleAllows, wireError, type JoinRequest, type Role, type WireError } from '../../protocol/index.ts';
import type { Session } from './session.ts';
import { hashToken, newId, newToken } from './tokens.ts';
import { sameBinding, type IpBinding } from '../security/ip-binding.ts';
import type { BatchedFile } from '../persistence/batched-file.ts';
import type { KickedToken, RemovedPerson, StateFile } from '../persistence/schema.ts';
import { cleanDisplayName, distinctName } from './display-name.ts';

export interface SessionPolicy {
  idleTimeoutMs: number;
  absoluteLifetimeMs: number;
  /** After the last socket closes, the session shows "away" this long, then "offline". */
  graceMs: number;
  ipBinding: IpBinding;
}

/** OWASP's figures for a low-risk app: 30 min idle, a working day in all. */
export const DEFAULT_POLICY: SessionPolicy = { idleTimeoutMs: 30 * 60_000, absoluteLifetimeMs: 12 * 3600_000, graceMs: 60_000, ipBinding: 'exact' };

/** How a session ended: its token no longer works. */
export type SessionEnd = 'expired' | 'left' | 'kicked';

/**
 * Why a session's open connections must close: it ended, its token was replaced (the old
 * cookie's sockets reconnect with the new one), or its role changed (doc connections
 * carry the role they opened with).
 */
export type ConnectionsEnd = SessionEnd | 'token_replaced' | 'role_changed';

/** Why a token was refused; the caller audits the ones that smell of theft. */
export type AuthFailure = 'missing' | 'unknown' | 'expired' | 'ip' | 'kicked';
export type AuthResult = { ok: true; session: Session } | { ok: false; reason: AuthFailure; error: WireError; sessionId?: string };

type Stored = Pick<StateFile, 'sessions' | 'kicked' | 'removed'>;

/**
 * Sessions by token hash; the bearer token only ever lives in the browser's cookie.
 * The records are the persisted ones (state.json): every change marks the file dirty
 * and the batched writer saves it, so sessions survive a restart.
 */
export class SessionStore {
  private readonly byHash = new Map<string, Session>();
  private readonly byId = new Map<string, Session>();
  private stored: Stored = { sessions: {}, kicked: [], removed: [] };
  private file: BatchedFile<StateFile> | null = null;
  private readonly endListeners = new Set<(sessionId: string, why: ConnectionsEnd) => void>();

  constructor(public policy: SessionPolicy = DEFAULT_POLICY, private readonly now: () => number = Date.now) {}

  /**
   * The one path by which every way a session ends (expiry noticed by a request or by
   * the sweep, the lifetime, a kick, a leave) and every token or role change reaches
   * the connections it has open (H5). The server closes them in its one listener.
   */
  onConnectionsEnd(listener: (sessionId: string, why: ConnectionsEnd) => void): () => void {
    this.endListeners.add(listener);
    return () => this.endListeners.delete(listener);
  }

  /** Adopts the sessions in state.json and persists every later change there. */
  attach(file: BatchedFile<StateFile>): void {
    this.file = file;
    this.stored = file.data;
    this.byHash.clear();
    this.byId.clear();
    for (const session of Object.values(file.data.sessions) as Session[]) {
      // Saved before names were cleaned (H11): clean them now rather than show them for 12 h.
      session.name = cleanDisplayName(session.name) ?? 'Guest';
      // A promotion's tickets do not survive a restart (H15): it lapses, the host promotes again.
      if (session.pendingRole) {
        delete session.pendingRole;
        delete session.refreshRequired;
      }
      this.index(session);
    }
    this.sweep();
  }

  /**
   * A new session. Its name is cleaned and, when another session's looks the same, given
   * a visible suffix (`Sam 2`): nobody can pose as someone else in the room (H11). Exactly
   * the same name, typed as it is shown, from the same address is the same person joining
   * again (another browser on their device, a home-screen app with its own cookies) and
   * keeps it, so the console folds them into one row; a lookalike never does, whatever its
   * address (the address is the identity a session is bound to; docs/security.md).
   */
  create(request: JoinRequest, ip: string, room: string): { session: Session; token: string } {
    const token = newToken();
    const cleaned = cleanDisplayName(request.name) ?? 'Guest';
    const typed = request.name.normalize('NFC').trim();
    const samePerson = (s: Session): boolean => s.name === cleaned && typed === cleaned && sameBinding(s.ip, ip, 'exact');
    const name = distinctName(cleaned, this.all().filter((s) => !samePerson(s)).map((s) => s.name));
    const at = this.now();
    const session: Session = {
      id: newId('s'),
      tokenHash: hashToken(token),
      name,
      role: request.role,
      layout: request.layout ?? (request.role === 'host' ? 'console' : 'band'),
      room,
      ip,
      createdAt: at,
      lastActiveAt: at,
      canControl: true,
      assignedTracks: [],
    };
    this.stored.sessions[session.id] = session;
    this.index(session);
    this.changed();
    return { session, token };
  }

  /** Resolves a bearer token presented from `ip`; refuses expired, kicked and foreign-IP use. */
  check(token: string | undefined, ip: string): AuthResult {
    if (!token) return fail('missing', 'UNAUTHENTICATED', 'no session: join first');
    const hash = hashToken(token);
    const session = this.byHash.get(hash);
    if (!session) {
      const kicked = this.stored.kicked.find((k) => k.tokenHash === hash);
      if (kicked) return fail('kicked', 'KICKED', 'the host removed this session', kicked.sessionId);
      return fail('unknown', 'UNAUTHENTICATED', 'unknown or ended session');
    }
    if (this.isExpired(session)) {
      this.remove(session.id, 'expired');
      return fail('expired', 'UNAUTHENTICATED', 'session expired: join again');
    }
    if (!sameBinding(session.ip, ip, this.policy.ipBinding)) return fail('ip', 'UNAUTHENTICATED', 'session used from another address', session.id);
    return { ok: true, session };
  }

  /** The foundation's signature, kept for its callers. */
  authenticate(token: string | undefined, ip: string): Session | WireError {
    const result = this.check(token, ip);
    return result.ok ? result.session : result.error;
  }

  /**
   * Marks the session active. Called per command; a touch within a second (or a tenth
   * of the idle timeout, if shorter) of the last one changes nothing worth persisting.
   */
  touch(session: Session): void {
    const now = this.now();
    if (now - session.lastActiveAt < Math.min(1_000, this.policy.idleTimeoutMs / 10)) return;
    session.lastActiveAt = now;
    this.changed();
  }

  get(id: string): Session | undefined {
    return this.byId.get(id);
  }

  all(): Session[] {
    return [...this.byId.values()];
  }

  /** Host edits of control and track assignment; persisted like any change. */
  update(id: string, patch: Partial<Pick<Session, 'canControl' | 'assignedTracks' | 'layout'>>): Session | undefined {
    const session = this.byId.get(id);
    if (!session) return undefined;
    Object.assign(session, patch);
    this.changed();
    return session;
  }

  /**
   * Changes a role and asks for a new token. A demotion applies now; a promotion waits
   * for the refresh, so whoever holds a copy of the old token never gets it.
   */
  setRole(id: string, role: Role): Session | undefined {
    const session = this.byId.get(id);
    if (!session) return undefined;
    if (roleAllows(session.role, role)) {
      session.role = role;
      delete session.pendingRole;
    } else {
      session.pendingRole = role;
    }
    session.refreshRequired = true;
    this.changed();
    this.endConnections(id, 'role_changed');
    return session;
  }

  /** Issues a new token for the session (the old one dies) and applies a pending role. */
  refresh(session: Session): string {
    const token = newToken();
    this.byHash.delete(session.tokenHash);
    session.tokenHash = hashToken(token);
    if (session.pendingRole) session.role = session.pendingRole;
    delete session.pendingRole;
    delete session.refreshRequired;
    this.byHash.set(session.tokenHash, session);
    this.changed();
    return token;
  }

  /** Ends a session: its token stops working and its connections close. */
  remove(id: string, why: SessionEnd = 'left'): void {
    const session = this.byId.get(id);
    if (!session) return;
    this.byId.delete(id);
    this.byHash.delete(session.tokenHash);
    delete this.stored.sessions[id];
    this.changed();
    if (why !== 'kicked') this.endConnections(id, why); // a kick announces itself once its tombstone is down
  }

  /** The session's open connections must close (see onConnectionsEnd). */
  endConnections(id: string, why: ConnectionsEnd): void {
    for (const listener of this.endListeners) listener(id, why);
  }

  /** Ends a session so that its cookie answers KICKED until it would have expired anyway. */
  kick(id: string): Session | undefined {
    const session = this.byId.get(id);
    if (!session) return undefined;
    this.remove(id, 'kicked');
    const tombstone: KickedToken = { tokenHash: session.tokenHash, sessionId: id, until: session.createdAt + this.policy.absoluteLifetimeMs };
    this.stored.kicked.push(tombstone);
    this.changed();
    this.endConnections(id, 'kicked');
    return session;
  }

  /** True while the session exists and has not expired: a doc connection checks it before each write (H5). */
  isLive(id: string): boolean {
    const session = this.byId.get(id);
    return session !== undefined && !this.isExpired(session);
  }

  /**
   * The host removed this person: joins from their address are refused (KICKED) until the
   * host lets them back or rotates the code. Keyed by address, the identity a session is
   * bound to; people behind one NAT share it (docs/security.md).
   */
  removePerson(session: Session): RemovedPerson {
    const existing = this.stored.removed.find((r) => r.ip === session.ip);
    if (existing) return existing;
    const person: RemovedPerson = { id: newId('r'), name: session.name, ip: session.ip, sessionId: session.id, at: this.now() };
    this.stored.removed.push(person);
    this.changed();
    return person;
  }

  removedAt(ip: string): RemovedPerson | undefined {
    return this.stored.removed.find((r) => sameBinding(r.ip, ip, 'exact'));
  }

  removedPeople(): RemovedPerson[] {
    return [...this.stored.removed];
  }

  /** The host lets them back in; answers who, or undefined for an unknown id. */
  letBack(id: string): RemovedPerson | undefined {
    const i = this.stored.removed.findIndex((r) => r.id === id);
    if (i < 0) return undefined;
    const [person] = this.stored.removed.splice(i, 1);
    this.changed();
    return person;
  }

  /** A new join code: whoever was removed may come back with it. */
  forgetRemovals(): number {
    const n = this.stored.removed.length;
    if (n) {
      this.stored.removed.splice(0, n);
      this.changed();
    }
    return n;
  }

  expiresAt(session: Session): number {
    return Math.min(session.createdAt + this.policy.absoluteLifetimeMs, session.lastActiveAt + this.policy.idleTimeoutMs);
  }

  /** Drops expired sessions and tombstones; returns the ids of sessions that ended. */
  sweep(): string[] {
    const ended = this.all().filter((s) => this.isExpired(s)).map((s) => s.id);
    for (const id of ended) this.remove(id, 'expired');
    const at = this.now();
    const kept = this.stored.kicked.filter((k) => k.until > at);
    if (kept.length !== this.stored.kicked.length) {
      this.stored.kicked.splice(0, this.stored.kicked.length, ...kept);
      this.changed();
    }
    return ended;
  }

  private isExpired(session: Session): boolean {
    return this.now() >= this.expiresAt(session);
  }

  private index(session: Session): void {
    this.byHash.set(session.tokenHash, session);
    this.byId.set(session.id, session);
  }

  private changed(): void {
    this.file?.markDirty();
  }
}

function fail(reason: AuthFailure, code: 'UNAUTHENTICATED' | 'KICKED', message: string, sessionId?: string): AuthResult {
  return { ok: false, reason, error: wireError(code, message), ...(sessionId ? { sessionId } : {}) };
}
