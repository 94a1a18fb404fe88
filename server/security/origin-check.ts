import type { IncomingMessage } from 'node:http';

/**
 * Is this request from one of our own pages? Browsers send Origin on every WebSocket
 * handshake and every state-changing fetch, and a page cannot forge it, so a foreign
 * Origin is refused outright. No Origin at all means a non-browser client (the CLI, a
 * test, curl): it cannot ride on a victim's cookie, so it is judged by the cookie alone.
 * Only https origins count: the plain HTTP port serves no application pages.
 */
export function originAllowed(req: Pick<IncomingMessage, 'headers'>): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const host = req.headers.host;
  if (!host) return false;
  try {
    const url = new URL(origin);
    return url.protocol === 'https:' && url.host.toLowerCase() === host.toLowerCase() && origin === url.origin;
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
}

/** GET/HEAD/OPTIONS change nothing, so only the others need the Origin check on HTTP. */
export function isStateChanging(method: string | undefined): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes((method ?? 'GET').toUpperCase());
}
