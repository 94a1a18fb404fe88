import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type http from 'node:http';
import type https from 'node:https';
import type { Duplex } from 'node:stream';
import { ERRORS, wireError, type WireError } from '../../protocol/index.ts';
import type { Containment } from '../containment/containment.ts';

/** One path prefix and the one handler that owns it. */
export interface PathOwner {
  prefix: string;
  /** Plain HTTP requests under the prefix; absent: the path takes only WebSocket upgrades. */
  request?(req: IncomingMessage, res: ServerResponse): void;
  /** WebSocket upgrades under the prefix; absent: the path takes none. */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): void;
}

export interface RouterOptions {
  owners: PathOwner[];
  /** Everything no owner claims (the express app). */
  fallback(req: IncomingMessage, res: ServerResponse): void;
  containment: Containment;
  /** Runs before an upgrade reaches its owner; a refusal ends it there (H14's caps). */
  admitUpgrade?(req: IncomingMessage, socket: Duplex): WireError | null;
}

/**
 * The one `request` and the one `upgrade` listener of the HTTPS server. Each path has
 * exactly one owner, so no request is answered twice: socket.io used to hand every
 * request on to express as well, and a long-polling GET answered by both ended the
 * process on ERR_HTTP_HEADERS_SENT (H1).
 */
export function routeHttp(server: http.Server | https.Server, options: RouterOptions): void {
  const { containment } = options;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const where = `http ${req.method ?? '?'} ${pathOf(req) ?? '(unparsable)'}`.slice(0, 200);
    try {
      const owner = ownerOf(options.owners, req);
      if (owner === undefined) return options.fallback(req, res);
      if (owner === null) return answer(res, wireError('INVALID', 'the request path cannot be parsed'));
      if (owner.request) return owner.request(req, res);
      res.setHeader('Upgrade', 'websocket');
      answer(res, wireError('INVALID', `${owner.prefix} takes WebSocket connections only`), 426);
    } catch (err) {
      containment.fault(where, err);
      if (!res.headersSent) answer(res, wireError('INTERNAL', 'unexpected server error'));
      else res.destroy();
    }
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A socket error after we stopped caring (a client that vanished mid-refusal) is not a fault.
    socket.on('error', () => socket.destroy());
    try {
      const owner = ownerOf(options.owners, req);
      if (!owner?.upgrade) return refuseUpgrade(socket, wireError('NOT_FOUND', 'no WebSocket endpoint at this path'));
      const refused = options.admitUpgrade?.(req, socket) ?? null;
      if (refused) return refuseUpgrade(socket, refused);
      owner.upgrade(req, socket, head);
    } catch (err) {
      containment.fault(`upgrade ${pathOf(req) ?? '(unparsable)'}`.slice(0, 200), err);
      refuseUpgrade(socket, wireError('INTERNAL', 'unexpected server error'));
    }
  });
}

/** The owner of the request's path; undefined when none claims it; null when the path cannot be read. */
function ownerOf(owners: PathOwner[], req: IncomingMessage): PathOwner | undefined | null {
  const path = pathOf(req);
  if (path === null) return null;
  return owners.find((o) => path.startsWith(o.prefix));
}

function pathOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return null;
  }
}

function answer(res: ServerResponse, error: WireError, status: number = ERRORS[error.code].status): void {
  const body = JSON.stringify({ error });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(body);
}

/** Answers a refused upgrade with the registry's status and the typed error, then closes. */
export function refuseUpgrade(socket: Duplex, error: WireError, status: number = ERRORS[error.code].status): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify({ error });
  const retry = error.retryAfterMs !== undefined ? `Retry-After: ${Math.max(1, Math.ceil(error.retryAfterMs / 1000))}\r\n` : '';
  socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${retry}Connection: close\r\n\r\n${body}`);
}
