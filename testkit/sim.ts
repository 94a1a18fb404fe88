import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';

import { ROOT } from './root.ts';

interface Reply { op: 'result'; id?: number; ok: boolean; value?: unknown; error?: string }

/**
 * The Python simulator (the real Remote Script against a fake Live) as a child process
 * whose stdin control channel we hold: `exec` changes Live "from Live's side", `eval`
 * reads the script's own counters (instance.stats()) without a second TCP client.
 */
export class SimProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();
  readonly stderr: string[] = [];

  private constructor(readonly child: ChildProcess, readonly port: number, readonly liveVersion: string) {}

  static async start(options: { tickHz: number; port?: number; seed?: number }): Promise<SimProcess> {
    const child = spawn(process.env.ROOMTONE_PYTHON ?? 'python3', [path.join(ROOT, 'remote-script', 'sim', 'run.py'),
      '--port', String(options.port ?? 0), '--tick-hz', String(options.tickHz), '--seed', String(options.seed ?? 1)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stderr: string[] = [];
    readline.createInterface({ input: child.stderr }).on('line', (l) => {
      stderr.push(l);
      if (stderr.length > 200) stderr.shift();
    });
    const lines = readline.createInterface({ input: child.stdout });
    let sim: SimProcess | null = null;
    const ready = await new Promise<{ port: number; live: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`simulator not ready:\n${stderr.join('\n')}`)), 30_000);
      child.once('exit', (code) => reject(new Error(`simulator exited ${code}:\n${stderr.join('\n')}`)));
      lines.on('line', (line) => {
        const m = /^roomtone-sim ready port=(\d+) live=(\S+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({ port: Number(m[1]), live: m[2]! });
          return;
        }
        if (line.startsWith('{')) sim?.receive(line);
      });
    });
    sim = new SimProcess(child, ready.port, ready.live);
    sim.stderr.push(...stderr);
    child.on('exit', () => {
      for (const w of sim.waiting.values()) w.reject(new Error('simulator exited'));
      sim.waiting.clear();
    });
    return sim;
  }

  get pid(): number {
    return this.child.pid!;
  }

  private receive(line: string): void {
    let reply: Reply;
    try { reply = JSON.parse(line) as Reply; } catch { return; }
    if (typeof reply.id !== 'number') return;
    const w = this.waiting.get(reply.id);
    if (!w) return;
    this.waiting.delete(reply.id);
    w.resolve(reply);
  }

  private call(msg: Record<string, unknown>): Promise<Reply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.stdin!.write(JSON.stringify({ ...msg, id }) + '\n');
    });
  }

  /** Sends an exec without waiting; returns when the line is handed to the pipe. */
  execNoWait(code: string): void {
    this.child.stdin!.write(JSON.stringify({ op: 'exec', code }) + '\n');
  }

  async exec(code: string): Promise<void> {
    const r = await this.call({ op: 'exec', code });
    if (!r.ok) throw new Error(`sim exec failed: ${r.error}`);
  }

  async eval<T = unknown>(expr: string): Promise<T> {
    const r = await this.call({ op: 'eval', expr });
    if (!r.ok) throw new Error(`sim eval failed: ${r.error}`);
    return r.value as T;
  }

  /** The Remote Script's own counters; `reset` starts a new measuring window. */
  async stats(reset = false): Promise<Record<string, number>> {
    const stats = await this.eval<Record<string, number>>('instance.stats()');
    if (reset) await this.exec('instance._reset_stats()');
    return stats;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child.kill(signal);
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
      this.child.once('exit', () => { clearTimeout(force); resolve(); });
      this.child.kill('SIGTERM');
    });
  }
}
