import { Low } from 'lowdb';
import type { z } from 'zod';
import { PersistenceError } from './persistence-error.ts';
import { PrivateJsonFile } from './private-json-file.ts';

export interface BatchedFileOptions<T> {
  file: string;
  schema: z.ZodType<T>;
  initial: () => T;
  /** How long changes gather before one write; a burst of commands costs one write. */
  flushDelayMs?: number;
  /** When false, a missing file is an error (the data dir says it existed). */
  mayCreate?: boolean;
  /** Runs right before each write, e.g. to encode Y docs once per write, not per edit. */
  beforeWrite?: (data: T) => void;
  /** A scheduled write failed (disk full, permissions); it is retried after the delay. */
  onWriteError?: (err: PersistenceError) => void;
  /** Written without indentation (see PrivateJsonFile). */
  compact?: boolean;
}

/**
 * One lowdb JSON file whose changes are batched: `change()` edits the data in memory
 * and schedules a single write; `flush()` writes now. Writes never overlap.
 */
export class BatchedFile<T> {
  #db: Low<T>;
  #timer: NodeJS.Timeout | null = null;
  #dirty = false;
  #writing: Promise<void> = Promise.resolve();
  #writes = 0;
  #failure: PersistenceError | null = null;
  #failuresInARow = 0;

  private constructor(private readonly opts: BatchedFileOptions<T>, db: Low<T>) {
    this.#db = db;
  }

  static async open<T>(opts: BatchedFileOptions<T>): Promise<BatchedFile<T>> {
    const db = new Low<T>(new PrivateJsonFile<T>(opts.file, opts.compact), opts.initial());
    let raw: unknown;
    try {
      raw = await db.adapter.read();
    } catch (err) {
      throw new PersistenceError(opts.file, 'corrupt', (err as Error).message);
    }
    const file = new BatchedFile(opts, db);
    if (raw === null) {
      if (opts.mayCreate === false) throw new PersistenceError(opts.file, 'missing', 'the data dir was used before but this file is gone');
      db.data = opts.initial();
      file.#dirty = true;
      await file.flush(); // create it now, so the next start can expect it
      return file;
    }
    const parsed = opts.schema.safeParse(raw);
    if (!parsed.success) throw new PersistenceError(opts.file, 'invalid', parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    db.data = parsed.data;
    return file;
  }

  get data(): T {
    return this.#db.data;
  }

  /** How many times the file was written; tests use it to prove batching. */
  get writeCount(): number {
    return this.#writes;
  }

  /** The first failed write, if any; the owner reports it instead of losing data quietly. */
  get failure(): PersistenceError | null {
    return this.#failure;
  }

  change(edit: (data: T) => void): void {
    edit(this.#db.data);
    this.markDirty();
  }

  markDirty(): void {
    this.#dirty = true;
    if (this.#timer) return;
    // After failures, wait longer each time (up to 10 s) so a full disk is not hammered.
    const delay = Math.min(10_000, (this.opts.flushDelayMs ?? 250) * 2 ** this.#failuresInARow);
    this.#timer = setTimeout(() => {
      // A background write must never become an unhandled rejection: report and retry.
      this.flush().catch((err: unknown) => {
        // flush() fails only with a PersistenceError (it wraps whatever the disk threw).
        const error = err instanceof PersistenceError ? err : new PersistenceError(this.opts.file, 'unwritable', String(err));
        (this.opts.onWriteError ?? ((e: Error) => console.error(`Roomtone: ${e.message} (will retry)`)))(error);
        this.markDirty();
      });
    }, delay);
    this.#timer.unref();
  }

  /** Write pending changes; resolves once they are on disk. */
  flush(): Promise<void> {
    if (this.#timer) { clearTimeout(this.#timer); this.#timer = null; }
    // A failed write must not wedge the chain: the next flush tries again.
    this.#writing = this.#writing.catch(() => undefined).then(async () => {
      if (!this.#dirty) return;
      this.#dirty = false;
      try {
        this.opts.beforeWrite?.(this.#db.data);
        await this.#db.write();
        this.#writes += 1;
        this.#failuresInARow = 0;
      } catch (err) {
        this.#dirty = true;
        this.#failuresInARow += 1;
        this.#failure = new PersistenceError(this.opts.file, 'unwritable', (err as Error).message);
        throw this.#failure;
      }
    });
    return this.#writing;
  }
}
