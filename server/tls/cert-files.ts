import { promises as fs, constants } from 'node:fs';
import path from 'node:path';

/** Reads a file, or null when it does not exist (any other fault propagates). */
export async function readIfExists(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Write to a temp file and rename, so a crash never leaves half a PEM behind. */
export async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, text, { mode });
  await fs.rename(tmp, file);
}

const STALE_LOCK_MS = 60_000;
const LOCK_WAIT_MS = 30_000;

/**
 * A lock file around generation: two processes starting at once (a test run, a
 * double-clicked launcher) must not interleave a key of one with a cert of the other.
 */
export async function withDirLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = path.join(dir, '.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const handle = await fs.open(lock, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY);
      await handle.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stat = await fs.stat(lock).catch(() => null);
      if (stat && Date.now() - stat.mtimeMs > STALE_LOCK_MS) await fs.rm(lock, { force: true });
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${lock}; remove it if no other Roomtone is starting.`, { cause: err });
      await new Promise((r) => setTimeout(r, 50)); // waiting on another process, not on our own state
    }
  }
  try {
    return await work();
  } finally {
    await fs.rm(lock, { force: true });
  }
}
