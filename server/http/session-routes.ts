import express, { type Request, type Response, type NextFunction } from 'express';
import { API_ROUTES, wireError, type CurrentSessionAnswer, type SessionAnswer } from '../../protocol/index.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import { viewOf } from '../sessions/session.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { RequestAuth } from './request-auth.ts';
import { clearedSessionCookie, sessionCookie } from './cookies.ts';
import { normaliseIp } from '../util/remote-ip.ts';
import { sendError } from './send-error.ts';

export interface SessionRouteDeps {
  sessions: SessionStore;
  auth: RequestAuth;
  audit: AuditSink;
  /** Close the session's sockets and doc connections (leave). */
  onLeave(sessionId: string): void;
  /** The token changed: reconnect the session's sockets with the new cookie. */
  onRefresh(sessionId: string): void;
}

/** Every /api route after this one needs a valid session from its own address. */
export function requireSession(auth: RequestAuth) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const session = auth.authenticate(req, `http ${req.method} ${req.originalUrl.split('?')[0]}`);
    if ('code' in session) return sendError(res, session);
    res.locals.session = session;
    next();
  };
}

/**
 * GET /api/session (also the client's heartbeat: it proves the session is alive and
 * refreshes its idle timer), POST /api/session/refresh (a new token; applies a role
 * the host changed) and POST /api/leave.
 */
export function sessionRoutes(deps: SessionRouteDeps): express.Router {
  const router = express.Router();

  router.get(API_ROUTES.session, (_req, res) => {
    const session = res.locals.session;
    const answer: CurrentSessionAnswer = { session: viewOf(session, deps.sessions.expiresAt(session)), refreshRequired: session.refreshRequired === true };
    res.json(answer);
  });

  router.post(API_ROUTES.refresh, (req, res) => {
    const session = res.locals.session;
    const before = session.role;
    const token = deps.sessions.refresh(session);
    deps.audit.record({ kind: 'session_refresh', sessionId: session.id, name: session.name, ip: normaliseIp(req.socket.remoteAddress), ok: true, detail: before === session.role ? session.role : `${before} → ${session.role}` });
    res.setHeader('Set-Cookie', sessionCookie(token, session.createdAt + deps.sessions.policy.absoluteLifetimeMs - Date.now()));
    // Old sockets were authenticated with the old token: close them once the browser
    // has the new cookie, so they come back under it.
    res.on('finish', () => deps.onRefresh(session.id));
    const answer: SessionAnswer = { session: viewOf(session, deps.sessions.expiresAt(session)) };
    res.json(answer);
  });

  router.post(API_ROUTES.leave, (req, res) => {
    const session = res.locals.session;
    deps.sessions.remove(session.id);
    deps.audit.record({ kind: 'leave', sessionId: session.id, name: session.name, ip: normaliseIp(req.socket.remoteAddress) });
    deps.onLeave(session.id);
    res.setHeader('Set-Cookie', clearedSessionCookie());
    res.status(204).end();
  });

  router.use((_req, res) => sendError(res, wireError('NOT_FOUND', 'no such API route')));
  return router;
}
