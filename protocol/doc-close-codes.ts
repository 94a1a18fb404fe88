/**
 * WebSocket close codes the server uses on y-websocket connections (docs/protocol.md).
 * Zod-free: the browser imports it.
 */
/** The session's role changed: reconnect, the new connection carries the new role. */
export const CLOSE_ROLE_CHANGED = 4000;
/** The session ended (expiry, kick, leave, a replaced token). */
export const CLOSE_SESSION_ENDED = 4001;
/** The session holds too many doc connections and this, its oldest, was closed (H14): do not reconnect it. */
export const CLOSE_TOO_MANY_CONNECTIONS = 4008;
/** A notes update was refused (H7); the reason starts with `TOO_LARGE:` or `NOTES_FULL:`. */
export const CLOSE_NOTES_REFUSED = 4413;
