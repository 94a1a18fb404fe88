import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AuditEntrySchema, type AuditEntry } from '../../protocol/index.ts';
import type { AuditRecord, AuditSink } from '../audit/audit-sink.ts';
import { BatchedFile } from './batched-file.ts';
import { PersistenceError } from './persistence-error.ts';

const SegmentSchema = z.object({ entries: z.array(AuditEntrySchema) });
type Segment = z.infer<typeof SegmentSchema>;

export interface AuditLogOptions {
  dir: string;
  maxEntriesPerFile?: number;
  maxBytesPerFile?: number;
  /** Older files beyond this many are deleted; the log is bounded on disk. */
  maxFiles?: number;
  flushDelayMs?: number;
}

export interface AuditQuery {
  kind?: string;
  sessionId?: string;
  onlyErrors?: boolean;
  since?: number;
  limit?: number;
}

const SEGMENT = /^audit-(\d{6})\.json$/;
const segmentName = (seq: number): string => `audit-${String(seq).padStart(6, '0')}.json`;

/**
 * The audit log as a series of bounded lowdb files. Only the newest file is ever
 * rewritten, so a write costs at most one segment however long the log grows.
 */
export class AuditLog implements AuditSink {
  #segments: Array<{ seq: number; file: BatchedFile<Segment>; bytes: number }> = [];

  private constructor(private readonly opts: Required<AuditLogOptions>) {}

  static async open(options: AuditLogOptions & { mustExist?: boolean }): Promise<AuditLog> {
    const opts = { maxEntriesPerFile: 2000, maxBytesPerFile: 512 * 1024, maxFiles: 10, flushDelayMs: 250, ...options };
    await fs.mkdir(opts.dir, { recursive: true, mode: 0o700 });
    const seqs = (await fs.readdir(opts.dir))
      .map((name) => SEGMENT.exec(name)?.[1]).filter((s): s is string => s !== undefined).map(Number).sort((a, b) => a - b);
    if (seqs.length === 0 && options.mustExist) throw new PersistenceError(path.join(opts.dir, segmentName(1)), 'missing', 'the data dir was used before but its audit log is gone');
    const log = new AuditLog(opts);
    for (const seq of seqs.length ? seqs : [1]) await log.#openSegment(seq);
    return log;
  }

  async #openSegment(seq: number): Promise<void> {
    const file = await BatchedFile.open<Segment>({
      file: path.join(this.opts.dir, segmentName(seq)),
      schema: SegmentSchema,
      initial: () => ({ entries: [] }),
      flushDelayMs: this.opts.flushDelayMs,
    });
    const bytes = file.data.entries.reduce((n, e) => n + JSON.stringify(e).length + 1, 0);
    this.#segments.push({ seq, file, bytes });
  }

  record(entry: AuditRecord): void {
    this.#append({ ...entry, at: entry.at ?? Date.now() });
  }

  #append(entry: AuditEntry): void {
    const current = this.#segments.at(-1)!;
    current.file.change((d) => { d.entries.push(entry); });
    current.bytes += JSON.stringify(entry).length + 1;
    if (current.file.data.entries.length >= this.opts.maxEntriesPerFile || current.bytes >= this.opts.maxBytesPerFile) {
      void this.#rotate().catch(() => undefined); // a failure surfaces through flush()
    }
  }

  #rotating: Promise<void> | null = null;

  #rotate(): Promise<void> {
    this.#rotating ??= (async () => {
      const full = this.#segments.at(-1)!;
      await this.#openSegment(full.seq + 1);
      await full.file.flush();
      while (this.#segments.length > this.opts.maxFiles) {
        const oldest = this.#segments.shift()!;
        await oldest.file.flush();
        await fs.rm(path.join(this.opts.dir, segmentName(oldest.seq)), { force: true });
      }
    })().finally(() => { this.#rotating = null; });
    return this.#rotating;
  }

  /** Newest first. */
  query(q: AuditQuery = {}): AuditEntry[] {
    const limit = q.limit ?? 200;
    const out: AuditEntry[] = [];
    for (let s = this.#segments.length - 1; s >= 0 && out.length < limit; s--) {
      const entries = this.#segments[s]!.file.data.entries;
      for (let i = entries.length - 1; i >= 0 && out.length < limit; i--) {
        const e = entries[i]!;
        if (q.kind && e.kind !== q.kind) continue;
        if (q.sessionId && e.sessionId !== q.sessionId) continue;
        if (q.onlyErrors && e.ok !== false && e.code === undefined) continue;
        if (q.since !== undefined && e.at < q.since) continue;
        out.push(e);
      }
    }
    return out;
  }

  get fileCount(): number {
    return this.#segments.length;
  }

  get writeCount(): number {
    return this.#segments.reduce((n, s) => n + s.file.writeCount, 0);
  }

  async flush(): Promise<void> {
    if (this.#rotating) await this.#rotating;
    for (const s of this.#segments) await s.file.flush();
  }
}
