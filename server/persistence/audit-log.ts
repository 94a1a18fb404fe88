import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AuditEntrySchema, type AuditEntry } from '../../protocol/index.ts';
import type { AuditRecord, AuditSink } from '../audit/audit-sink.ts';
import { capEntry } from '../audit/audit-entry-caps.ts';
import { isGroupedEntry, isSecurityEntry } from '../audit/audit-classes.ts';
import { RefusalGroups } from '../audit/refusal-groups.ts';
import { BatchedFile } from './batched-file.ts';
import { PersistenceError } from './persistence-error.ts';
import { ensurePrivateDir } from './private-json-file.ts';

const SegmentSchema = z.object({ entries: z.array(AuditEntrySchema) });
type Segment = z.infer<typeof SegmentSchema>;

export interface AuditLogOptions {
  dir: string;
  maxEntriesPerFile?: number;
  maxBytesPerFile?: number;
  /** Older files beyond this many are deleted; the log is bounded on disk. */
  maxFiles?: number;
  flushDelayMs?: number;
  /** How long repeated refusals from one source are folded into one entry. */
  groupWindowMs?: number;
}

export interface AuditQuery {
  kind?: string;
  sessionId?: string;
  onlyErrors?: boolean;
  since?: number;
  limit?: number;
}

type SeriesOptions = Required<Omit<AuditLogOptions, 'dir' | 'groupWindowMs'>> & { dir: string; prefix: string };

/**
 * One rotated series of bounded lowdb files (`<prefix>-000001.json`, …). Only the newest
 * file is ever rewritten, so a write costs at most one segment however long it grows.
 */
class SegmentSeries {
  #segments: Array<{ seq: number; file: BatchedFile<Segment>; bytes: number }> = [];
  #rotating: Promise<void> | null = null;

  private constructor(private readonly opts: SeriesOptions) {}

  static async open(opts: SeriesOptions, mustExist: boolean): Promise<SegmentSeries> {
    const pattern = new RegExp(`^${opts.prefix}-(\\d{6})\\.json$`);
    const seqs = (await fs.readdir(opts.dir))
      .map((name) => pattern.exec(name)?.[1]).filter((s): s is string => s !== undefined).map(Number).sort((a, b) => a - b);
    if (seqs.length === 0 && mustExist) throw new PersistenceError(path.join(opts.dir, segmentName(opts.prefix, 1)), 'missing', 'the data dir was used before but its audit log is gone');
    const series = new SegmentSeries(opts);
    for (const seq of seqs.length ? seqs : [1]) await series.#openSegment(seq);
    return series;
  }

  async #openSegment(seq: number): Promise<void> {
    const file = await BatchedFile.open<Segment>({
      file: path.join(this.opts.dir, segmentName(this.opts.prefix, seq)),
      schema: SegmentSchema,
      initial: () => ({ entries: [] }),
      flushDelayMs: this.opts.flushDelayMs,
      // The newest segment is rewritten whole on every flush: indentation doubled the
      // cost of that stringify (2.4 % of the server's CPU at 5,000 commands/s, issue 17).
      compact: true,
    });
    const bytes = file.data.entries.reduce((n, e) => n + JSON.stringify(e).length + 1, 0);
    this.#segments.push({ seq, file, bytes });
  }

  append(entry: AuditEntry): void {
    const current = this.#segments.at(-1)!;
    current.file.change((d) => { d.entries.push(entry); });
    current.bytes += JSON.stringify(entry).length + 1;
    if (current.file.data.entries.length >= this.opts.maxEntriesPerFile || current.bytes >= this.opts.maxBytesPerFile) {
      void this.#rotate().catch(() => undefined); // a failure surfaces through flush()
    }
  }

  #rotate(): Promise<void> {
    this.#rotating ??= (async () => {
      const full = this.#segments.at(-1)!;
      await this.#openSegment(full.seq + 1);
      await full.file.flush();
      while (this.#segments.length > this.opts.maxFiles) {
        const oldest = this.#segments.shift()!;
        await oldest.file.flush();
        await fs.rm(path.join(this.opts.dir, segmentName(this.opts.prefix, oldest.seq)), { force: true });
      }
    })().finally(() => { this.#rotating = null; });
    return this.#rotating;
  }

  /** Newest first. */
  query(q: AuditQuery, limit: number): AuditEntry[] {
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

const segmentName = (prefix: string, seq: number): string => `${prefix}-${String(seq).padStart(6, '0')}.json`;

/**
 * The audit log: two rotated series in `data/audit/`. Security entries (joins, host
 * powers, kicks, IP mismatches, wrong PINs: audit-classes.ts) live in `security-*.json`,
 * everything else in `audit-*.json`, so a flood of refusals rotates only its own series
 * (H4). Every entry's fields are capped, and repeated refusals from one source are
 * folded into one entry a minute with their count.
 */
export class AuditLog implements AuditSink {
  readonly #groups: RefusalGroups;

  private constructor(private readonly general: SegmentSeries, private readonly security: SegmentSeries, groupWindowMs: number) {
    this.#groups = new RefusalGroups({ write: (entry) => this.#store(capEntry(entry)), windowMs: groupWindowMs });
  }

  static async open(options: AuditLogOptions & { mustExist?: boolean }): Promise<AuditLog> {
    const opts = { maxEntriesPerFile: 2000, maxBytesPerFile: 512 * 1024, maxFiles: 10, flushDelayMs: 250, ...options };
    await ensurePrivateDir(opts.dir);
    const series = (prefix: string): SeriesOptions => ({
      dir: opts.dir, prefix, maxEntriesPerFile: opts.maxEntriesPerFile, maxBytesPerFile: opts.maxBytesPerFile, maxFiles: opts.maxFiles, flushDelayMs: opts.flushDelayMs,
    });
    const general = await SegmentSeries.open(series('audit'), options.mustExist === true);
    // Absent in data dirs from before H4: it starts empty there.
    const security = await SegmentSeries.open(series('security'), false);
    return new AuditLog(general, security, opts.groupWindowMs ?? 60_000);
  }

  record(entry: AuditRecord): void {
    const capped = capEntry({ ...entry, at: entry.at ?? Date.now() });
    if (isGroupedEntry(capped)) this.#groups.add(capped);
    else this.#store(capped);
  }

  #store(entry: AuditEntry): void {
    (isSecurityEntry(entry) ? this.security : this.general).append(entry);
  }

  /** Newest first, from both series. */
  query(q: AuditQuery = {}): AuditEntry[] {
    const limit = q.limit ?? 200;
    const a = this.general.query(q, limit);
    const b = this.security.query(q, limit);
    const out: AuditEntry[] = [];
    let i = 0;
    let j = 0;
    while (out.length < limit && (i < a.length || j < b.length)) {
      if (j >= b.length || (i < a.length && a[i]!.at >= b[j]!.at)) out.push(a[i++]!);
      else out.push(b[j++]!);
    }
    return out;
  }

  get fileCount(): number {
    return this.general.fileCount + this.security.fileCount;
  }

  get writeCount(): number {
    return this.general.writeCount + this.security.writeCount;
  }

  async flush(): Promise<void> {
    await Promise.all([this.general.flush(), this.security.flush()]);
  }

  /** Writes the counts of refusals still being grouped now, instead of when their minute ends. */
  settle(): void {
    this.#groups.closeWindows(true);
  }

  /** A clean shutdown: the open counts are written, then everything is flushed. */
  async close(): Promise<void> {
    this.#groups.stop();
    await this.flush();
  }
}
