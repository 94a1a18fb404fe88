import { spawn, type ChildProcess } from 'node:child_process';
import readline from 'node:readline';
import type { ProcessPhase, ProcessReport } from '../../protocol/health.ts';
import { cleanLine } from '../logging/logger.ts';

export interface SupervisedOptions {
  name: string;
  command: string;
  /** Read at every (re)start: a restarted agent may point at another port. */
  args: () => string[];
  env?: NodeJS.ProcessEnv;
  /** Each line the child writes to stdout, before it is logged. */
  onLine?: (line: string) => void;
  /** Each output line, and what happens to the child, in words. */
  log: (level: 'info' | 'warn' | 'error', msg: string) => void;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** After SIGTERM, how long the child gets before SIGKILL. */
  killAfterMs?: number;
  /** Called whenever the child starts, exits or fails (healthz, the set doc's meta). */
  onChange?: (report: ProcessReport) => void;
  /** Words for a command that cannot be started at all (ENOENT: the program is missing). */
  explainSpawnError?: (err: NodeJS.ErrnoException) => string;
}

/**
 * A child process restarted with growing delays when it dies, so a crashed simulator or
 * agent comes back by itself during a rehearsal. Its stdin is a pipe that carries at most
 * control lines (send()): children started with their "exit on stdin EOF" flag end when
 * this process dies, however it dies (SIGKILL included), because the OS closes the pipe. A command that
 * cannot be spawned is reported as failed, not retried in a loop, and never blocks stop().
 */
export class SupervisedProcess {
  private child: ChildProcess | null = null;
  private stopped = false;
  private phase: ProcessPhase = 'stopped';
  private restarts = 0;
  private lastExit: string | null = null;
  private error: string | null = null;
  private delay: number;
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private exited: Promise<void> = Promise.resolve();
  private restartRequested = false;

  constructor(private readonly options: SupervisedOptions) {
    this.delay = options.minDelayMs ?? 250;
  }

  get report(): ProcessReport {
    return { name: this.options.name, phase: this.phase, running: this.phase === 'running', restarts: this.restarts, lastExit: this.lastExit, error: this.error };
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  start(): void {
    this.stopped = false;
    this.spawnChild();
  }

  /** Writes one line to the child's stdin (a control line, e.g. the agent's script port); false when it cannot. */
  send(line: string): boolean {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || !stdin.writable) return false;
    stdin.write(line + '\n');
    return true;
  }

  /** For fault drills and tests: kill the child and let supervision bring it back. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    this.child?.kill(signal);
  }

  /** Stops the child and starts it again at once, with fresh args(); not counted as a crash. */
  restart(): void {
    if (!this.child) {
      if (this.timer) clearTimeout(this.timer);
      this.spawnChild();
      return;
    }
    this.restartRequested = true;
    this.child.kill('SIGTERM');
  }

  /** Reported as failed without trying (a program known to be missing): one line, no restart loop. */
  failWith(reason: string): void {
    this.stopped = true;
    this.error = reason;
    this.options.log('error', `[${this.options.name}] ${reason}`);
    this.setPhase('failed');
  }

  /** SIGTERM, then SIGKILL after killAfterMs; resolves once the child is gone (at once if none). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (child) {
      const force = setTimeout(() => child.kill('SIGKILL'), this.options.killAfterMs ?? 2_000);
      child.kill('SIGTERM');
      await this.exited;
      clearTimeout(force);
    }
    this.setPhase('stopped');
  }

  /** The second Ctrl-C: no waiting, no goodbye. */
  killNow(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.child?.kill('SIGKILL');
  }

  private spawnChild(): void {
    this.timer = null;
    let child: ChildProcess;
    try {
      child = spawn(this.options.command, this.options.args(), {
        env: { ...process.env, ...this.options.env },
        stdio: ['pipe', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (err) {
      this.failed(err as NodeJS.ErrnoException);
      return;
    }
    this.child = child;
    this.startedAt = Date.now();
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    // Control lines only (send()); the pipe exists so that the child sees EOF when we are gone.
    child.stdin?.on('error', () => undefined);
    child.once('spawn', () => {
      this.error = null;
      this.setPhase('running');
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      // A spawn failure has no exit to wait for; any other error is followed by 'close'.
      if (child.pid === undefined) this.failed(err);
      else this.options.log('warn', `[${this.options.name}] ${err.message}`);
    });
    const { name } = this.options;
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      this.options.onLine?.(line);
      this.options.log('info', `[${name}] ${cleanLine(line)}`);
    });
    readline.createInterface({ input: child.stderr! }).on('line', (line) => this.options.log('info', `[${name}] ${cleanLine(line)}`));
    child.once('close', (code, signal) => {
      if (child.pid === undefined) return;
      this.child = null;
      this.lastExit = signal ? `signal ${signal}` : `code ${code}`;
      if (this.stopped) return;
      if (this.restartRequested) {
        this.restartRequested = false;
        this.spawnChild();
        return;
      }
      // A child that ran a while earns a fast restart again.
      if (Date.now() - this.startedAt > 10_000) this.delay = this.options.minDelayMs ?? 250;
      this.restarts++;
      this.options.log('warn', `[${name}] exited (${this.lastExit}); restarting in ${this.delay} ms`);
      this.setPhase('restarting');
      this.timer = setTimeout(() => this.spawnChild(), this.delay);
      this.delay = Math.min(this.delay * 2, this.options.maxDelayMs ?? 10_000);
    });
  }

  private failed(err: NodeJS.ErrnoException): void {
    this.child = null;
    this.error = this.options.explainSpawnError?.(err) ?? `${this.options.command} could not be started: ${err.message}`;
    this.options.log('error', `[${this.options.name}] ${this.error}`);
    this.setPhase('failed');
  }

  private setPhase(phase: ProcessPhase): void {
    this.phase = phase;
    this.options.onChange?.(this.report);
  }
}
