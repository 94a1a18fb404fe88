import type { IncomingMessage } from 'node:http';

/** What the check needs to know of the server: whether an Origin is one of its own pages. */
export interface OwnOrigins {
  isOurOrigin(origin: string): boolean;
}

/**
 * Is this request from one of our own pages? Browsers send Origin on every WebSocket
 * handshake and every state-changing fetch, and a page cannot forge it, so a foreign
 * Origin is refused outright. No Origin at all means a non-browser client (the CLI, a
 * test, curl): it cannot ride on a victim's cookie, so it is judged by the cookie alone.
 * Only https origins with one of the server's own names and its HTTPS port count (never
 * whatever the Host header says: H16); the plain HTTP port serves no application pages.
 */
export function originAllowed(req: Pick<IncomingMessage, 'headers'>, own: OwnOrigins): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  return own.isOurOrigin(origin);
}

/** GET/HEAD/OPTIONS change nothing, so only the others need the Origin check on HTTP. */
export function isStateChanging(method: string | undefined): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes((method ?? 'GET').toUpperCase());
}
