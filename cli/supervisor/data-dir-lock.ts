import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Error {}

export interface DataDirLock {
  release(): Promise<void>;
}

/**
 * One Roomtone per data folder. The lock is a listening local socket (a Unix socket in
 * the folder, a named pipe on Windows), not a PID file: the OS frees it the moment its
 * process dies, however it dies, so a crash never leaves a stale lock and a reused PID
 * never blocks a start. A second start connects to it and learns the holder's PID.
 */
export async function lockDataDir(dataDir: string, platform: NodeJS.Platform = process.platform): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const address = lockAddress(dataDir, platform);
  const server = net.createServer((socket) => socket.end(`${JSON.stringify({ pid: process.pid })}\n`));
  server.unref();
  try {
    await listen(server, address);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    const holder = await askHolder(address);
    if (holder) throw new DataDirLockedError(`another Roomtone${Number.isNaN(holder.pid) ? '' : ` (pid ${holder.pid})`} is already running with the data folder ${dataDir}; stop it first, or give this one its own --data-dir`);
    // Nobody answers: a Unix socket file left by a process that died. Take it over.
    if (platform !== 'win32') rmSync(address, { force: true });
    await listen(server, address);
  }
  return { release: () => new Promise((resolve) => server.close(() => resolve())) };
}

function lockAddress(dataDir: string, platform: NodeJS.Platform): string {
  const hash = createHash('sha256').update(platform === 'win32' ? dataDir.toLowerCase() : dataDir).digest('hex').slice(0, 24);
  if (platform === 'win32') return `\\\\?\\pipe\\roomtone-${hash}`;
  const inFolder = path.join(dataDir, 'roomtone.lock');
  // A Unix socket path is limited to ~104 bytes; a deep data folder uses the temp folder.
  return Buffer.byteLength(inFolder) < 100 ? inFolder : path.join(os.tmpdir(), `roomtone-${hash}.lock`);
}

function listen(server: net.Server, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(address, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function askHolder(address: string): Promise<{ pid: number } | null> {
  return new Promise((resolve) => {
    const socket = net.connect(address);
    let text = '';
    let connected = false;
    socket.once('connect', () => { connected = true; });
    const done = (value: { pid: number } | null): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(value);
    };
    // Something listens but does not say who: still a holder, never a stale file to remove.
    const timer = setTimeout(() => done(connected ? { pid: Number.NaN } : null), 1_000);
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      if (!text.includes('\n')) return;
      try {
        const pid = (JSON.parse(text) as { pid?: unknown }).pid;
        done({ pid: typeof pid === 'number' ? pid : Number.NaN });
      } catch {
        done({ pid: Number.NaN });
      }
    });
    socket.on('error', () => done(null));
  });
}
