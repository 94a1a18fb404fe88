import type { AuditEntry, AuditKind } from '../../protocol/index.ts';

/**
 * Where every command (accepted or refused), join, kick and refusal at the door is
 * recorded. The server's sink is the persisted, rotated log (server/persistence/audit-log.ts);
 * `at` is stamped there when the caller does not give it.
 */
export interface AuditSink {
  record(entry: AuditRecord): void;
}

/** An entry as a part writes it: a registered kind (protocol/audit-kinds.ts); `at` defaults to now. */
export type AuditRecord = Omit<AuditEntry, 'at' | 'kind'> & { kind: AuditKind; at?: number };
