import { readdir, rm, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type express from 'express';
import {
  UPLOAD_ID_PATTERN, wireError,
  type AgentCommand, type AgentResult, type Command, type FileAllowance, type StoredFileView, type UploadAnswer, type WireError,
} from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { RequestAuth } from '../http/request-auth.ts';
import type { RoomSocket } from '../http/room-namespace.ts';
import { probeAudio } from './audio-check.ts';
import { cleanSegment, storedFileName } from './file-names.ts';
import { FileIndex, type StoredFile } from './file-index.ts';
import { placeWithoutOverwrite, sha256File } from './file-storage.ts';
import { SetFiles } from './set-files.ts';
import { TransferCounter } from './transfers.ts';
import { TusRefusal } from './tus-refusal.ts';
import { UploadEndpoint, type UploadPolicy } from './upload-endpoint.ts';
import { UploadPacer, type UploadPacerOptions } from './upload-pacer.ts';
import { filesRouter } from './files-router.ts';
import { registerFileHostPowers } from './files-host-powers.ts';

/** A session may have this many uploads started and not finished (paused ones count). */
export const MAX_UNFINISHED_UPLOADS = 6;

export interface FilesServiceDeps {
  dataDir: string;
  room: { readonly name: string; readonly locked: boolean };
  auth: RequestAuth;
  audit: AuditSink;
  agent: { dispatch(command: AgentCommand, done: (result: AgentResult) => void): void; readonly liveConnected: boolean };
  /** The mirror's view of a clip slot, for the early "filled meanwhile" check. */
  slot(id: string): { hasClip: boolean; rev: string | null } | null;
  /** Transfers changed: the load line should be sent again. */
  onLoadChange(): void;
  /** An upload untouched this long is abandoned and removed (default 24 h). */
  abandonAfterMs?: number;
  sweepEveryMs?: number;
  pacing?: UploadPacerOptions;
}

export interface Destination { dir: string; root: string; where: 'set' | 'drops' }

/**
 * Files carried between the room and the studio (docs/files.md): resumable uploads,
 * checked audio stored once per content beside the set or in the drops folder, the
 * takes the set references, downloads, and the host's controls. One instance per
 * server; the composition root mounts `router()` at /api/files, calls `onConnection`
 * for each /room socket and lets the command pipeline `resolve` file ids.
 */
export class FilesService {
  readonly transfers = new TransferCounter();
  readonly uploads: UploadEndpoint;
  readonly setFiles: SetFiles;
  readonly dropsDir: string;
  /** One rate for every upload and hash, following the event loop's delay (control first). */
  readonly pacer: UploadPacer;
  private readonly sweeper: NodeJS.Timeout;
  private readonly abandonAfterMs: number;

  private constructor(readonly index: FileIndex, private readonly deps: FilesServiceDeps) {
    this.dropsDir = path.join(deps.dataDir, 'drops');
    this.abandonAfterMs = deps.abandonAfterMs ?? 24 * 3600_000;
    this.pacer = new UploadPacer(deps.pacing);
    this.uploads = new UploadEndpoint(path.join(deps.dataDir, 'uploads'), this.pacer, this.policy());
    this.setFiles = new SetFiles({ dispatch: (c) => new Promise((resolve) => deps.agent.dispatch(c, resolve)), liveConnected: () => deps.agent.liveConnected });
    this.transfers.onChange(() => deps.onLoadChange());
    this.sweeper = setInterval(() => void this.sweep(), deps.sweepEveryMs ?? Math.min(10 * 60_000, Math.max(1_000, Math.floor(this.abandonAfterMs / 4))));
    this.sweeper.unref();
  }

  static async open(deps: FilesServiceDeps): Promise<FilesService> {
    const service = new FilesService(await FileIndex.open(deps.dataDir), deps);
    await service.sweep();
    return service;
  }

  router(): express.Router {
    return filesRouter(this, { auth: this.deps.auth, audit: this.deps.audit });
  }

  onConnection(socket: RoomSocket, sessionId: string, sessionOf: (id: string) => Session | undefined): void {
    registerFileHostPowers(socket, sessionId, { files: this, audit: this.deps.audit, sessionOf });
  }

  transfersBySession(): Map<string, { uploads: number; downloads: number }> {
    return this.transfers.bySession();
  }

  /**
   * The pipeline's hook for `clip_slot.create_audio_clip`: the browser names a stored
   * file by id; Live gets its path. Unknown ids and slots already filled are refused here,
   * before the queue; the Remote Script checks the slot again on Live's thread.
   */
  resolve(command: Command): { args: Record<string, unknown> } | WireError | null {
    if (command.action !== 'clip_slot.create_audio_clip') return null;
    const fileId = command.args.file;
    const entry = typeof fileId === 'string' ? this.index.get(fileId) : undefined;
    if (!entry || entry.room !== this.deps.room.name) return wireError('NOT_FOUND', 'no stored file with that id in this room (deleted by the host?)');
    const slot = command.target ? this.deps.slot(command.target) : null;
    if (slot?.hasClip) return wireError('CONFLICT', `${command.target} was filled meanwhile`, { current: { value: true, rev: slot.rev } });
    return { args: { file: entry.id, path: entry.path } };
  }

  view(entry: StoredFile, session: Pick<Session, 'id'>): StoredFileView {
    return {
      id: entry.id, name: entry.name, format: entry.format, codec: entry.codec, bytes: entry.bytes, seconds: entry.seconds,
      sampleRate: entry.sampleRate, channels: entry.channels, at: entry.at, where: entry.where,
      mine: entry.senders.some((s) => s.sessionId === session.id),
      fromHost: entry.senders.some((s) => s.role === 'host'),
    };
  }

  roomFiles(): StoredFile[] {
    return this.index.all().filter((f) => f.room === this.deps.room.name);
  }

  allowance(session: Session): FileAllowance {
    const limits = this.index.limits;
    const host = session.role === 'host';
    return {
      dropsEnabled: limits.dropsEnabled,
      maxFileBytes: limits.maxFileBytes,
      quotaBytes: host ? null : limits.dailyQuotaBytes,
      usedTodayBytes: this.index.usedToday(session.id),
      unfinished: this.index.unfinishedOf(session.id),
    };
  }

  /** Where a session's next file lands: beside the saved set when Live says where it is. */
  async destination(session: Pick<Session, 'name'>, options: { fresh: boolean } = { fresh: true }): Promise<Destination> {
    const who = cleanSegment(session.name, 'guest');
    if (options.fresh) this.setFiles.forget(); // where the set is saved now, not two seconds ago
    const setPath = (await this.setFiles.current())?.setPath ?? null;
    if (setPath && path.isAbsolute(setPath)) {
      const setDir = path.dirname(setPath);
      if (await isDirectory(setDir)) {
        const root = path.join(setDir, 'Samples', 'Imported', 'Roomtone');
        return { dir: path.join(root, who), root, where: 'set' };
      }
    }
    return { dir: path.join(this.dropsDir, who), root: this.dropsDir, where: 'drops' };
  }

  async freeBytes(): Promise<number | null> {
    try {
      const s = await statfs(this.uploads.store.dir);
      return s.bavail * s.bsize;
    } catch {
      return null;
    }
  }

  /** The host deletes a drop: the file goes from disk and from the list. */
  async deleteFile(fileId: string, referenced: (file: string) => Promise<boolean | null>): Promise<StoredFile | WireError> {
    const entry = this.index.get(fileId);
    if (!entry || entry.room !== this.deps.room.name) return wireError('NOT_FOUND', 'no such stored file');
    const used = await referenced(entry.path);
    if (used) return wireError('CONFLICT', 'the set uses this file: delete its clips in Live first, or Live will show them as missing');
    // Beside the set, a file Live may use is not deleted blind.
    if (used === null && entry.where === 'set') return wireError('LIVE_OFFLINE', 'Live is not connected, so it cannot tell whether the set uses this file');
    const gone = await rm(entry.path, { force: true }).then(() => true, () => false);
    if (!gone) return wireError('INTERNAL', 'the file could not be deleted from the studio disk');
    this.index.remove(fileId);
    return entry;
  }

  /** Abandoned uploads (untouched past the grace period) and stray pieces go. */
  async sweep(): Promise<void> {
    this.index.prune();
    const dir = this.uploads.store.dir;
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      return;
    }
    const now = Date.now();
    for (const name of names) {
      const id = name.endsWith('.json') ? name.slice(0, -5) : name;
      if (!UPLOAD_ID_PATTERN.test(id) || this.uploads.isStoring(id)) continue;
      if (name.endsWith('.json') && names.includes(id)) continue; // judged by its data file
      const touched = await stat(path.join(dir, name)).then((s) => s.mtimeMs, () => null);
      if (touched === null || now - touched <= this.abandonAfterMs) continue;
      await this.uploads.store.remove(id).catch(() => rm(path.join(dir, name), { force: true }));
      const owner = this.index.upload(id)?.sessionId;
      this.index.release(id);
      this.deps.audit.record({ kind: 'file_upload', ...(owner ? { sessionId: owner } : {}), target: id, ok: false, code: 'NOT_FOUND', detail: `abandoned: untouched for ${Math.round((now - touched) / 60_000)} min, removed` });
    }
  }

  close(): Promise<void> {
    clearInterval(this.sweeper);
    this.transfers.close();
    this.pacer.close();
    return this.index.flush();
  }

  private policy(): UploadPolicy {
    return {
      admit: (session, bytes) => this.admit(session, bytes),
      mayContinue: async () => {
        const free = await this.freeBytes();
        const floor = this.index.limits.diskFloorBytes;
        return free !== null && free < floor ? wireError('DISK_FULL', 'the studio disk reached its free-space floor; the upload is paused', { limit: floor }) : null;
      },
      reserve: (uploadId, session, bytes) => {
        this.index.reserve(uploadId, session.id, bytes);
        this.deps.audit.record({ kind: 'file_upload', sessionId: session.id, name: session.name, ip: session.ip, target: uploadId, ok: true, detail: `started: ${bytes} bytes` });
      },
      ownerOf: (uploadId) => this.index.upload(uploadId)?.sessionId,
      store: (uploadId, session, dataPath, bytes, filename) => this.store(uploadId, session, dataPath, bytes, filename),
      discarded: (uploadId, session, error) => {
        const owner = session?.id ?? this.index.upload(uploadId)?.sessionId;
        this.index.release(uploadId);
        this.transfers.forget('uploads', uploadId);
        this.deps.audit.record({ kind: 'file_upload', ...(owner ? { sessionId: owner } : {}), ...(session ? { name: session.name, ip: session.ip } : {}), target: uploadId, ok: false, code: error.code, detail: error.message });
      },
    };
  }

  private async admit(session: Session, bytes: number | null): Promise<WireError | null> {
    const host = session.role === 'host';
    if (session.role === 'observer') return wireError('FORBIDDEN', 'observers watch and listen; they cannot send files');
    if (!session.canControl && !host) return wireError('FORBIDDEN', 'the host has paused your control');
    if (this.deps.room.locked && !host) return wireError('ROOM_LOCKED', 'the host locked the room');
    const limits = this.index.limits;
    if (!limits.dropsEnabled && !host) return wireError('DROPS_OFF', 'the host turned file drops off');
    if (bytes === null) return wireError('INVALID', 'an upload must say its length (Upload-Length); deferred lengths are not accepted');
    if (bytes === 0) return wireError('NOT_AUDIO', 'the file is empty');
    if (bytes > limits.maxFileBytes) return wireError('FILE_TOO_LARGE', `the file has ${bytes} bytes; the cap is ${limits.maxFileBytes}`, { limit: limits.maxFileBytes });
    if (!host) {
      if (this.index.unfinishedOf(session.id) >= MAX_UNFINISHED_UPLOADS) {
        return wireError('QUOTA_EXCEEDED', `you have ${MAX_UNFINISHED_UPLOADS} uploads unfinished: finish or cancel one first`);
      }
      const used = this.index.usedToday(session.id);
      if (used + bytes > limits.dailyQuotaBytes) {
        return wireError('QUOTA_EXCEEDED', `you sent ${used} bytes today; this file would pass the daily quota of ${limits.dailyQuotaBytes}`, { limit: limits.dailyQuotaBytes });
      }
    }
    const free = await this.freeBytes();
    if (free !== null && free - this.index.reservedBytes() - bytes < limits.diskFloorBytes) {
      return wireError('DISK_FULL', `the studio disk has ${free} bytes free and must keep ${limits.diskFloorBytes}`, { limit: limits.diskFloorBytes });
    }
    return null;
  }

  private async store(uploadId: string, session: Session, dataPath: string, bytes: number, filename: string): Promise<UploadAnswer> {
    const probe = await probeAudio(dataPath, bytes);
    if ('code' in probe) throw new TusRefusal(probe);
    const id = await sha256File(dataPath, () => this.pacer.stream());
    const sender = { sessionId: session.id, name: session.name, role: session.role, at: Date.now() };
    const existing = this.index.get(id);
    if (existing && existing.room === this.deps.room.name && await isFile(existing.path)) {
      this.index.addSender(id, sender);
      await this.uploads.store.remove(uploadId);
      this.index.finish(uploadId, session.id, id, true);
      this.transfers.forget('uploads', uploadId);
      this.deps.audit.record({ kind: 'file_upload', sessionId: session.id, name: session.name, ip: session.ip, target: id, ok: true, detail: `${existing.name}: identical to a stored file, not stored again` });
      return { file: this.view(this.index.get(id) ?? existing, session), duplicate: true };
    }
    const dest = await this.destination(session);
    const target = await placeWithoutOverwrite(dataPath, dest.dir, storedFileName(filename, probe.format));
    await this.uploads.store.remove(uploadId);
    const entry: StoredFile = {
      id, name: path.basename(target), path: target, root: dest.root, where: dest.where, room: this.deps.room.name,
      format: probe.format, codec: probe.codec, bytes, seconds: probe.seconds, sampleRate: probe.sampleRate, channels: probe.channels,
      at: Date.now(), senders: [sender],
    };
    this.index.add(entry);
    this.index.finish(uploadId, session.id, id, false);
    this.transfers.forget('uploads', uploadId);
    this.deps.audit.record({ kind: 'file_upload', sessionId: session.id, name: session.name, ip: session.ip, target: id, ok: true, detail: `stored ${entry.name} (${probe.format}, ${bytes} bytes, ${probe.seconds.toFixed(1)} s) ${dest.where === 'set' ? 'beside the set' : 'in the drops folder'}` });
    return { file: this.view(entry, session), duplicate: false };
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  return stat(dir).then((s) => s.isDirectory(), () => false);
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then((s) => s.isFile(), () => false);
}
