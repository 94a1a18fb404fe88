import type { AuditEntry } from '../../protocol/index.ts';

/**
 * Where every command (accepted or refused), join, kick and refusal at the door is
 * recorded. The server's sink is the persisted, rotated log (server/persistence/audit-log.ts);
 * `at` is stamped there when the caller does not give it.
 */
export interface AuditSink {
  record(entry: Omit<AuditEntry, 'at'> & { at?: number }): void;
}
