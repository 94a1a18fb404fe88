import { createHash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { copyFile, link, mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { numberedName } from './file-names.ts';

/** SHA-256 of a file's content, streamed (never held whole), at the pace `paced` allows. */
export async function sha256File(file: string, paced?: () => Transform): Promise<string> {
  const hash = createHash('sha256');
  const read = createReadStream(file, { highWaterMark: 256 * 1024 });
  await (paced ? pipeline(read, paced(), hash) : pipeline(read, hash));
  return hash.digest('hex');
}

/**
 * Puts `source` into `dir` as `name`, or `name 2`, `name 3`, … when taken: a file that
 * is there is never replaced. On one filesystem it is a hard link (atomic, no copy; the
 * caller removes the source); across filesystems an exclusive copy.
 */
export async function placeWithoutOverwrite(source: string, dir: string, name: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o750 });
  let crossDevice = false;
  for (let n = 1; n <= 1000; n++) {
    const target = path.join(dir, n === 1 ? name : numberedName(name, n));
    try {
      if (crossDevice) await copyFile(source, target, constants.COPYFILE_EXCL);
      else await link(source, target);
      return target;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (!crossDevice && (code === 'EXDEV' || code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP')) {
        crossDevice = true;
        n -= 1;
        continue;
      }
      throw err;
    }
  }
  throw new Error(`no free name for ${name} in ${dir}`);
}

/** True when `file` resolves (symlinks followed) to a place inside `root`. */
export async function resolvesInside(file: string, root: string): Promise<boolean> {
  try {
    const [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
    return real.startsWith(realRoot + path.sep);
  } catch {
    return false;
  }
}
