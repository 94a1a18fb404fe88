import path from 'node:path';
import { z } from 'zod';
import { AUDIO_FORMATS, type FileLimits } from '../../protocol/index.ts';
import { BatchedFile } from '../persistence/batched-file.ts';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

/** What a classroom gets until the host changes it: room for a song's stems, not a disk's worth. */
export const DEFAULT_LIMITS: FileLimits = {
  dropsEnabled: true,
  maxFileBytes: 512 * MiB,
  dailyQuotaBytes: 2 * GiB,
  diskFloorBytes: 2 * GiB,
};

const FileLimitsSchema = z.object({
  dropsEnabled: z.boolean(),
  maxFileBytes: z.number().int().nonnegative(),
  dailyQuotaBytes: z.number().int().nonnegative(),
  diskFloorBytes: z.number().int().nonnegative(),
});

const SenderSchema = z.object({ sessionId: z.string(), name: z.string(), role: z.string(), at: z.number() });

export const StoredFileSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  name: z.string(),
  path: z.string(),
  /** The folder it was stored under, which it must resolve inside to be served. */
  root: z.string(),
  where: z.enum(['set', 'drops']),
  room: z.string(),
  format: z.enum(AUDIO_FORMATS),
  codec: z.string(),
  bytes: z.number().int().nonnegative(),
  seconds: z.number(),
  sampleRate: z.number(),
  channels: z.number().int(),
  at: z.number(),
  senders: z.array(SenderSchema),
});
export type StoredFile = z.infer<typeof StoredFileSchema>;

const FilesFileSchema = z.object({
  version: z.literal(1),
  limits: FileLimitsSchema,
  files: z.record(z.string(), StoredFileSchema),
  /** Bytes each session sent (or has reserved for uploads in progress) on its current day. */
  usage: z.record(z.string(), z.object({ day: z.string(), bytes: z.number() })),
  /** Uploads in progress: their reservation against the sender's quota. */
  uploads: z.record(z.string(), z.object({ sessionId: z.string(), bytes: z.number(), day: z.string(), at: z.number() })),
  /** Finished uploads → the file they became, so a client that missed the last answer can ask. */
  finished: z.record(z.string(), z.object({ sessionId: z.string(), fileId: z.string(), duplicate: z.boolean(), at: z.number() })),
});
type FilesFile = z.infer<typeof FilesFileSchema>;

const FINISHED_KEEP_MS = 24 * 3600_000;

/** The calendar day (local time on the studio machine) a quota counts against. */
export function dayOf(at: number): string {
  const d = new Date(at);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/**
 * `files.json` in the data dir: the stored drops (content id → where and what), the
 * host's limits, each session's usage today, uploads in progress and recently finished.
 * Written in batches like the rest of the data dir.
 */
export class FileIndex {
  private constructor(private readonly file: BatchedFile<FilesFile>, private readonly now: () => number) {}

  static async open(dataDir: string, now: () => number = Date.now): Promise<FileIndex> {
    const file = await BatchedFile.open<FilesFile>({
      file: path.join(dataDir, 'files.json'),
      schema: FilesFileSchema,
      initial: () => ({ version: 1, limits: { ...DEFAULT_LIMITS }, files: {}, usage: {}, uploads: {}, finished: {} }),
    });
    const index = new FileIndex(file, now);
    index.prune();
    return index;
  }

  get limits(): FileLimits {
    return { ...this.file.data.limits };
  }

  setLimits(change: Partial<FileLimits>): FileLimits {
    this.file.change((d) => { d.limits = { ...d.limits, ...change }; });
    return this.limits;
  }

  get(fileId: string): StoredFile | undefined {
    return Object.hasOwn(this.file.data.files, fileId) ? this.file.data.files[fileId] : undefined;
  }

  all(): StoredFile[] {
    return Object.values(this.file.data.files).sort((a, b) => b.at - a.at);
  }

  add(entry: StoredFile): void {
    this.file.change((d) => { d.files[entry.id] = entry; });
  }

  addSender(fileId: string, sender: StoredFile['senders'][number]): void {
    this.file.change((d) => {
      const f = d.files[fileId];
      if (f && !f.senders.some((s) => s.sessionId === sender.sessionId)) f.senders.push(sender);
    });
  }

  remove(fileId: string): StoredFile | undefined {
    const entry = this.get(fileId);
    if (entry) this.file.change((d) => { delete d.files[fileId]; });
    return entry;
  }

  /** Bytes this session has sent or reserved today. */
  usedToday(sessionId: string): number {
    const u = this.file.data.usage[sessionId];
    return u && u.day === dayOf(this.now()) ? u.bytes : 0;
  }

  /** Counts an upload's whole length against its sender's day, at creation. */
  reserve(uploadId: string, sessionId: string, bytes: number): void {
    const day = dayOf(this.now());
    this.file.change((d) => {
      const u = d.usage[sessionId];
      d.usage[sessionId] = { day, bytes: (u && u.day === day ? u.bytes : 0) + bytes };
      d.uploads[uploadId] = { sessionId, bytes, day, at: this.now() };
    });
  }

  /** An upload refused, cancelled or abandoned gives its reservation back. */
  release(uploadId: string): void {
    const r = this.file.data.uploads[uploadId];
    if (!r) return;
    this.file.change((d) => {
      delete d.uploads[uploadId];
      const u = d.usage[r.sessionId];
      if (u && u.day === r.day) u.bytes = Math.max(0, u.bytes - r.bytes);
    });
  }

  upload(uploadId: string): { sessionId: string; bytes: number } | undefined {
    return Object.hasOwn(this.file.data.uploads, uploadId) ? this.file.data.uploads[uploadId] : undefined;
  }

  unfinishedOf(sessionId: string): number {
    return Object.values(this.file.data.uploads).filter((u) => u.sessionId === sessionId).length;
  }

  /** Bytes still to arrive for every upload in progress (the disk must hold them too). */
  reservedBytes(): number {
    return Object.values(this.file.data.uploads).reduce((n, u) => n + u.bytes, 0);
  }

  finish(uploadId: string, sessionId: string, fileId: string, duplicate: boolean): void {
    this.file.change((d) => {
      delete d.uploads[uploadId];
      d.finished[uploadId] = { sessionId, fileId, duplicate, at: this.now() };
    });
  }

  finished(uploadId: string): { sessionId: string; fileId: string; duplicate: boolean } | undefined {
    return Object.hasOwn(this.file.data.finished, uploadId) ? this.file.data.finished[uploadId] : undefined;
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  /** Old days' usage and finished uploads older than a day are forgotten. */
  prune(): void {
    const today = dayOf(this.now());
    const d = this.file.data;
    const staleUsage = Object.entries(d.usage).filter(([, u]) => u.day !== today).map(([id]) => id);
    const staleFinished = Object.entries(d.finished).filter(([, f]) => this.now() - f.at > FINISHED_KEEP_MS).map(([id]) => id);
    if (staleUsage.length === 0 && staleFinished.length === 0) return;
    this.file.change((data) => {
      for (const id of staleUsage) delete data.usage[id];
      for (const id of staleFinished) delete data.finished[id];
    });
  }
}
