import type { Request, Response } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import { JoinRequestSchema, wireError, type SessionAnswer } from '../../protocol/index.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import { viewOf } from '../sessions/session.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { JoinThrottle } from '../security/join-throttle.ts';
import { sessionCookie } from './cookies.ts';
import { normaliseIp } from '../util/remote-ip.ts';
import { sendError } from './send-error.ts';

export interface JoinDeps {
  room: { name: string; joinCode: string; adminPin: string };
  sessions: SessionStore;
  audit: AuditSink;
  throttle: JoinThrottle;
}

/** Compares secrets in constant time, whatever their lengths. */
function sameSecret(given: string | undefined, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return given !== undefined && timingSafeEqual(digest(given), digest(expected));
}

/**
 * POST /api/join. A wrong code or PIN counts against the source address; once it is
 * throttled even a right guess is refused until the wait is over, so guessing gains
 * nothing by racing the lockout.
 */
export function joinRoute(deps: JoinDeps) {
  return (req: Request, res: Response): void => {
    const ip = normaliseIp(req.socket.remoteAddress);
    const waitMs = deps.throttle.retryAfterMs(ip);
    if (waitMs > 0) {
      deps.audit.record({ kind: 'join_throttled', ip, code: 'THROTTLED', ok: false });
      return sendError(res, wireError('THROTTLED', 'too many wrong join attempts from this address; wait and try again', { retryAfterMs: waitMs }));
    }
    const parsed = JoinRequestSchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, wireError('INVALID', `join needs { name, code, role?, pin? }: ${parsed.error.issues[0]?.message ?? ''}`));
    const request = parsed.data;
    const refuse = (code: 'BAD_JOIN_CODE' | 'BAD_PIN', message: string): void => {
      const lockMs = deps.throttle.fail(ip);
      deps.audit.record({ kind: 'join_refused', ip, name: request.name, code, ok: false, ...(lockMs > 0 ? { detail: `address throttled for ${Math.ceil(lockMs / 1000)} s` } : {}) });
      sendError(res, wireError(code, message));
    };
    if (!sameSecret(request.code, deps.room.joinCode)) return refuse('BAD_JOIN_CODE', 'that join code is not this room’s');
    if (request.role === 'host' && !sameSecret(request.pin, deps.room.adminPin)) return refuse('BAD_PIN', 'the admin PIN is wrong');
    deps.throttle.succeed(ip);
    const { session, token } = deps.sessions.create(request, ip, deps.room.name);
    deps.audit.record({ kind: 'join', sessionId: session.id, name: session.name, ip, ok: true, detail: `${session.role}/${session.layout}` });
    const expiresAt = deps.sessions.expiresAt(session);
    res.setHeader('Set-Cookie', sessionCookie(token, session.createdAt + deps.sessions.policy.absoluteLifetimeMs - Date.now()));
    const answer: SessionAnswer = { session: viewOf(session, expiresAt) };
    res.json(answer);
  };
}
