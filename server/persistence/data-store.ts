import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AuditLog, type AuditLogOptions } from './audit-log.ts';
import { BatchedFile } from './batched-file.ts';
import { PersistenceError } from './persistence-error.ts';
import { NotesFileSchema, StateFileSchema, emptyNotes, emptyState, type NotesFile, type StateFile } from './schema.ts';
import { NotesStore } from './notes-store.ts';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from './private-json-file.ts';
import { corruptNotes } from './notes-check.ts';

export interface DataStoreOptions {
  dir: string;
  /**
   * The host asked to start over with the notes (`--reset-notes`): a notes file that is
   * corrupt or holds a broken doc is copied aside (`notes.json.corrupt-<time>`) and the
   * broken docs start empty. Without it, such a file stops the start.
   */
  resetNotes?: boolean;
  flushDelayMs?: number;
  audit?: Omit<AuditLogOptions, 'dir'>;
}

/**
 * The data dir: `state.json` (rooms, join codes, hashed session and device tokens,
 * roles, assignments), `notes.json` (the notes docs) and `audit/` (rotated segments).
 * Once state.json exists, the others are expected: a missing one is an error.
 */
export class DataStore {
  private constructor(
    readonly dir: string,
    readonly state: BatchedFile<StateFile>,
    readonly notes: NotesStore,
    readonly audit: AuditLog,
    /** False on the very first start in this dir. */
    readonly existed: boolean,
    /** Where `--reset-notes` put the broken notes file, when it did. */
    readonly quarantinedNotes: string | null = null,
  ) {}

  static async open(opts: DataStoreOptions): Promise<DataStore> {
    await ensurePrivateDir(opts.dir);
    const stateFile = path.join(opts.dir, 'state.json');
    const notesFile = path.join(opts.dir, 'notes.json');
    const auditDir = path.join(opts.dir, 'audit');
    const existed = await exists(stateFile);
    if (!existed && (await exists(notesFile) || await hasEntries(auditDir))) {
      throw new PersistenceError(stateFile, 'missing', 'notes or audit files exist, so this data dir was used before');
    }
    const flushDelayMs = opts.flushDelayMs ?? 250;
    const state = await BatchedFile.open<StateFile>({ file: stateFile, schema: StateFileSchema, initial: emptyState, flushDelayMs, mayCreate: !existed });
    let quarantined: string | null = null;
    const notes = await NotesStore.open(async (beforeWrite) => {
      const open = (): Promise<BatchedFile<NotesFile>> => BatchedFile.open<NotesFile>({
        file: notesFile, schema: NotesFileSchema, initial: emptyNotes, flushDelayMs, mayCreate: !existed, beforeWrite,
      });
      let file: BatchedFile<NotesFile>;
      try {
        file = await open();
      } catch (err) {
        if (!opts.resetNotes || !(err instanceof PersistenceError) || err.reason === 'missing') throw err;
        quarantined = await quarantine(notesFile);
        await fs.rm(notesFile);
        file = await BatchedFile.open<NotesFile>({ file: notesFile, schema: NotesFileSchema, initial: emptyNotes, flushDelayMs, beforeWrite });
      }
      const broken = corruptNotes(file.data);
      if (broken.length === 0) return file;
      const what = broken.map((b) => `the notes of room "${b.room}" are ${b.reason}`).join('; ');
      if (!opts.resetNotes) throw new PersistenceError(notesFile, 'invalid', what, 'fix or move it away, or start once with --reset-notes to keep a copy and begin with empty notes for that room');
      quarantined ??= await quarantine(notesFile);
      file.change((d) => { for (const b of broken) delete d.docs[b.room]; });
      await file.flush();
      return file;
    });
    const audit = await AuditLog.open({ flushDelayMs, ...opts.audit, dir: auditDir, mustExist: existed });
    return new DataStore(opts.dir, state, notes, audit, existed, quarantined);
  }

  /** Write everything pending; a clean shutdown awaits this. */
  async flush(): Promise<void> {
    await Promise.all([this.state.flush(), this.notes.flush(), this.audit.flush()]);
  }
}

/** A private copy of a file the host chose to reset, next to it; returns its path. */
async function quarantine(file: string): Promise<string> {
  const copy = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await fs.copyFile(file, copy);
  await fs.chmod(copy, PRIVATE_FILE_MODE);
  return copy;
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

async function hasEntries(dir: string): Promise<boolean> {
  return fs.readdir(dir).then((names) => names.length > 0, () => false);
}
