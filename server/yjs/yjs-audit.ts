import type { AuditSink } from '../audit/audit-sink.ts';
import type { ConnectionHooks } from './yjs-connection.ts';

/**
 * What the y-websocket connections tell the host: dropped writes to a read-only doc,
 * refused notes updates (past their size, H7), and readers too slow to keep.
 */
export function yjsAuditHooks(audit: AuditSink): Pick<ConnectionHooks, 'onViolation' | 'onRefused' | 'onTooSlow'> {
  return {
    onViolation: (owner, channel, reason) => audit.record({ kind: 'yjs_violation', sessionId: owner.sessionId, detail: `${channel}: ${reason}` }),
    onRefused: (owner, channel, error) => audit.record({ kind: 'notes_refused', sessionId: owner.sessionId, code: error.code, ok: false, detail: `${channel}: ${error.message}` }),
    onTooSlow: (owner, channel, bytes) => audit.record({ kind: 'yjs_too_slow', sessionId: owner.sessionId, detail: `${channel}: ${Math.round(bytes / 1024)} KB not yet read; dropped, it resyncs on reconnect` }),
  };
}
