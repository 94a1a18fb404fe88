import { probeScriptPort, type ProbeResult } from './live-probe.ts';

/**
 * Where the launcher's Live comes from, over the launcher's whole life:
 *
 * - `sim`: the simulator, always.
 * - `real`: Live's Remote Script on `scriptPort`; the agent keeps reconnecting to it by
 *   itself, so Live may open after Roomtone, close, crash and open another set.
 * - `auto`: Live if its Remote Script answers now; otherwise the simulator, while the
 *   watcher keeps looking (every `intervalMs`). As soon as the Remote Script answers,
 *   the agent moves to it and the simulator stops: browsers see the real set replace the
 *   simulated one. From then on it is as `real`: when Live goes away the room says
 *   "Live is closed" and waits; it never falls back to the simulator by itself.
 *
 * The watcher decides; the launcher acts, through the four calls of `LiveWatchOptions`.
 */
export type LiveWatchState = 'sim' | 'real' | 'closed';

export interface LiveWatchOptions {
  mode: 'auto' | 'sim' | 'real';
  /** Where a real Live's Remote Script listens (127.0.0.1). */
  scriptPort: number;
  /** Starts the supervised simulator; the launcher points the agent at it once it listens. */
  startSimulator(): void;
  /** Stops it for good (a real Live took over). */
  stopSimulator(): Promise<void>;
  /** Points the agent at a Remote Script port (starting the agent, or moving it). */
  useScriptPort(port: number): void;
  /** Whether the agent has a Live right now: only for the log's "Live is closed" lines. */
  liveConnected?(): boolean;
  log(message: string): void;
  onState?(state: LiveWatchState): void;
  probe?(port: number): Promise<ProbeResult>;
  intervalMs?: number;
  firstProbeMs?: number;
}

export class LiveWatch {
  private stateValue: LiveWatchState = 'sim';
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private busyLogged = false;
  private probing = false;

  constructor(private readonly options: LiveWatchOptions) {}

  get state(): LiveWatchState {
    return this.stateValue;
  }

  async start(): Promise<void> {
    const { mode } = this.options;
    if (mode === 'sim') {
      this.set('sim');
      this.options.startSimulator();
      return;
    }
    if (mode === 'real') {
      this.goReal('Live mode: connecting to Live\'s Remote Script on port %port (it may open later)');
      return;
    }
    const first = await this.probe(this.options.firstProbeMs ?? 1_500);
    if (this.stopped) return;
    if (first === 'script') {
      this.goReal('Live\'s Remote Script answers on port %port: using Live');
      return;
    }
    this.options.log(`Live is not open (nothing answers on port ${this.options.scriptPort}): using the simulator until it is; looking every ${(this.interval / 1000).toFixed(1)} s`);
    this.set('sim');
    this.options.startSimulator();
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private get interval(): number {
    return this.options.intervalMs ?? 300;
  }

  private probe(timeoutMs: number): Promise<ProbeResult> {
    return (this.options.probe ?? ((port) => probeScriptPort('127.0.0.1', port, timeoutMs)))(this.options.scriptPort);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.look(), this.stateValue === 'sim' ? this.interval : 1_000);
    this.timer.unref();
  }

  /** One look: on the simulator, for the Remote Script; on Live, at the agent's link (log only). */
  private async look(): Promise<void> {
    this.timer = null;
    if (this.stopped || this.probing) return;
    if (this.stateValue !== 'sim') {
      const connected = this.options.liveConnected?.();
      if (connected === false && this.stateValue === 'real') {
        this.set('closed');
        this.options.log('Live is closed: Roomtone waits for it (the simulator stays off; restart with --live sim to use it)');
      } else if (connected === true && this.stateValue === 'closed') {
        this.set('real');
        this.options.log('Live is open again');
      }
      this.schedule();
      return;
    }
    this.probing = true;
    let result: ProbeResult;
    try {
      result = await this.probe(1_000);
    } finally {
      this.probing = false;
    }
    // stop() may have run while the probe was out.
    if (this.hasStopped()) return;
    if (result === 'script') {
      this.goReal('Live opened: its Remote Script answers on port %port; moving the room from the simulator to Live');
      await this.options.stopSimulator();
      return;
    }
    if (result === 'busy' && !this.busyLogged) {
      this.busyLogged = true;
      this.options.log(`Live's Remote Script on port ${this.options.scriptPort} serves another agent (another Roomtone?); staying on the simulator`);
    }
    this.schedule();
  }

  private goReal(message: string): void {
    this.options.log(message.replace('%port', String(this.options.scriptPort)));
    this.set('real');
    this.options.useScriptPort(this.options.scriptPort);
    this.schedule();
  }

  private set(state: LiveWatchState): void {
    if (state === this.stateValue && state !== 'sim') return;
    this.stateValue = state;
    this.options.onState?.(state);
  }

  /** Read afresh after an await (a field read there is narrowed to what it was before). */
  private hasStopped(): boolean {
    return this.stopped;
  }
}
