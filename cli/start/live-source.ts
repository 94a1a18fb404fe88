import path from 'node:path';
import type { Logger } from 'pino';
import type { LiveMode } from '../../protocol/health.ts';
import type { RoomtoneServer, StartedServer } from '../../server/roomtone-server.ts';
import { PACKAGE_ROOT } from '../../server/util/package-root.ts';
import type { Settings } from '../options/option-table.ts';
import { liveSecretFile } from '../remote-script/remote-script-files.ts';
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
  const mode = settings.live !== 'auto' ? settings.live
    : (await probeRemoteScript('127.0.0.1', settings.scriptPort, 1_500)) ? 'real'
    // Started at login or boot, Roomtone usually comes up before Live: a service waits for
    // Live (the agent keeps trying the script port) rather than settle on the simulator.
    : settings.service ? 'real' : 'sim';
  server.reportLiveMode(mode);
  const live = { port: settings.scriptPort, secretFile: secretFiles(settings).live };
  if (mode === 'real') {
    agent.pointAt(live);
    return { mode, agent };
  }
  const sim = await startSimulator(ctx, (port) => agent.pointAt({ port, secretFile: secretFiles(settings).sim }));
  // No Python: the agent still runs (the room shows it connected and Live not), and a
  // Live opened later on the script port is found.
  if (!sim) agent.pointAt(live);
  return { mode, agent };
}

/**
 * The secret the agent proves itself with to each Remote Script (H9): the simulator's
 * lives in the data folder (never inside the installed package), Live's next to the
 * script in the User Library, where the script makes it when Live first loads it.
 * --script-secret-file names one file for both. Null: Live has no default place here.
 */
export function secretFiles(settings: Settings): { sim: string; live: string | null } {
  if (settings.scriptSecretFile) return { sim: settings.scriptSecretFile, live: settings.scriptSecretFile };
  return { sim: path.join(settings.dataDir, SIM_SECRET_FILE), live: liveSecretFile(settings.dest) };
}

const SIM_SECRET_FILE = 'sim-agent.secret';

/** Where the agent is pointed: a Remote Script's port and the secret it shares with that script. */
export interface ScriptTarget {
  port: number;
  secretFile: string | null;
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
      '--secret-file', secretFiles(settings).sim,
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
  private target: ScriptTarget = { port: 0, secretFile: null };
  private process: SupervisedProcess | null = null;

  constructor(private readonly ctx: LiveContext) {}

  get scriptPort(): number {
    return this.target.port;
  }

  /** Starts the agent, or restarts it against another script (a new simulator, Live after the simulator). */
  pointAt(target: ScriptTarget): void {
    if (this.process && target.port === this.target.port && target.secretFile === this.target.secretFile) return;
    this.target = target;
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
        '--script-port', String(this.target.port),
        ...(this.target.secretFile ? ['--script-secret-file', this.target.secretFile] : []),
        '--exit-on-stdin-eof'],
      // A restart because of a new port is not a crash: come back at once.
      minDelayMs: 100,
      log: (level, msg) => logger[level](msg),
      onChange: () => supervisor.changed(),
    }));
    this.process.start();
  }
}
