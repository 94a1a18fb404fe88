import express, { type Request, type Response, type NextFunction } from 'express';
import helmet from 'helmet';
import expressStaticGzip from 'express-static-gzip';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../util/package-root.ts';
import { API_PREFIX, FILE_ROUTES, HEALTH_ROUTE, READY_ROUTE, apiPath, wireError } from '../../protocol/index.ts';
import type { HealthState } from '../health/health-state.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { Room } from '../room/room.ts';
import type { AgentLink } from '../agent-link/agent-link.ts';
import { newJoinGuards, type JoinGuards } from '../security/join-guards.ts';
import { isStateChanging } from '../security/origin-check.ts';
import type { RequestAuth } from './request-auth.ts';
import { joinRoute } from './join-route.ts';
import { requireSession, sessionRoutes } from './session-routes.ts';
import { sendError } from './send-error.ts';
import type { PublicNames } from './public-names.ts';

export const CLIENT_DIST = path.join(PACKAGE_ROOT, 'client', 'dist');

export interface AppDeps {
  /** Our own names: every absolute URL is built from them, never from the Host header (H16). */
  names: PublicNames;
  room: Room;
  sessions: SessionStore;
  auth: RequestAuth;
  audit: AuditSink;
  agent: AgentLink;
  /** What /healthz and /readyz report. */
  health: HealthState;
  /** The join throttles and the room's PIN budget; made here when the caller does not pass them. */
  guards?: JoinGuards;
  redeemPromotion(sessionId: string, ticket: string | undefined): boolean;
  onPinGuessing?: () => void;
  /** An unexpected error inside a route: logged and audited by the containment layer. */
  onFault?(where: string, err: Error): void;
  /** /api/files (uploads, downloads, takes): its router owns every path below it. */
  files?: express.Router;
}

export { sendError };

/** JSON bodies are small here (a join, a leave); anything bigger is a mistake or an attack. */
export const JSON_BODY_LIMIT = '64kb';

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Lit templates bind style attributes (--pos, --tc…), and tablets without
        // adoptedStyleSheets get <style> elements: both need 'unsafe-inline' for styles.
        // Scripts stay 'self' only, which is what stops injected code.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        // 'self' does not cover wss: in every browser (older Safari), so name our own host:
        // the one the page was loaded from when it is one of ours, never an echo of the header.
        connectSrc: ["'self'", (req) => deps.names.websocketOrigin(hostHeaderOf(req))],
        manifestSrc: ["'self'"],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  }));

  // Cross-site requests that change state are refused before anything else reads them.
  app.use((req, res, next) => {
    const refused = isStateChanging(req.method) ? deps.auth.checkOrigin(req, `http ${req.method} ${req.path}`) : null;
    if (refused) sendError(res, refused);
    else next();
  });
  app.use(express.json({ limit: JSON_BODY_LIMIT }));

  // Liveness: answers 200 while the server runs, and says which part is down (ok: false).
  app.get(HEALTH_ROUTE, (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json(deps.health.report());
  });
  // Readiness: 503 until the agent and Live answer (and again while stopping).
  app.get(READY_ROUTE, (_req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const report = deps.health.report();
    if (deps.health.ready()) return void res.json(report);
    const error = report.stopping
      ? wireError('SERVER_STOPPING', 'Roomtone is stopping')
      : wireError(report.agent.connected ? 'LIVE_OFFLINE' : 'AGENT_OFFLINE', report.agent.connected ? 'the host agent is connected but Live is not' : 'no host agent is connected');
    res.status(503).json({ ...report, error });
  });

  app.post(apiPath('join'), joinRoute({
    room: deps.room, sessions: deps.sessions, audit: deps.audit, guards: deps.guards ?? newJoinGuards(),
    ...(deps.onPinGuessing ? { onPinGuessing: deps.onPinGuessing } : {}),
  }));
  if (deps.files) app.use(FILE_ROUTES.files, deps.files);
  app.use(API_PREFIX, requireSession(deps.auth), sessionRoutes(deps));

  serveClient(app);

  app.use((err: Error & { type?: string; status?: number }, req: Request, res: Response, _next: NextFunction): void => {
    if (err.type === 'entity.too.large') return sendError(res, wireError('TOO_LARGE', 'request body too large'));
    if (err.type === 'entity.parse.failed') return sendError(res, wireError('INVALID', 'request body is not valid JSON'));
    // Other body-parser refusals (an unsupported charset or encoding, an aborted body) are the request's fault, not ours.
    if (typeof err.status === 'number' && err.status >= 400 && err.status < 500) return sendError(res, wireError('INVALID', `request body refused: ${err.type ?? 'unreadable'}`));
    deps.onFault?.(`http ${req.method} ${req.path}`.slice(0, 200), err);
    if (res.headersSent) return void res.destroy();
    sendError(res, wireError('INTERNAL', 'unexpected server error'));
  });
  return app;
}

function hostHeaderOf(req: unknown): string | undefined {
  if (typeof req !== 'object' || req === null || !('headers' in req)) return undefined;
  const headers: unknown = req.headers;
  if (typeof headers !== 'object' || headers === null || !('host' in headers)) return undefined;
  return typeof headers.host === 'string' ? headers.host : undefined;
}

/** The built client, with index.html for any other GET so deep links work. */
function serveClient(app: express.Express): void {
  const index = path.join(CLIENT_DIST, 'index.html');
  // The build leaves .br and .gz copies beside each asset; the browser gets the smallest
  // one it accepts, with the original's type and `Vary: Accept-Encoding`.
  app.use(expressStaticGzip(CLIENT_DIST, { enableBrotli: true, orderPreference: ['br', 'gzip'], index: false, serveStatic: { index: false, maxAge: '1h', setHeaders: (res, file) => {
    if (file.includes('index.html') || file.includes('sw.js')) res.setHeader('Cache-Control', 'no-cache');
  } } }));
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
