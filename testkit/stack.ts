import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { adminPin } from '../cli/options/values.ts';
import { ROOT } from './root.ts';

/** The `roomtone` command, as `npm start` runs it. */
export const BIN = path.join(ROOT, 'bin', 'roomtone.mjs');

/** Eight random digits, never one of the trivial codes the launcher refuses (12345678). */
export function randomCode(): string {
  for (;;) {
    const code = String(randomInt(10_000_000, 100_000_000));
    try {
      return adminPin(code);
    } catch {
      // A run like 12345678: draw again.
    }
  }
}

export interface Stack {
  url: string;
  port: number;
  joinCode: string;
  adminPin: string;
  dataDir: string;
  certsDir: string;
  /** Where this stack's roomtone.N.log is written. */
  logDir: string;
  ca: string;
  output: string[];
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StackOptions {
  args?: string[];
  env?: NodeJS.ProcessEnv;
  dataDir?: string;
  certsDir?: string;
  /** Kept after stop() when given; a fresh temporary folder (removed on stop) otherwise. */
  logDir?: string;
  readyTimeoutMs?: number;
}

/**
 * Runs `roomtone start` (what `npm start` runs) as a real process on free loopback ports (server,
 * host agent and the Python simulator) and resolves once it prints its ready line.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'roomtone-data-'));
  const certsDir = options.certsDir ?? sharedCertsDir();
  const logDir = options.logDir ?? mkdtempSync(path.join(os.tmpdir(), 'roomtone-logs-'));
  // The ready line on a pipe carries no secrets (only a terminal gets them), so the
  // test chooses them; a test may still fix its own through options.env.
  const joinCode = options.env?.ROOMTONE_JOIN_CODE || randomCode();
  const adminPin = options.env?.ROOMTONE_ADMIN_PIN || randomCode();
  const child = spawn(process.execPath, [BIN, 'start',
    '--port', '0', '--http-port', '0', '--host', '127.0.0.1', '--no-mdns', '--live', 'sim',
    '--data-dir', dataDir, '--certs-dir', certsDir, '--log-dir', logDir, ...(options.args ?? [])], {
    cwd: ROOT,
    env: { ...process.env, ...options.env, ROOMTONE_JOIN_CODE: joinCode, ROOMTONE_ADMIN_PIN: adminPin },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  readline.createInterface({ input: child.stderr }).on('line', (l) => output.push(l));
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line within ${options.readyTimeoutMs ?? 60_000} ms:\n${output.join('\n')}`)), options.readyTimeoutMs ?? 60_000);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const match = /^Roomtone ready: (https:\/\/[^\s]+?)\/? · /.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`roomtone exited with ${code} before it was ready:\n${output.join('\n')}`));
    });
  });
  const url = ready[1]!;
  return {
    url,
    port: Number(new URL(url).port),
    joinCode,
    adminPin,
    logDir,
    dataDir,
    certsDir,
    ca: readFileSync(path.join(certsDir, 'ca.crt'), 'utf8'),
    output,
    process: child,
    stop: () => stopProcess(child).then(() => {
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (!options.logDir) rmSync(logDir, { recursive: true, force: true });
    }),
  };
}

/** One CA for the whole test run keeps certificate generation out of every test's time. */
function sharedCertsDir(): string {
  return path.join(os.tmpdir(), 'roomtone-test-certs');
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
