import path from 'node:path';
import { mkdirSync } from 'node:fs';
import pino, { type Logger, type LevelWithSilent, type StreamEntry } from 'pino';
import pretty from 'pino-pretty';
import { createStream, type RotatingFileStream } from 'rotating-file-stream';

export type { Logger } from 'pino';

/** The current log; older ones are roomtone.1.log (the newest) to roomtone.7.log. */
export const LOG_FILE = 'roomtone.log';
/** Each file is rotated at this size, and this many old ones are kept beside the current one. */
export const LOG_ROTATE_SIZE = '10M';
export const LOG_FILES_KEPT = 7;

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Folder for roomtone.log (JSON lines, rotated); null writes no file. */
  logDir: string | null;
  /** Started by a service manager: only warnings and errors on the terminal stream. */
  service: boolean;
  /** Where people read the log: stderr by default, colored when it is a terminal. */
  console?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Tests rotate sooner. */
  rotateSize?: string;
}

export interface RoomtoneLogger {
  logger: Logger;
  /** The current log file, when there is one. */
  file: string | null;
  /** Writes what is buffered to the file (bounded: a stop must not wait on a full disk). */
  close(): Promise<void>;
}

/**
 * pino for the launcher and the server: levels and timestamps, JSON lines in a rotating
 * file (rotating-file-stream, logrotate-style) for keeping and searching, and pino-pretty on the terminal for
 * reading. Secrets never come here: the join code, admin PIN and QR code are written
 * only to an interactive terminal by the banner (cli/start/banner.ts).
 */
export function createLogger(options: LoggerOptions): RoomtoneLogger {
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
  let file: RotatingFileStream | null = null;
  if (options.logDir && options.level !== 'silent') {
    mkdirSync(options.logDir, { recursive: true, mode: 0o700 });
    // With `rotate`, the generator's first argument is the rotation index (null: the current file).
    file = createStream((index) => (index ? `roomtone.${String(index)}.log` : LOG_FILE), {
      path: options.logDir, size: options.rotateSize ?? LOG_ROTATE_SIZE, rotate: LOG_FILES_KEPT, mode: 0o600,
    });
    // A full disk or a removed folder must not take the room down: the terminal still has the log.
    file.on('error', () => undefined);
    streams.push({ level: options.level, stream: file });
  }
  const logger = pino(
    { level: options.level, enabled: streams.length > 0, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime },
    pino.multistream(streams),
  );
  const rotating = file;
  return {
    logger,
    file: options.logDir && rotating ? path.join(options.logDir, LOG_FILE) : null,
    // Bounded: a stuck disk must not hold a stop (the shutdown waits 2 s at most anyway).
    close: () => (rotating ? new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      rotating.end(() => {
        clearTimeout(timer);
        resolve();
      });
    }) : Promise.resolve()),
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
  return line.replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b[@-_]|[\u0000-\u0008\u000b-\u001f\u007f]/g, '').slice(0, 4_000);
}
