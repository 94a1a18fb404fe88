/**
 * The one registry of error codes that cross a wire. Every refusal a browser, the
 * agent or the Remote Script can receive is one of these; docs/protocol.md documents
 * each (a test checks), and nothing sends a bare string as an error.
 */
export const ERRORS = {
  INVALID: { status: 400, summary: 'The message does not match its schema or the action does not exist.' },
  UNAUTHENTICATED: { status: 401, summary: 'No valid session, an expired one, or one used from another IP.' },
  FORBIDDEN: { status: 403, summary: 'The role, a revoked control or a track assignment does not allow this.' },
  ORIGIN_REJECTED: { status: 403, summary: 'The request came from a page of another origin.' },
  ROOM_LOCKED: { status: 423, summary: 'The host locked the room; only hosts may command.' },
  FROZEN: { status: 423, summary: 'The host froze the room; nothing reaches Live until it thaws.' },
  BAD_JOIN_CODE: { status: 403, summary: 'The join code is wrong.' },
  BAD_PIN: { status: 403, summary: 'The admin PIN for the host role is wrong.' },
  THROTTLED: { status: 429, summary: 'Too many failed join attempts from this address; wait retryAfterMs.' },
  PIN_PAUSED: { status: 429, summary: 'Wrong admin PINs used up the room’s budget; host joins by PIN pause for retryAfterMs (members still join).' },
  RATE_LIMITED: { status: 429, summary: 'This session sent commands faster than its rate; retry after retryAfterMs.' },
  CONFLICT: { status: 409, summary: 'baseRev is stale; current carries the value and rev that won.' },
  HELD: { status: 409, summary: 'Another session holds the gesture lease on this control.' },
  BUSY: { status: 503, summary: 'The room queue is full; retry after retryAfterMs.' },
  AGENT_OFFLINE: { status: 503, summary: 'No host agent is connected, so nothing can reach Live.' },
  LIVE_OFFLINE: { status: 503, summary: 'The host agent is connected but Live (or the simulator) is not.' },
  TIMEOUT: { status: 504, summary: 'The deadline passed before Live ran the command; it was not executed.' },
  NOT_FOUND: { status: 404, summary: 'The target id does not exist in the current set.' },
  UNSUPPORTED: { status: 501, summary: 'This Live version lacks the member the action needs.' },
  LIVE_ERROR: { status: 500, summary: 'Live refused or failed to apply the command; message says why.' },
  PROTOCOL_MISMATCH: { status: 426, summary: 'The peer speaks another protocol version.' },
  AGENT_CONFLICT: { status: 409, summary: 'Another host agent is already active for this room.' },
  NOT_CONNECTED: { status: 409, summary: 'The session has no open connection to hand a promotion to; promote it while it is online.' },
  KICKED: { status: 401, summary: 'The host removed this session; its token no longer works.' },
  SERVER_STOPPING: { status: 503, summary: 'The server is stopping (Ctrl-C, a service stop, an update); clients reconnect once it is back.' },
  TOO_LARGE: { status: 413, summary: 'The message or body exceeds the size limit.' },
  SET_CHANGED: { status: 409, summary: 'The target (or baseRev) belongs to a set that is no longer open in Live: another set was opened or Live restarted. Nothing was applied; the view follows the new set.' },
  NOTES_FULL: { status: 413, summary: 'The notes are at their size limit; the change was dropped (deleting is always allowed).' },
  TOO_MANY_CONNECTIONS: { status: 429, summary: 'Past the connections a session or an address may hold: a session’s oldest connection is closed with this; an address’s new one is refused.' },
  FILE_TOO_LARGE: { status: 413, summary: 'The file is bigger than the per-file cap the host set; limit carries the cap in bytes.' },
  QUOTA_EXCEEDED: { status: 429, summary: 'This session used its daily upload quota (or has too many unfinished uploads); limit carries the quota in bytes.' },
  DISK_FULL: { status: 507, summary: 'Storing the file would take the studio disk below the free-space floor the host set.' },
  NOT_AUDIO: { status: 415, summary: 'The file is not audio in a format Live reads (WAV, AIFF, FLAC, MP3, OGG, M4A), judged from its own bytes.' },
  BAD_AUDIO: { status: 422, summary: 'The file looks like audio but is truncated or damaged (its header promises more than it holds).' },
  DROPS_OFF: { status: 403, summary: 'The host turned drops off: only the host can send files right now.' },
  INTERNAL: { status: 500, summary: 'An unexpected fault; the command was not executed twice and the process stays up.' },
  NOT_UNDERSTOOD: { status: 422, summary: 'Words (intent.parse) that are not a command Roomtone knows; nothing changed. suggestions carry phrasings that work.' },
  NO_MATCH: { status: 404, summary: 'Words that name nothing in the set (no track, scene, clip … by that name); suggestions carry the nearest names.' },
  AMBIGUOUS: { status: 422, summary: 'Words that fit more than one thing equally well; suggestions carry each reading, to say again more exactly.' },
  TOO_BROAD: { status: 422, summary: 'A destructive request in words that names no single thing ("delete everything"), or one that would be too many commands at once.' },
  MODEL_UNAVAILABLE: { status: 503, summary: 'The optional language model on the LAN is not configured, busy, unreachable, or gave no usable proposal.' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES: readonly ErrorCode[] = Object.keys(ERRORS).filter(isErrorCode);

/** What crosses every wire when something is refused. */
export interface WireError {
  code: ErrorCode;
  message: string;
  /** For CONFLICT: the value and rev that are current now. */
  current?: { value: unknown; rev: string | null };
  /** For RATE_LIMITED, BUSY, THROTTLED: how long to wait before trying again. */
  retryAfterMs?: number;
  /** For PROTOCOL_MISMATCH: which side runs the older version (the one to update). */
  older?: 'client' | 'server';
  /** For FILE_TOO_LARGE, QUOTA_EXCEEDED, DISK_FULL: the limit in bytes that refused it. */
  limit?: number;
  /** For NOT_UNDERSTOOD, NO_MATCH, AMBIGUOUS, TOO_BROAD: things to say instead, in words. */
  suggestions?: string[];
}

export function wireError(code: ErrorCode, message: string, extra: Omit<WireError, 'code' | 'message'> = {}): WireError {
  return { code, message, ...extra };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERRORS, value);
}

/**
 * A refusal as a peer sent it (socket.io's `connect_error` data, an HTTP error body), or
 * null when `value` is not one. Zod-free, for the page; Node peers use WireErrorSchema.
 */
export function wireErrorOf(value: unknown): WireError | null {
  if (typeof value !== 'object' || value === null) return null;
  const code: unknown = Reflect.get(value, 'code');
  const message: unknown = Reflect.get(value, 'message');
  if (!isErrorCode(code) || typeof message !== 'string') return null;
  const error: WireError = { code, message };
  const retryAfterMs: unknown = Reflect.get(value, 'retryAfterMs');
  if (typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs)) error.retryAfterMs = retryAfterMs;
  const older: unknown = Reflect.get(value, 'older');
  if (older === 'client' || older === 'server') error.older = older;
  const limit: unknown = Reflect.get(value, 'limit');
  if (typeof limit === 'number' && Number.isFinite(limit)) error.limit = limit;
  const suggestions: unknown = Reflect.get(value, 'suggestions');
  if (Array.isArray(suggestions) && suggestions.every((s): s is string => typeof s === 'string')) error.suggestions = suggestions;
  return error;
}

