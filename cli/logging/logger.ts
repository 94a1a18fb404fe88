import path from 'node:path';
import { once } from 'node:events';
import { mkdirSync } from 'node:fs';
import pino, { type Logger, type LevelWithSilent, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import pinoRoll from 'pino-roll';

export type { Logger } from 'pino';

export const LOG_FILE_BASE = 'roomtone';
/** Each file is rotated at this size, and this many old ones are kept beside the current one. */
export const LOG_ROTATE_SIZE = '10m';
export const LOG_FILES_KEPT = 7;

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Folder for roomtone.N.log (JSON lines, rotated); null writes no file. */
  logDir: string | null;
  /** Started by a service manager: only warnings and errors on the terminal stream. */
  service: boolean;
  /** Where people read the log: stderr by default, colored when it is a terminal. */
  console?: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface RoomtoneLogger {
  logger: Logger;
  /** The current log file, when there is one. */
  file: string | null;
  /** Writes what is buffered; synchronous, so it can run right before process.exit(). */
  flushSync(): void;
}

/**
 * pino for the launcher and the server: levels and timestamps, JSON lines in a rotating
 * file (pino-roll) for keeping and searching, and pino-pretty on the terminal for
 * reading. Secrets never come here: the join code, admin PIN and QR code are written
 * only to an interactive terminal by the banner (cli/start/banner.ts).
 */
export async function createLogger(options: LoggerOptions): Promise<RoomtoneLogger> {
  const out = options.console ?? process.stderr;
  const streams: StreamEntry[] = [];
  const consoleLevel: LevelWithSilent = options.service && levelRank(options.level) < levelRank('warn') ? 'warn' : options.level;
  if (consoleLevel !== 'silent') {
    streams.push({
      level: consoleLevel,
      stream: pretty({
        destination: out,
        colorize: out.isTTY === true,
        sync: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'pid,hostname',
        singleLine: true,
      }),
    });
  }
  let file: { path: string; stream: pino.DestinationStream & { flushSync(): void } } | null = null;
  if (options.logDir && options.level !== 'silent') {
    mkdirSync(options.logDir, { recursive: true, mode: 0o700 });
    const stream = await pinoRoll({
      file: path.join(options.logDir, LOG_FILE_BASE),
      extension: '.log',
      size: LOG_ROTATE_SIZE,
      limit: { count: LOG_FILES_KEPT, removeOtherLogFiles: true },
      // A symlink needs a privilege on Windows; the newest number is the current file there.
      symlink: process.platform !== 'win32',
      mkdir: true,
      mode: 0o600,
    });
    if (!stream.file) await once(stream, 'ready');
    file = { path: stream.file, stream };
    streams.push({ level: options.level, stream });
  }
  const logger = pino(
    { level: options.level, enabled: streams.length > 0, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.multistream(streams),
  );
  return {
    logger,
    file: file?.path ?? null,
    flushSync: () => {
      try {
        file?.stream.flushSync();
      } catch {
        // Nothing buffered, or the file is gone: exiting matters more than this line.
      }
    },
  };
}

const RANKS: Record<LevelWithSilent, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

function levelRank(level: LevelWithSilent): number {
  return RANKS[level];
}

/**
 * A child's output line as it may be logged: without terminal escape sequences or other
 * control characters (a child's colors must not reach the log file), and bounded.
 */
export function cleanLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  return line.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-_]|[\u0000-\u0008\u000b-\u001f\u007f]/g, '').slice(0, 4_000);
}
