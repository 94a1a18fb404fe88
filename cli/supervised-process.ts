import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';

export interface SupervisedOptions {
  name: string;
  command: string;
  args: () => string[];
  env?: NodeJS.ProcessEnv;
  onLine?: (line: string) => void;
  log: (msg: string) => void;
  /** Restart backoff bounds. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Called whenever the child starts or exits, with the new state (healthz, the set doc's meta). */
  onChange?: (state: ProcessState) => void;
}

export interface ProcessState { name: string; running: boolean; restarts: number; lastExit: string | null; pid: number | null }

/**
 * A child process that is restarted with growing delays when it dies, so a crashed
 * simulator or agent comes back by itself during a rehearsal, and is reported.
 */
export class SupervisedProcess {
  private child: ChildProcess | null = null;
  private stopped = false;
  private restarts = 0;
  private lastExit: string | null = null;
  private delay: number;
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;

  constructor(private readonly options: SupervisedOptions) {
    this.delay = options.minDelayMs ?? 250;
  }

  get state(): ProcessState {
    return { name: this.options.name, running: this.child !== null, restarts: this.restarts, lastExit: this.lastExit, pid: this.child?.pid ?? null };
  }

  start(): void {
    this.stopped = false;
    this.spawnChild();
  }

  /** For fault drills and tests: kill the child and let supervision bring it back. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(signal);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => child.kill('SIGKILL'), 3_000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  private spawnChild(): void {
    const child = spawn(this.options.command, this.options.args(), {
      env: { ...process.env, ...this.options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    this.startedAt = Date.now();
    this.options.onChange?.(this.state);
    const out = readline.createInterface({ input: child.stdout });
    out.on('line', (line) => {
      this.options.onLine?.(line);
      this.options.log(`[${this.options.name}] ${line}`);
    });
    readline.createInterface({ input: child.stderr }).on('line', (line) => this.options.log(`[${this.options.name}] ${line}`));
    child.on('error', (err) => this.options.log(`[${this.options.name}] could not start: ${err.message}`));
    child.on('exit', (code, signal) => {
      this.child = null;
      this.lastExit = signal ? `signal ${signal}` : `code ${code}`;
      if (this.stopped) return;
      // A child that ran a while earns a fast restart again.
      if (Date.now() - this.startedAt > 10_000) this.delay = this.options.minDelayMs ?? 250;
      this.restarts++;
      this.options.log(`[${this.options.name}] exited (${this.lastExit}); restarting in ${this.delay} ms`);
      this.options.onChange?.(this.state);
      this.timer = setTimeout(() => this.spawnChild(), this.delay);
      this.delay = Math.min(this.delay * 2, this.options.maxDelayMs ?? 10_000);
    });
  }
}
