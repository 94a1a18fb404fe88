import type { AuditEntry, AuditKind } from '../../protocol/index.ts';

/**
 * Entries kept apart from the rest, where no flood can rotate them away (H4): each needs
 * a credential to cause (a join needs the code, a host power the host's session, an IP
 * mismatch or a kicked token a real token) or is bounded by a budget (a wrong PIN counts
 * against the room's PIN budget). Refusals anyone can cause go to the general log.
 */
const SECURITY_KINDS: ReadonlySet<string> = new Set<AuditKind>([
  'join', 'leave', 'session_refresh', 'session_expired',
  'host', 'ip_mismatch', 'kicked_token', 'pin_guessing',
  'certificate_renewed', 'certificate_error', 'certificate_warning', 'notes_reset',
]);

export function isSecurityEntry(entry: Pick<AuditEntry, 'kind' | 'code'>): boolean {
  return SECURITY_KINDS.has(entry.kind) || (entry.kind === 'join_refused' && entry.code === 'BAD_PIN');
}

/**
 * Refusals at the door that one source can repeat as fast as it likes: the first of a
 * kind from a source is written at once, the rest are counted and written as one entry
 * per minute (RefusalGroups). Commands are not grouped: each has its own id and answer.
 */
const GROUPED_KINDS: ReadonlySet<string> = new Set<AuditKind>([
  'origin_refused', 'join_refused', 'join_throttled', 'agent_refused', 'ip_mismatch', 'kicked_token',
  'host_refused', 'internal_error', 'connection_refused', 'yjs_violation', 'yjs_too_slow', 'notes_refused',
]);

export function isGroupedEntry(entry: Pick<AuditEntry, 'kind'>): boolean {
  return GROUPED_KINDS.has(entry.kind);
}
