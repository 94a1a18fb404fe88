/**
 * The one registry of audit entry kinds: every entry the server writes has one of these
 * kinds (the audit sink's type says so), the host's console filters by them, and
 * docs/protocol.md documents each (a test checks, as it does for error codes).
 */
export const AUDIT_KINDS = {
  join: 'A session joined: name, role, address.',
  join_refused: 'A join was refused (wrong code or PIN, a bad body); code says why.',
  join_throttled: 'Joins from this address are throttled after too many wrong codes or PINs.',
  pin_guessing: 'Wrong admin PINs used up the room’s budget: host joins by PIN pause (H3).',
  leave: 'A session left the room.',
  session_refresh: 'A session took a new token (after the host changed its role).',
  session_expired: 'A session ended at its idle timeout or its lifetime.',
  origin_refused: 'A request or socket came from a page of another origin.',
  ip_mismatch: 'A valid session token was used from another address (what theft looks like).',
  kicked_token: 'The token of a kicked session came back.',
  command: 'One command without a gesture, accepted or refused; detail begins id=<command id>.',
  gesture: 'One gesture’s commands as one entry: how many landed, were superseded, replayed or refused.',
  host: 'A host power used: lock, freeze, control, tracks, kick, join code, role.',
  host_refused: 'A host power refused: not a host, a bad payload, a refusal of the power itself.',
  file_upload: 'An upload started, was stored (or found identical to a stored file), refused or abandoned; target is its id.',
  file_download: 'A stored file or a take was downloaded, or the download refused; target is its id.',
  connection_refused: 'A WebSocket upgrade was refused: the address holds too many connections (H14).',
  internal_error: 'A request or socket handler failed unexpectedly; it was contained and answered INTERNAL (H1).',
  agent_refused: 'A host agent’s handshake was refused: token, protocol version, another agent.',
  yjs_violation: 'A y-websocket connection sent what its doc does not allow (a write to `set`, an observer’s edit); dropped.',
  yjs_too_slow: 'A y-websocket connection stopped reading and was dropped; it resyncs on reconnect.',
  notes_refused: 'A notes update past the size limits was dropped and its connection closed (H7).',
  notes_reset: 'The server started with --reset-notes: broken notes were copied aside and those rooms start empty (H13).',
  certificate_renewed: 'The server certificate was remade for new names or addresses.',
  certificate_error: 'Checking or renewing the server certificate failed.',
  certificate_warning: 'The local CA has no name constraints (made before H8): replace it when the class can reinstall it.',
  intent_model: 'Words were sent to the room’s language model: how many characters, whether it proposed commands, how long it took (never the words).',
} as const satisfies Record<string, string>;

export type AuditKind = keyof typeof AUDIT_KINDS;

export function isAuditKind(value: unknown): value is AuditKind {
  return typeof value === 'string' && Object.hasOwn(AUDIT_KINDS, value);
}

export const AUDIT_KIND_NAMES: readonly AuditKind[] = Object.keys(AUDIT_KINDS).filter(isAuditKind);
