import express, { type Request, type Response, type NextFunction } from 'express';
import helmet from 'helmet';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERRORS, JoinRequestSchema, ROOMTONE_VERSION, wireError, type WireError } from '../../protocol/index.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import { viewOf } from '../sessions/session.ts';
import type { AuditSink } from '../audit/audit-log.ts';
import type { Room } from '../room/room.ts';
import type { AgentLink } from '../agent-link/agent-link.ts';
import { RequestAuth } from './request-auth.ts';
import { clearedSessionCookie, sessionCookie } from './cookies.ts';
import { normaliseIp } from '../util/remote-ip.ts';

export const CLIENT_DIST = fileURLToPath(new URL('../../client/dist/', import.meta.url));

export interface AppDeps {
  room: Room;
  sessions: SessionStore;
  auth: RequestAuth;
  audit: AuditSink;
  agent: AgentLink;
  liveMode: () => 'real' | 'sim';
  onLeave(sessionId: string): void;
}

export function sendError(res: Response, error: WireError): void {
  if (error.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
  res.status(ERRORS[error.code].status).json({ error });
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'", 'wss:'],
        manifestSrc: ["'self'"],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  }));
  app.use(express.json({ limit: '64kb' }));

  app.get('/healthz', (_req, res) => {
    res.json({
      ok: true,
      version: ROOMTONE_VERSION,
      agent: { connected: deps.agent.connected },
      live: { mode: deps.liveMode(), connected: deps.agent.liveConnected },
    });
  });

  app.post('/api/join', (req, res) => {
    if (!deps.auth.originAllowed(req)) return sendError(res, wireError('ORIGIN_REJECTED', 'requests must come from this server’s own pages'));
    const ip = normaliseIp(req.socket.remoteAddress);
    const parsed = JoinRequestSchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, wireError('INVALID', `join needs { name, code, role?, pin? }: ${parsed.error.issues[0]?.message ?? ''}`));
    const request = parsed.data;
    if (request.code !== deps.room.joinCode) {
      deps.audit.record({ kind: 'join_refused', ip, name: request.name, code: 'BAD_JOIN_CODE' });
      return sendError(res, wireError('BAD_JOIN_CODE', 'that join code is not this room’s'));
    }
    if (request.role === 'host' && request.pin !== deps.room.adminPin) {
      deps.audit.record({ kind: 'join_refused', ip, name: request.name, code: 'BAD_PIN' });
      return sendError(res, wireError('BAD_PIN', 'the admin PIN is wrong'));
    }
    const { session, token } = deps.sessions.create(request, ip, deps.room.name);
    deps.audit.record({ kind: 'join', sessionId: session.id, name: session.name, ip, detail: session.role });
    const expiresAt = deps.sessions.expiresAt(session);
    res.setHeader('Set-Cookie', sessionCookie(token, expiresAt - Date.now()));
    res.json({ session: viewOf(session, expiresAt) });
  });

  const requireSession = (req: Request, res: Response, next: NextFunction): void => {
    const session = deps.auth.authenticate(req, `http ${req.method} ${req.path}`);
    if ('code' in session) return sendError(res, session);
    res.locals.session = session;
    next();
  };

  app.get('/api/session', requireSession, (_req, res) => {
    const session = res.locals.session;
    res.json({ session: viewOf(session, deps.sessions.expiresAt(session)) });
  });

  app.post('/api/leave', requireSession, (req, res) => {
    const session = res.locals.session;
    deps.sessions.remove(session.id);
    deps.audit.record({ kind: 'leave', sessionId: session.id, name: session.name, ip: normaliseIp(req.socket.remoteAddress) });
    deps.onLeave(session.id);
    res.setHeader('Set-Cookie', clearedSessionCookie());
    res.status(204).end();
  });

  app.use('/api', (_req, res) => sendError(res, wireError('NOT_FOUND', 'no such API route')));

  serveClient(app);

  app.use((err: Error & { type?: string; status?: number }, _req: Request, res: Response, _next: NextFunction) => {
    if (err.type === 'entity.too.large') return sendError(res, wireError('TOO_LARGE', 'request body too large'));
    if (err.type === 'entity.parse.failed') return sendError(res, wireError('INVALID', 'request body is not valid JSON'));
    sendError(res, wireError('INTERNAL', 'unexpected server error'));
  });
  return app;
}

/** The built client, with index.html for any other GET so deep links work. */
function serveClient(app: express.Express): void {
  const index = path.join(CLIENT_DIST, 'index.html');
  app.use(express.static(CLIENT_DIST, { index: false, maxAge: '1h', setHeaders: (res, file) => {
    if (file.endsWith('index.html') || file.endsWith('sw.js')) res.setHeader('Cache-Control', 'no-cache');
  } }));
  app.get('/{*path}', (_req, res) => {
    if (!existsSync(index)) {
      res.status(503).type('text/plain').send('The Roomtone client is not built yet: run `npm run build` (npm start does this for you).');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}

declare module 'express-serve-static-core' {
  interface Locals { session: import('../sessions/session.ts').Session }
}
