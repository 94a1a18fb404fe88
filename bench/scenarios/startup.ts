import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { BenchContext } from '../lib/context.ts';
import { ROOT } from '../../testkit/root.ts';
import { nowMs, round } from '../lib/stats.ts';

export interface StartupRun { ms: number; clientBuilt: boolean; /** ms after spawn when each step's line appeared. */ timeline: Record<string, number> }
export interface StartupResult {
  command: string;
  /** New data and certs folders: makes the local CA and server certificate. */
  firstStart: StartupRun;
  /** Same folders again: what a rehearsal's second `npm start` costs. */
  warmStart: StartupRun;
}

// Log lines come through the logger on stderr (`[10:14:03] INFO: [sim] …`); the ready line on stdout.
const STEPS: Array<[string, RegExp]> = [
  ['clientBuildStarted', /building the browser client/],
  ['simulatorReady', /\[sim\] roomtone-sim ready/],
  ['agentSeesLive', /\[agent\] Live .* connected/],
  ['agentSeesServer', /\[agent\] connected to/],
  ['ready', /^Roomtone ready:/],
];

async function once(dataDir: string, certsDir: string): Promise<StartupRun> {
  const args = ['start', '--silent', '--', '--port', '0', '--http-port', '-1', '--host', '127.0.0.1', '--no-mdns', '--live', 'sim', '--data-dir', dataDir, '--certs-dir', certsDir];
  const t0 = nowMs();
  // Own process group, so stopping it reaches npm and roomtone (whose agent and simulator follow it).
  const child = spawn('npm', args, { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ROOMTONE_JOIN_CODE: '', ROOMTONE_ADMIN_PIN: '' } });
  const output: string[] = [];
  const timeline: Record<string, number> = {};
  const step = (line: string): void => {
    for (const [name, pattern] of STEPS) if (timeline[name] === undefined && pattern.test(line)) timeline[name] = round(nowMs() - t0, 0);
  };
  readline.createInterface({ input: child.stderr }).on('line', (l) => {
    output.push(l);
    step(l);
  });
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line in 120 s:\n${output.join('\n')}`)), 120_000);
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`npm start exited ${code}:\n${output.join('\n')}`)); });
      readline.createInterface({ input: child.stdout }).on('line', (line) => {
        output.push(line);
        step(line);
        if (line.startsWith('Roomtone ready:')) {
          clearTimeout(timer);
          resolve(nowMs() - t0);
        }
      });
    });
    return { ms: round(ms, 0), clientBuilt: output.some((l) => l.includes('building the browser client')), timeline };
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => { try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* gone */ } }, 5_000);
      child.once('exit', () => { clearTimeout(force); resolve(); });
      try { process.kill(-child.pid!, 'SIGTERM'); } catch { resolve(); }
    });
  }
}

/** `npm start` (cli/start.ts with the supervised agent and simulator) to its ready line. */
export async function startup(_ctx: BenchContext): Promise<StartupResult> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-bench-data-'));
  const certsDir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-bench-certs-'));
  try {
    const firstStart = await once(dataDir, certsDir);
    const warmStart = await once(dataDir, certsDir);
    return { command: 'npm start -- --port 0 --live sim --no-mdns (fresh data/certs, then again)', firstStart, warmStart };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(certsDir, { recursive: true, force: true });
  }
}
