import type { AuditEntry } from '../../protocol/index.ts';

export interface AuditSink {
  record(entry: Omit<AuditEntry, 'at'> & { at?: number }): void;
}

export interface AuditQuery { kind?: string; sessionId?: string; onlyErrors?: boolean; limit: number }

/**
 * The room's audit trail: every command (accepted or refused), join, kick and refusal
 * at the door. Kept in a bounded ring here; the persistence layer drains it in batches.
 */
export class AuditLog implements AuditSink {
  private readonly entries: AuditEntry[] = [];
  private readonly listeners = new Set<(entry: AuditEntry) => void>();

  constructor(private readonly capacity = 20_000, private readonly now: () => number = Date.now) {}

  record(entry: Omit<AuditEntry, 'at'> & { at?: number }): void {
    const full: AuditEntry = { ...entry, at: entry.at ?? this.now() };
    this.entries.push(full);
    // Trim in chunks: one splice per quarter-capacity records keeps recording O(1) amortised.
    if (this.entries.length > this.capacity + (this.capacity >> 2)) this.entries.splice(0, this.entries.length - this.capacity);
    for (const listener of this.listeners) listener(full);
  }

  /** Persistence subscribes here to batch entries to disk. */
  onRecord(listener: (entry: AuditEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  query(q: AuditQuery): AuditEntry[] {
    const out: AuditEntry[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < q.limit; i--) {
      const e = this.entries[i]!;
      if (q.kind && e.kind !== q.kind) continue;
      if (q.sessionId && e.sessionId !== q.sessionId) continue;
      if (q.onlyErrors && e.ok !== false) continue;
      out.push(e);
    }
    return out;
  }

  get size(): number {
    return this.entries.length;
  }
}
