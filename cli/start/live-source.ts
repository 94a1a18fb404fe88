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
import { LiveWatch } from './live-watch.ts';
import { findPython, pythonMissing } from './python.ts';

export interface LiveContext {
  settings: Settings;
  logger: Logger;
  server: RoomtoneServer;
  started: StartedServer;
  supervisor: Supervisor;
}

/** What start.ts holds on to: the Live in use (which changes as Live comes and goes), and the agent. */
export interface LiveSource {
  readonly mode: LiveMode;
  readonly agent: HostAgentProcess;
  /** Stops looking for Live (the launcher is stopping). */
  stop(): void;
}

/**
 * Decides which Live the host agent drives over the launcher's whole life (cli/start/live-watch.ts):
 * `--live auto` starts on the simulator when Live is not open and moves the agent to Live
 * as soon as its Remote Script answers, stopping the simulator; after that Live may close
 * and open again ("Live is closed", never a silent fall back). Started as a service,
 * Roomtone usually comes up before Live: `auto` then waits for Live (the agent keeps
 * trying the script port) rather than start the simulator at all.
 */
export async function startLive(ctx: LiveContext): Promise<LiveSource> {
  const { settings, server, logger, supervisor } = ctx;
  const agent = new HostAgentProcess(ctx);
  const secrets = secretFiles(settings);
  const waitForLive = settings.live === 'auto' && settings.service;
  if (waitForLive) logger.info(`as a service, --live auto waits for Live's Remote Script on port ${settings.scriptPort} (no simulator)`);
  let mode: LiveMode = settings.live === 'sim' ? 'sim' : 'real';
  let sim: Promise<SupervisedProcess> | null = null;
  const watch = new LiveWatch({
    mode: waitForLive ? 'real' : settings.live,
    scriptPort: settings.scriptPort,
    startSimulator: () => {
      sim = startSimulator(ctx, (port) => agent.pointAt({ port, secretFile: secrets.sim })).then((started) => {
        // No Python: the agent still runs (the room shows it connected and Live not), and a
        // Live opened later on the script port is found.
        if (!started.running) agent.pointAt({ port: settings.scriptPort, secretFile: secrets.live });
        return started.process;
      });
    },
    stopSimulator: async () => {
      // Stays in the reports as stopped (on purpose, not a failure): /healthz shows it.
      await (await sim)?.stop();
      supervisor.changed();
    },
    useScriptPort: (port) => agent.pointAt({ port, secretFile: secrets.live }),
    liveConnected: () => server.health.report().live.connected,
    log: (message) => logger.info(message),
    onState: (state) => {
      mode = state === 'sim' ? 'sim' : 'real';
      server.reportLiveMode(mode);
    },
  });
  await watch.start();
  return {
    get mode() { return mode; },
    agent,
    stop: () => watch.stop(),
  };
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
 * free port and says which on its ready line (again after each new set). Not running when
 * there is no Python; the failure is then reported as the `sim` process's state.
 */
export async function startSimulator(ctx: LiveContext, onPort: (port: number) => void): Promise<{ process: SupervisedProcess; running: boolean }> {
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
    return { process: sim, running: false };
  }
  sim.start();
  return { process: sim, running: true };
}

/** The host agent as a supervised child, pointed at a Remote Script port. */
export class HostAgentProcess {
  private target: ScriptTarget = { port: 0, secretFile: null };
  private process: SupervisedProcess | null = null;

  constructor(private readonly ctx: LiveContext) {}

  get scriptPort(): number {
    return this.target.port;
  }

  /**
   * Starts the agent, or moves it to another script (a new simulator, Live after the
   * simulator): by a control line on its stdin when it runs (host-agent/main.ts; a restart
   * would cost the room seconds), else by a restart with the new arguments. Each script
   * has its own secret (H9), so the file moves with the port.
   */
  pointAt(target: ScriptTarget): void {
    if (this.process && target.port === this.target.port && target.secretFile === this.target.secretFile) return;
    this.target = target;
    if (this.process) {
      const line = JSON.stringify({ scriptPort: target.port, ...(target.secretFile ? { scriptSecretFile: target.secretFile } : {}) });
      if (this.process.report.phase !== 'running' || !this.process.send(line)) this.process.restart();
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
