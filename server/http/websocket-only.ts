import type { IncomingMessage } from 'node:http';
import { Server as Engine } from 'engine.io';
import { Server as SocketServer } from 'socket.io';
import type { DefaultEventsMap } from 'socket.io';
import type { PathOwner } from './request-router.ts';

export interface WebSocketOnlyOptions {
  /** The path prefix this server owns, e.g. `/socket.io/`. */
  path: string;
  maxHttpBufferSize: number;
  /** Runs on the handshake, before any message is read. */
  allowRequest?: (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => void;
}

/**
 * A socket.io server that speaks WebSocket only and is not attached to the HTTP server:
 * the router hands it exactly the requests under its path. Browsers and the host agent
 * never poll, and an engine.io that serves long-polling keeps per-sid state for any
 * unauthenticated GET (H1). A polling request gets engine.io's own 400 "Transport unknown".
 */
export function websocketOnly<Listen extends DefaultEventsMap, Emit extends DefaultEventsMap, Data = unknown>(
  options: WebSocketOnlyOptions,
): { io: SocketServer<Listen, Emit, Record<string, never>, Data>; owner: PathOwner } {
  const engine = new Engine({
    transports: ['websocket'],
    maxHttpBufferSize: options.maxHttpBufferSize,
    ...(options.allowRequest ? { allowRequest: options.allowRequest } : {}),
  });
  const io = new SocketServer<Listen, Emit, Record<string, never>, Data>({ path: options.path, serveClient: false });
  io.bind(engine);
  return {
    io,
    owner: {
      prefix: options.path,
      request: (req, res) => engine.handleRequest(req, res),
      upgrade: (req, socket, head) => engine.handleUpgrade(req, socket, head),
    },
  };
}
