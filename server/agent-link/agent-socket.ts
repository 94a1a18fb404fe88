import type { Server as SocketServer } from 'socket.io';
import {
  AGENT_MAX_MESSAGE_BYTES, AGENT_SOCKET_PATH, AGENT_TOKEN_HEADER, wireError, type AgentReceivedByServer, type AgentServerEvents,
} from '../../protocol/index.ts';
import { hashToken, sameHash } from '../sessions/tokens.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { PathOwner } from '../http/request-router.ts';
import { websocketOnly } from '../http/websocket-only.ts';
import { auditAgentRefusal } from './agent-link.ts';

/**
 * The host agent's own socket.io server on the same HTTPS port, at AGENT_SOCKET_PATH.
 * It takes messages up to AGENT_MAX_MESSAGE_BYTES (a big set's snapshot), which the
 * browsers' server must not; so it admits only a request that carries the device token
 * in its handshake headers, before a single message is read. The `/agent` namespace
 * then checks the token again with the protocol version and the one-agent rule.
 */
export function createAgentSocketServer(
  deviceTokenHash: () => string | null,
  audit: AuditSink,
): { io: SocketServer<AgentReceivedByServer, AgentServerEvents>; owner: PathOwner } {
  return websocketOnly<AgentReceivedByServer, AgentServerEvents>({
    path: AGENT_SOCKET_PATH,
    maxHttpBufferSize: AGENT_MAX_MESSAGE_BYTES,
    allowRequest: (req, callback) => {
      const header = req.headers[AGENT_TOKEN_HEADER];
      const token = Array.isArray(header) ? header[0] : header;
      const expected = deviceTokenHash();
      if (token && expected && token.length <= 256 && sameHash(hashToken(token), expected)) {
        callback(null, true);
        return;
      }
      auditAgentRefusal(audit, wireError('UNAUTHENTICATED', 'agent handshake without the device token header'), req.socket.remoteAddress ?? '');
      callback('UNAUTHENTICATED', false);
    },
  });
}
