import https from 'node:https';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import {
  AnswerSchema, DEFAULT_ROOM, PROTOCOL_VERSION, ROOM_EVENTS, ROOM_NAMESPACE, apiPath, reconnectsAfter, WireErrorSchema, yjsRoomUrl,
  type Answer, type CommandInput, type DocName, type RoomAuth, type RoomClientEvents, type RoomServerEvents, type WireError,
} from '../protocol/index.ts';
import { until } from './poll.ts';

export interface HttpResult { status: number; headers: Record<string, string | string[] | undefined>; body: unknown; text: string }

export interface Peer {
  base: string;
  ca: string;
  /** Bind our side of the connection here (127.0.0.2 plays "another machine"). */
  localAddress?: string;
}

export function request(peer: Peer, method: string, path: string, options: { body?: unknown; cookie?: string; origin?: string; headers?: Record<string, string>; servername?: string } = {}): Promise<HttpResult> {
  const url = new URL(path, peer.base);
  const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = https.request(url, {
      method,
      // A connection of its own, closed after the answer. Node's global agent keeps
      // connections alive and reuses them; a process whose event loop stalls (the bench
      // applying 10 big set docs at once on a busy machine) let its own idle limit pass
      // unnoticed and sent the next join down a connection the server had already closed
      // ("socket hang up" for the fan-out's readers after the throughput window).
      // Browsers resend a request that failed that way on a reused connection; Node does not.
      agent: false,
      ca: peer.ca,
      // A forged Host header would otherwise become the name TLS verifies.
      ...(options.servername ? { servername: options.servername } : {}),
      ...(peer.localAddress ? { localAddress: peer.localAddress } : {}),
      headers: {
        ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...(options.origin ? { origin: options.origin } : {}),
        ...options.headers,
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try { body = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text });
      });
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Joins and returns the `name=value` cookie pair to send back. */
export async function join(peer: Peer, body: { name: string; code: string; role?: string; pin?: string; layout?: string }): Promise<{ cookie: string; result: HttpResult }> {
  const result = await request(peer, 'POST', apiPath('join'), { body });
  const setCookie = result.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (result.status !== 200 || !first) throw new Error(`join failed: ${result.status} ${result.text}`);
  return { cookie: first.split(';')[0]!, result };
}

/** `/room` as a Node client sees it, typed by protocol/room-socket.ts like the page's socket. */
export type RoomClient = Socket<RoomServerEvents, RoomClientEvents>;

export interface RoomSocketOptions {
  origin?: string;
  /** The protocol version the client states at connect; default this build's. `null` states none. */
  protocol?: number | null;
  /** Reconnect like the page does (fault drills); default off. */
  reconnect?: { delayMs: number; maxDelayMs: number };
}

/** A `/room` socket with the session cookie, as the page opens it (it connects at once). */
export function connectRoom(peer: Peer, cookie: string, options: RoomSocketOptions = {}): RoomClient {
  const auth: RoomAuth = options.protocol === null ? {} : { protocol: options.protocol ?? PROTOCOL_VERSION };
  return io(`${peer.base}${ROOM_NAMESPACE}`, {
    transports: ['websocket'],
    auth,
    extraHeaders: { cookie, ...(options.origin ? { origin: options.origin } : {}) },
    ca: peer.ca,
    ...(peer.localAddress ? { localAddress: peer.localAddress } : {}),
    forceNew: true,
    ...(options.reconnect
      ? { reconnection: true, reconnectionDelay: options.reconnect.delayMs, reconnectionDelayMax: options.reconnect.maxDelayMs, randomizationFactor: 0 }
      : { reconnection: false }),
  });
}

export async function connected(socket: Socket): Promise<void> {
  if (socket.connected) return;
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => {
      const cause = causeOf(err);
      reject(cause ? new Error(`${err.message}: ${cause}`, { cause: err }) : err);
    });
  });
}

/** What lies under engine.io's "websocket error" (a refused upgrade's status, a reset): the bench printed only the wrapper. */
function causeOf(err: Error): string {
  const d: unknown = 'description' in err ? err.description : undefined;
  // An Error, or the WebSocket's error event: both carry a message.
  if (typeof d === 'object' && d !== null && 'message' in d && typeof d.message === 'string') return d.message;
  return typeof d === 'string' ? d : '';
}

export type Handshake = { connected: true } | { refused: WireError | null; message: string };

/**
 * How a handshake ended: connected, or refused — with the server's typed error when a
 * namespace middleware refused (`connect_error` data), null when the engine did (Origin).
 */
export function handshake(socket: Socket): Promise<Handshake> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ connected: true }));
    socket.once('connect_error', (err) => {
      const data = WireErrorSchema.safeParse('data' in err ? err.data : null);
      resolve({ refused: data.success ? data.data : null, message: err.message });
    });
  });
}

/** The same socket without the event maps: what a hostile or broken client may send. */
export function untyped(socket: RoomClient): Socket {
  return socket;
}

/** A command's one answer, parsed with its schema. */
export async function send(socket: RoomClient, command: CommandInput, timeoutMs = 10_000): Promise<Answer> {
  const answer: unknown = await socket.timeout(timeoutMs).emitWithAck(ROOM_EVENTS.command, command);
  return AnswerSchema.parse(answer);
}

let counter = 0;
export function commandId(): string {
  return `t${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}

export interface DocClient { doc: Y.Doc; provider: WebsocketProvider; destroy(): void }

/** A y-websocket client like the browser's, with the session cookie. */
export function openDoc(peer: Peer, cookie: string, name: DocName, room = DEFAULT_ROOM): DocClient {
  const doc = new Y.Doc();
  const { ca, localAddress } = peer;
  class CookieSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie }, ca, ...(localAddress ? { localAddress } : {}) });
    }
  }
  const provider = new WebsocketProvider(yjsRoomUrl(peer.base, room), name, doc, {
    WebSocketPolyfill: CookieSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
    // As the browser's providers do (client/src/state/notes.ts).
    shouldReconnect: (event) => reconnectsAfter(event.code),
  });
  return { doc, provider, destroy: () => { provider.destroy(); doc.destroy(); } };
}

export async function synced(client: DocClient, timeoutMs = 10_000): Promise<void> {
  await until(() => client.provider.synced, 'y-websocket sync', timeoutMs);
}
