import type { IncomingMessage } from 'node:http';
import { wireError, type WireError } from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { AuditSink } from '../audit/audit-log.ts';
import { readCookie } from './cookies.ts';
import { normaliseIp } from '../util/remote-ip.ts';

/**
 * The one session check used by HTTP routes, the socket.io handshake and the
 * y-websocket upgrade, so all three refuse the same things the same way.
 */
export class RequestAuth {
  constructor(private readonly sessions: SessionStore, private readonly audit: AuditSink) {}

  /** A browser sends Origin on every WebSocket and cross-site request; it must be us. */
  originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    if (origin === undefined) return true; // non-browser clients still need a valid cookie
    const host = req.headers.host;
    return host !== undefined && (origin === `https://${host}` || origin === `http://${host}`);
  }

  authenticate(req: IncomingMessage, channel: string): Session | WireError {
    const ip = normaliseIp(req.socket.remoteAddress);
    if (!this.originAllowed(req)) {
      this.audit.record({ kind: 'origin_refused', ip, detail: `${channel}: ${req.headers.origin}` });
      return wireError('ORIGIN_REJECTED', 'requests must come from this server’s own pages');
    }
    const result = this.sessions.authenticate(readCookie(req.headers.cookie), ip);
    if ('code' in result) {
      if (result.message.includes('another address')) {
        this.audit.record({ kind: 'ip_mismatch', ip, detail: `${channel}: ${result.message}` });
      }
      return result;
    }
    this.sessions.touch(result);
    return result;
  }
}
