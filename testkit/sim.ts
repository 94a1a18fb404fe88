import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { z } from 'zod';
import { ROOT } from './root.ts';
import { stopProcess } from './stack.ts';

const ReplySchema = z.object({ op: z.literal('result'), id: z.number().optional(), ok: z.boolean(), value: z.unknown().optional(), error: z.string().optional() });
type Reply = z.infer<typeof ReplySchema>;

const READY = /^roomtone-sim ready port=(\d+) live=(\S+)/;

export interface SimOptions {
  /** Live's main-thread tick rate in the simulator (default 100). */
  tickHz?: number;
  /** 0: any free port. */
  port?: number;
  seed?: number;
  /** The agent secret the script is to use (H9); a fresh private one by default. */
  secretFile?: string;
  /** More run.py options (a heavy set, quirks, a tick budget). */
  args?: string[];
}

/** A path for a simulator's agent secret in a new private temp folder; the script makes the file. */
export function newSecretFile(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'roomtone-sim-')), 'agent.secret');
}

/**
 * The Python simulator (the real Remote Script against a fake Live) as a child process
 * whose stdin control channel we hold: `exec` changes Live "from Live's side", `eval`
 * reads the script's own counters (instance.stats()) without a second TCP client,
 * `newSet` opens another set (a new epoch). Used by the integration tests and the bench.
 */
export class SimProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(r: Reply): void; reject(e: Error): void }>();
  private readyWaiters: Array<(port: number) => void> = [];
  /** The simulator's last lines (stderr and unparsed stdout), for a failing test's message. */
  readonly output: string[] = [];

  private constructor(readonly child: ChildProcess, public port: number, readonly liveVersion: string, readonly secretFile: string) {}

  static async start(options: SimOptions = {}): Promise<SimProcess> {
    const secretFile = options.secretFile ?? newSecretFile();
    const child = spawn(process.env.ROOMTONE_PYTHON ?? 'python3', [path.join(ROOT, 'remote-script', 'sim', 'run.py'),
      '--port', String(options.port ?? 0), '--tick-hz', String(options.tickHz ?? 100), '--seed', String(options.seed ?? 1), '--secret-file', secretFile, ...(options.args ?? [])], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    const log = (line: string): void => {
      output.push(line);
      if (output.length > 500) output.shift();
    };
    readline.createInterface({ input: child.stderr }).on('line', (l) => log(`[sim:err] ${l}`));
    const lines = readline.createInterface({ input: child.stdout });
    const holder: { sim: SimProcess | null } = { sim: null };
    const ready = await new Promise<{ port: number; live: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`simulator not ready:\n${output.join('\n')}`)), 120_000);
      child.once('exit', (code) => reject(new Error(`simulator exited ${code}:\n${output.join('\n')}`)));
      lines.on('line', (line) => {
        if (holder.sim) { holder.sim.receive(line); return; }
        const m = READY.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve({ port: Number(m[1]), live: m[2]! });
          return;
        }
        log(`[sim] ${line}`);
      });
    });
    const sim = new SimProcess(child, ready.port, ready.live, secretFile);
    sim.output.push(...output);
    holder.sim = sim;
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
    const ready = READY.exec(line);
    if (ready) {
      this.port = Number(ready[1]);
      const waiters = this.readyWaiters;
      this.readyWaiters = [];
      for (const w of waiters) w(this.port);
      return;
    }
    let json: unknown;
    try { json = JSON.parse(line); } catch { json = null; }
    const reply = ReplySchema.safeParse(json);
    if (!reply.success || reply.data.id === undefined) {
      this.output.push(`[sim] ${line}`);
      if (this.output.length > 500) this.output.shift();
      return;
    }
    const w = this.waiting.get(reply.data.id);
    if (!w) return;
    this.waiting.delete(reply.data.id);
    w.resolve(reply.data);
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

  /** Runs Python in the simulator's scope (`song`, `world`, `instance`, `Live`). */
  async exec(code: string): Promise<void> {
    const r = await this.call({ op: 'exec', code });
    if (!r.ok) throw new Error(`sim exec failed: ${r.error}`);
  }

  /** Evaluates a Python expression in the simulator's scope; its value is parsed with `schema`. */
  async eval<T>(expr: string, schema: z.ZodType<T>): Promise<T> {
    const r = await this.call({ op: 'eval', expr });
    if (!r.ok) throw new Error(`sim eval failed: ${r.error}`);
    return schema.parse(r.value);
  }

  /** The Remote Script's own counters; `reset` starts a new measuring window. */
  async stats(reset = false): Promise<Record<string, number>> {
    // Beside its counters the script reports figures with a shape of their own
    // (`tickMs`, `slowestTick`, #12); the scenarios that call this read only the counters.
    const all = await this.eval('instance.stats()', z.record(z.string(), z.unknown()));
    const stats: Record<string, number> = {};
    for (const [key, value] of Object.entries(all)) if (typeof value === 'number') stats[key] = value;
    if (reset) await this.exec('instance._reset_stats()');
    return stats;
  }

  /** Opens a new set: the script is recreated with a new epoch (a Live restart, as far as revs go). */
  async newSet(): Promise<void> {
    const ready = new Promise<number>((resolve) => this.readyWaiters.push(resolve));
    this.child.stdin!.write(JSON.stringify({ op: 'new_set' }) + '\n');
    await ready;
  }

  /** Live crashes (SIGKILL by default): resolves once the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill(signal);
    await exited;
  }

  stop(): Promise<void> {
    return stopProcess(this.child);
  }
}
