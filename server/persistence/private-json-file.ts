import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Adapter } from 'lowdb';

/** Owner read/write only: the files hold token hashes, notes and the audit log. */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/**
 * lowdb's JSON file, written the same atomic way (a temp file renamed over the old one),
 * but with the temp file created 0600: lowdb's writer made it with the process's default
 * mode, so a data file lost 0600 at its first rewrite (H12).
 */
export class PrivateJsonFile<T> implements Adapter<T> {
  readonly #file: string;
  readonly #temp: string;

  /** `compact`: no indentation, for files only Roomtone reads (audit segments, rewritten every 250 ms under load). */
  constructor(file: string, private readonly compact = false) {
    this.#file = file;
    this.#temp = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await fs.readFile(this.#file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as T; // the caller's schema checks what this is
  }

  async write(data: T): Promise<void> {
    // A temp file left by a crash keeps its old mode when reopened: remove it first.
    await fs.rm(this.#temp, { force: true });
    await fs.writeFile(this.#temp, this.compact ? JSON.stringify(data) : JSON.stringify(data, null, 2), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    await renameWithRetry(this.#temp, this.#file);
  }
}

/** Windows refuses a rename while another process (an indexer, a backup) has the target open. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (attempt >= 9 || (code !== 'EPERM' && code !== 'EBUSY' && code !== 'EACCES')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Creates `dir` if needed and makes it owner-only, whoever created it and with whatever mode. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  await fs.chmod(dir, PRIVATE_DIR_MODE);
}
