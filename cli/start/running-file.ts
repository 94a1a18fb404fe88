import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What a running Roomtone tells the user who owns it: `roomtone service status` reads it
 * to show the admin PIN, the URLs and the QR code of a Roomtone started at boot, which
 * has no terminal to print them on. It lives in the data folder (which already holds the
 * agent's token), readable by its owner only, and is removed by a clean stop.
 */
export interface RunningInfo {
  pid: number;
  version: string;
  startedAt: string;
  localUrl: string;
  lanUrl: string | null;
  /** The base the QR code points at: --public-url, or the LAN (or local) URL. */
  joinBase: string;
  caUrl: string | null;
  adminPin: string;
  room: string;
  /** Whether it advertises itself (doctor listens for it only then). */
  mdns: boolean;
  logFile: string | null;
}

export const RUNNING_FILE = 'running.json';

export function writeRunningFile(dataDir: string, info: RunningInfo): void {
  const file = path.join(dataDir, RUNNING_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

export function readRunningFile(dataDir: string): RunningInfo | null {
  const file = path.join(dataDir, RUNNING_FILE);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as RunningInfo;
  } catch {
    return null;
  }
}

/** Only our own file: a second Roomtone refused at start must not remove the first one's. */
export function removeRunningFile(dataDir: string): void {
  const info = readRunningFile(dataDir);
  if (info && info.pid !== process.pid) return;
  rmSync(path.join(dataDir, RUNNING_FILE), { force: true });
}

/** The room's current join code as the data store saved it (the host may have rotated it). */
export function savedJoinCode(dataDir: string, room: string): string | null {
  try {
    const state = JSON.parse(readFileSync(path.join(dataDir, 'state.json'), 'utf8')) as { rooms?: Record<string, { joinCode?: unknown }> };
    const code = state.rooms?.[room]?.joinCode;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}
