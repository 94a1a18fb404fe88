import type { IncomingMessage } from 'node:http';
import { wireError, type WireError } from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import { readCookie } from './cookies.ts';
import { normaliseIp } from '../util/remote-ip.ts';
import { originAllowed, type OwnOrigins } from '../security/origin-check.ts';
import type { UpgradeAuth } from '../yjs/yjs-server.ts';

/**
 * The one session check used by HTTP routes, the socket.io handshake and the
 * y-websocket upgrade, so all three refuse the same things the same way.
 */
export class RequestAuth {
  constructor(private readonly sessions: SessionStore, private readonly audit: AuditSink, private readonly own: OwnOrigins) {}

  /** A browser sends Origin on every WebSocket and state-changing request; it must be ours. */
  originAllowed(req: Pick<IncomingMessage, 'headers'>): boolean {
    return originAllowed(req, this.own);
  }

  /** Audits and returns the refusal for a foreign Origin, or null when it is ours. */
  checkOrigin(req: IncomingMessage, channel: string): WireError | null {
    if (this.originAllowed(req)) return null;
    this.audit.record({ kind: 'origin_refused', ip: normaliseIp(req.socket.remoteAddress), code: 'ORIGIN_REJECTED', detail: `${channel}: ${req.headers.origin}` });
    return wireError('ORIGIN_REJECTED', 'requests must come from this server’s own pages');
  }

  /** The y-websocket upgrade: the same check, answered as the upgrade's status. */
  authorizeUpgrade(req: IncomingMessage): UpgradeAuth {
    const session = this.authenticate(req, 'y-websocket');
    if ('code' in session) return { ok: false, status: session.code === 'ORIGIN_REJECTED' ? 403 : 401, error: session };
    return { ok: true, owner: { sessionId: session.id, role: session.role, name: session.name } };
  }

  authenticate(req: IncomingMessage, channel: string, options: { touch?: boolean } = {}): Session | WireError {
    const refused = this.checkOrigin(req, channel);
    if (refused) return refused;
    const ip = normaliseIp(req.socket.remoteAddress);
    const result = this.sessions.check(readCookie(req.headers.cookie), ip);
    if (!result.ok) {
      // A valid token from the wrong address or a kicked token coming back is what
      // theft looks like: the host sees it in the audit log.
      if (result.reason === 'ip' || result.reason === 'kicked') {
        this.audit.record({
          kind: result.reason === 'ip' ? 'ip_mismatch' : 'kicked_token', ip, code: result.error.code,
          ...(result.sessionId ? { sessionId: result.sessionId } : {}), detail: `${channel}: ${result.error.message}`,
        });
      }
      return result.error;
    }
    if (options.touch !== false) this.sessions.touch(result.session);
    return result.session;
  }
}
