import path from 'node:path';
import type { Logger } from 'pino';
import type { LiveMode } from '../../protocol/health.ts';
import type { RoomtoneServer, StartedServer } from '../../server/roomtone-server.ts';
import { PACKAGE_ROOT } from '../../server/util/package-root.ts';
import type { Settings } from '../options/option-table.ts';
import { nodeEntryArgs } from '../supervisor/node-entry.ts';
import { SupervisedProcess } from '../supervisor/supervised-process.ts';
import type { Supervisor } from '../supervisor/supervisor.ts';
import { probeRemoteScript } from './live-probe.ts';
import { findPython, pythonMissing } from './python.ts';

export interface LiveContext {
  settings: Settings;
  logger: Logger;
  server: RoomtoneServer;
  started: StartedServer;
  supervisor: Supervisor;
}

/** What start.ts holds on to: the Live in use, and the agent to point elsewhere. */
export interface LiveSource {
  readonly mode: LiveMode;
  readonly agent: HostAgentProcess;
}

/**
 * Decides which Live the host agent drives, and runs the simulator when that is the one.
 * This is the seam for watching Live come and go (`--live auto` after start): a watcher
 * uses the same pieces — `startSimulator`, `agent.pointAt` — and reports the mode.
 */
export async function startLive(ctx: LiveContext): Promise<LiveSource> {
  const { settings, server, logger } = ctx;
  const agent = new HostAgentProcess(ctx);
  const mode = settings.live === 'auto'
    ? ((await probeRemoteScript('127.0.0.1', settings.scriptPort, 1_500)) ? 'real' : 'sim')
    : settings.live;
  server.reportLiveMode(mode);
  if (mode === 'real') {
    agent.pointAt(settings.scriptPort);
    return { mode, agent };
  }
  const sim = await startSimulator(ctx, (port) => agent.pointAt(port));
  // No Python: the agent still runs (the room shows it connected and Live not), and a
  // Live opened later on the script port is found.
  if (!sim) agent.pointAt(settings.scriptPort);
  return { mode, agent };
}

/**
 * The simulator: the real Remote Script against a fake Live, in Python. It listens on a
 * free port and says which on its ready line (again after each new set). Null when
 * there is no Python; the failure is then reported as the `sim` process's state.
 */
export async function startSimulator(ctx: LiveContext, onPort: (port: number) => void): Promise<SupervisedProcess | null> {
  const { settings, logger, supervisor } = ctx;
  let port = 0;
  const python = await findPython(settings.python);
  const sim: SupervisedProcess = new SupervisedProcess({
    name: 'sim',
    command: python ?? settings.python,
    args: () => [
      path.join(PACKAGE_ROOT, 'remote-script', 'sim', 'run.py'), '--port', String(port), '--tick-hz', String(settings.simTickHz),
      '--exit-on-stdin-eof', ...(settings.set === 'demo' ? [] : ['--set', settings.set]),
    ],
    log: (level, msg) => logger[level](msg),
    onChange: () => supervisor.changed(),
    explainSpawnError: (err) => (err.code === 'ENOENT' ? pythonMissing(settings.python) : `${settings.python} could not be started: ${err.message}`),
    onLine: (line) => {
      const match = /^roomtone-sim ready port=(\d+)/.exec(line);
      if (!match) return;
      port = Number(match[1]);
      onPort(port);
    },
  });
  supervisor.add(sim);
  if (!python) {
    // Reported as failed without a spawn attempt: one clear line, no restart loop.
    sim.failWith(pythonMissing(settings.python));
    return null;
  }
  sim.start();
  return sim;
}

/** The host agent as a supervised child, pointed at a Remote Script port. */
export class HostAgentProcess {
  private port = 0;
  private process: SupervisedProcess | null = null;

  constructor(private readonly ctx: LiveContext) {}

  get scriptPort(): number {
    return this.port;
  }

  /** Starts the agent, or restarts it against another port (a new simulator, Live after the simulator). */
  pointAt(port: number): void {
    if (this.process && port === this.port) return;
    this.port = port;
    if (this.process) {
      this.process.restart();
      return;
    }
    const { started, logger, supervisor } = this.ctx;
    this.process = supervisor.add(new SupervisedProcess({
      name: 'agent',
      command: process.execPath,
      args: () => [...nodeEntryArgs('host-agent/main'),
        '--server', `https://127.0.0.1:${started.port}`,
        '--token-file', started.deviceTokenPath,
        '--ca-file', started.caCertPath,
        '--script-port', String(this.port),
        '--exit-on-stdin-eof'],
      // A restart because of a new port is not a crash: come back at once.
      minDelayMs: 100,
      log: (level, msg) => logger[level](msg),
      onChange: () => supervisor.changed(),
    }));
    this.process.start();
  }
}
