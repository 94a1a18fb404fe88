import express, { type Request, type Response, type NextFunction } from 'express';
import { API_ROUTES, SessionRefreshSchema, wireError, type CurrentSessionAnswer, type SessionAnswer } from '../../protocol/index.ts';
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
  /** True, once, when `ticket` is one the host's promotion gave an open socket of this session (H15). */
  redeemPromotion(sessionId: string, ticket: string | undefined): boolean;
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
    const body = SessionRefreshSchema.safeParse(req.body ?? {});
    if (!body.success) {
      sendError(res, wireError('INVALID', 'refresh takes { ticket? }'));
      return;
    }
    // A pending promotion is applied only for the page the host promoted: a copy of the
    // cookie that asks first gets nothing, and the session's own token stays valid.
    if (session.pendingRole && !deps.redeemPromotion(session.id, body.data.ticket)) {
      deps.audit.record({ kind: 'host_refused', sessionId: session.id, name: session.name, ip: normaliseIp(req.socket.remoteAddress), action: 'session_refresh', ok: false, code: 'FORBIDDEN', detail: 'promotion claimed without the ticket of a promoted page' });
      sendError(res, wireError('FORBIDDEN', 'this promotion belongs to the page the host promoted; that page applies it by itself'));
      return;
    }
    const before = session.role;
    const token = deps.sessions.refresh(session);
    deps.audit.record({ kind: 'session_refresh', sessionId: session.id, name: session.name, ip: normaliseIp(req.socket.remoteAddress), ok: true, detail: before === session.role ? session.role : `${before} → ${session.role}` });
    res.setHeader('Set-Cookie', sessionCookie(token, session.createdAt + deps.sessions.policy.absoluteLifetimeMs - Date.now()));
    // Old sockets were authenticated with the old token: close them once the browser
    // has the new cookie, so they come back under it.
    res.on('finish', () => deps.sessions.endConnections(session.id, 'token_replaced'));
    const answer: SessionAnswer = { session: viewOf(session, deps.sessions.expiresAt(session)) };
    res.json(answer);
  });

  router.post(API_ROUTES.leave, (req, res) => {
    const session = res.locals.session;
    deps.audit.record({ kind: 'leave', sessionId: session.id, name: session.name, ip: normaliseIp(req.socket.remoteAddress) });
    deps.sessions.remove(session.id, 'left');
    res.setHeader('Set-Cookie', clearedSessionCookie());
    res.status(204).end();
  });

  router.use((_req, res) => sendError(res, wireError('NOT_FOUND', 'no such API route')));
  return router;
}
