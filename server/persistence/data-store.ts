import { promises as fs } from 'node:fs';
import path from 'node:path';
import { AuditLog, type AuditLogOptions } from './audit-log.ts';
import { BatchedFile } from './batched-file.ts';
import { PersistenceError } from './persistence-error.ts';
import { NotesFileSchema, StateFileSchema, emptyNotes, emptyState, type NotesFile, type StateFile } from './schema.ts';
import { NotesStore } from './notes-store.ts';
import { ensurePrivateDir } from './private-json-file.ts';

export interface DataStoreOptions {
  dir: string;
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
    const notes = await NotesStore.open(async (beforeWrite) => BatchedFile.open<NotesFile>({
      file: notesFile, schema: NotesFileSchema, initial: emptyNotes, flushDelayMs, mayCreate: !existed, beforeWrite,
    }));
    const audit = await AuditLog.open({ flushDelayMs, ...opts.audit, dir: auditDir, mustExist: existed });
    return new DataStore(opts.dir, state, notes, audit, existed);
  }

  /** Write everything pending; a clean shutdown awaits this. */
  async flush(): Promise<void> {
    await Promise.all([this.state.flush(), this.notes.flush(), this.audit.flush()]);
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

async function hasEntries(dir: string): Promise<boolean> {
  return fs.readdir(dir).then((names) => names.length > 0, () => false);
}
