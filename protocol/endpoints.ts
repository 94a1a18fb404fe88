/**
 * Where each wire lives: socket.io namespaces and paths, the y-websocket path and doc
 * names, HTTP routes, the session cookie and the agent's token header. Zod-free: the
 * page imports these through protocol/browser.ts.
 */

/** socket.io namespace of the browsers (commands, room events, host powers). */
export const ROOM_NAMESPACE = '/room';
/** socket.io namespace of the host agent, on its own socket.io server (AGENT_SOCKET_PATH). */
export const AGENT_NAMESPACE = '/agent';

/** The browsers' socket.io server: socket.io's default path. */
export const ROOM_SOCKET_PATH = '/socket.io/';
/**
 * The agent's socket.io server has its own path: a snapshot of a big set is megabytes
 * (up to one 8 MiB script line), far more than a browser may send, and only a
 * device-token holder may send that much.
 */
export const AGENT_SOCKET_PATH = '/agent.io/';
/** The device token also travels as this header, so the server refuses strangers before any message. */
export const AGENT_TOKEN_HEADER = 'x-roomtone-agent-token';

/** Largest message a browser may send over socket.io (note lists are the big ones). */
export const MAX_COMMAND_BYTES = 512 * 1024;
/** Largest message on the agent's socket: one script line plus JSON overhead. */
export const AGENT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Largest Yjs message either way on y-websocket. */
export const YJS_MAX_MESSAGE_BYTES = 1024 * 1024;

/** y-websocket serves `/yjs/<room>/<doc>`. */
export const YJS_PATH_PREFIX = '/yjs/';
/** The room's docs: `set` (Live's state, written only by the server) and `notes` (collaborative). */
export const DOC_NAMES = { set: 'set', notes: 'notes' } as const;
export type DocName = (typeof DOC_NAMES)[keyof typeof DOC_NAMES];
/** The Y.Text inside `notes`. */
export const NOTES_TEXT = 'text';

/** The y-websocket server URL of a room (the provider appends `/<doc>`). */
export function yjsRoomUrl(origin: string, room: string): string {
  return `${origin.replace(/^http/, 'ws')}${YJS_PATH_PREFIX}${encodeURIComponent(room)}`;
}

/** `/yjs/<room>/<doc>` split into its parts, or null for any other path. */
export function parseYjsPath(pathname: string): { room: string; doc: string } | null {
  if (!pathname.startsWith(YJS_PATH_PREFIX)) return null;
  const parts = pathname.slice(YJS_PATH_PREFIX.length).split('/');
  if (parts.length !== 2 || !parts[0] || !parts[1]) return null;
  try {
    return { room: decodeURIComponent(parts[0]), doc: decodeURIComponent(parts[1]) };
  } catch {
    return null;
  }
}

/** HTTP routes on the HTTPS port (answers in docs/protocol.md, "HTTP"). */
export const HEALTH_ROUTE = '/healthz';
/** 503 until the agent and Live answer, and again while stopping. */
export const READY_ROUTE = '/readyz';
/** Every session route lives under this prefix; all but `join` need the session cookie. */
export const API_PREFIX = '/api';
export const API_ROUTES = {
  join: '/join',
  session: '/session',
  refresh: '/session/refresh',
  leave: '/leave',
} as const;

/** The full path of an API route. */
export function apiPath(route: keyof typeof API_ROUTES): string {
  return `${API_PREFIX}${API_ROUTES[route]}`;
}

/** The join page's query parameter that carries a join code (the QR link). */
export const JOIN_CODE_PARAM = 'code';

/** The link a device in the room opens to join with `code`: `<origin>/?code=<code>`. */
export function joinLink(origin: string, code: string): string {
  return `${origin}/?${JOIN_CODE_PARAM}=${encodeURIComponent(code)}`;
}

/** The cookie that carries the session token (HttpOnly; Secure; SameSite=Strict). */
export const SESSION_COOKIE = 'roomtone_session';
