import { constants } from 'node:fs';
import { lstat, open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response } from 'express';
import rangeParser from 'range-parser';
import { wireError, type AudioFormat, type WireError } from '../../protocol/index.ts';
import { SNIFF_BYTES, sniffFormat } from './audio-check.ts';
import { resolvesInside } from './file-storage.ts';

const CONTENT_TYPE: Record<AudioFormat, string> = {
  wav: 'audio/wav', aiff: 'audio/aiff', flac: 'audio/flac', mp3: 'audio/mpeg', ogg: 'audio/ogg', m4a: 'audio/mp4',
};

export interface ServableFile {
  handle: FileHandle;
  size: number;
  format: AudioFormat;
  name: string;
}

/**
 * Opens a file for download only when it is what the caller says: an absolute path
 * (taken from the room's own records, never from the request), not a symlink, a regular
 * file, inside `root` once every link on the way is resolved (for drops), opened without
 * following a link swapped in meanwhile (O_NOFOLLOW, then the same inode as checked), and
 * audio by its own first bytes.
 */
export async function openServable(file: string, root: string | null): Promise<ServableFile | WireError> {
  const refuse = (why: string): WireError => wireError('FORBIDDEN', `that file cannot be served: ${why}`);
  if (!path.isAbsolute(file) || file.includes('\0')) return refuse('not a plain path');
  let before;
  try {
    before = await lstat(file);
  } catch {
    return wireError('NOT_FOUND', 'the file is not on the studio computer (moved, deleted, or never saved there)');
  }
  if (before.isSymbolicLink()) return refuse('it is a link');
  if (!before.isFile()) return refuse('not a regular file');
  if (root !== null && !(await resolvesInside(file, root))) return refuse('it lies outside the room’s folders');
  let handle: FileHandle;
  try {
    // O_NOFOLLOW does not exist on Windows (undefined there, whatever the types say).
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return refuse('it could not be opened as a plain file');
  }
  try {
    const now = await handle.stat();
    const checked = await checkOpened(handle, now, before);
    if ('why' in checked) {
      await handle.close();
      return refuse(checked.why);
    }
    return { handle, size: now.size, format: checked.format, name: path.basename(file) };
  } catch {
    await handle.close();
    return refuse('it could not be read');
  }
}

/** The opened file is still the one checked, and audio: its format, or why not. */
async function checkOpened(handle: FileHandle, now: { isFile(): boolean; ino: number; dev: number; size: number }, before: { ino: number; dev: number }): Promise<{ format: AudioFormat } | { why: string }> {
  if (!now.isFile() || now.ino !== before.ino || now.dev !== before.dev) return { why: 'it changed while being opened' };
  const head = Buffer.alloc(Math.min(SNIFF_BYTES, now.size));
  await handle.read(head, 0, head.length, 0);
  const format = await sniffFormat(head);
  return format ? { format } : { why: 'it is not audio' };
}

/** RFC 6266 attachment header with an ASCII fallback and the UTF-8 name. */
function attachment(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Streams the file with single byte-range support (206, 416). Several ranges in one
 * request are answered with the whole file, as RFC 9110 allows. Resolves with the bytes
 * sent once the response ends or its client goes away; the handle is closed either way.
 */
export function sendServable(req: Request, res: Response, file: ServableFile): Promise<{ bytes: number; range: string | null; complete: boolean }> {
  let start = 0;
  let end = file.size - 1;
  let status = 200;
  let range: string | null = null;
  const header = req.headers.range;
  if (header !== undefined && file.size > 0) {
    const parsed = rangeParser(file.size, header, { combine: true });
    if (parsed === -1) {
      res.status(416).setHeader('Content-Range', `bytes */${file.size}`);
      res.end();
      void file.handle.close();
      return Promise.resolve({ bytes: 0, range: header.slice(0, 64), complete: false });
    }
    if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1) {
      start = parsed[0]!.start;
      end = parsed[0]!.end;
      status = 206;
      range = `${start}-${end}`;
    }
  }
  res.status(status);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Content-Type', CONTENT_TYPE[file.format]);
  res.setHeader('Content-Disposition', attachment(file.name));
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', String(file.size === 0 ? 0 : end - start + 1));
  if (status === 206) res.setHeader('Content-Range', `bytes ${start}-${end}/${file.size}`);
  if (req.method === 'HEAD' || file.size === 0) {
    res.end();
    void file.handle.close();
    return Promise.resolve({ bytes: 0, range, complete: true });
  }
  return new Promise((resolve) => {
    const stream = file.handle.createReadStream({ start, end, autoClose: true, highWaterMark: 256 * 1024 });
    let bytes = 0;
    stream.on('data', (chunk: Buffer | string) => { bytes += chunk.length; });
    const done = (): void => resolve({ bytes, range, complete: bytes === end - start + 1 });
    res.once('close', () => { stream.destroy(); done(); });
    stream.once('error', () => res.destroy());
    stream.pipe(res);
  });
}
