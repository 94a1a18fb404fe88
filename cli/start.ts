import path from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { parseConfig, ConfigError, type ServerConfig } from '../server/config.ts';
import { RoomtoneServer, type StartedServer } from '../server/roomtone-server.ts';
import { PersistenceError } from '../server/persistence/persistence-error.ts';
import { CertificateError } from '../server/tls/certificate-error.ts';
import { SupervisedProcess, type ProcessState } from './supervised-process.ts';
import { probeRemoteScript } from './live-probe.ts';
import { ensureClientBuilt } from './client-build.ts';
import { lanAddress } from '../server/util/lan-address.ts';
import { remoteScriptsDir } from '../scripts/install-remote-script.mjs';
import { SCRIPT_SECRET_FILE } from '../protocol/index.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const READY_WAIT_MS = 20_000;

const log = (msg: string): void => console.log(msg);

async function chooseLive(config: ServerConfig): Promise<'real' | 'sim'> {
  if (config.live !== 'auto') return config.live;
  return (await probeRemoteScript('127.0.0.1', config.scriptPort, 1_500)) ? 'real' : 'sim';
}

/**
 * The secret the agent proves itself with to the Remote Script (H9): for the simulator,
 * a file in the data dir; for Live, the one next to the installed script (which the
 * script makes when Live first loads it), unless ROOMTONE_SCRIPT_SECRET_FILE names another.
 */
function liveSecretFile(): string | null {
  if (process.env.ROOMTONE_SCRIPT_SECRET_FILE) return process.env.ROOMTONE_SCRIPT_SECRET_FILE;
  const where = remoteScriptsDir({});
  return where.dir ? path.join(where.dir, 'Roomtone', SCRIPT_SECRET_FILE) : null;
}

function simSecretFile(config: ServerConfig): string {
  return process.env.ROOMTONE_SCRIPT_SECRET_FILE ?? path.join(config.dataDir, 'sim-agent.secret');
}

/** The simulator runs the real Remote Script against a fake Live; first on any free port, then on the same one. */
function simulator(secretFile: string, onPort: (port: number) => void, onChange: (state: ProcessState) => void): SupervisedProcess {
  let port = 0;
  return new SupervisedProcess({
    name: 'sim',
    command: process.env.ROOMTONE_PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3'),
    args: () => [path.join(ROOT, 'remote-script', 'sim', 'run.py'), '--port', String(port), '--tick-hz', process.env.ROOMTONE_SIM_TICK_HZ ?? '100', '--secret-file', secretFile],
    log,
    onChange,
    onLine: (line) => {
      const match = /^roomtone-sim ready port=(\d+)/.exec(line);
      if (match) {
        port = Number(match[1]);
        onPort(port);
      }
    },
  });
}

function agent(started: StartedServer, scriptPort: () => number, secretFile: string | null, onChange: (state: ProcessState) => void): SupervisedProcess {
  return new SupervisedProcess({
    name: 'agent',
    command: process.execPath,
    args: () => ['--import', 'tsx', path.join(ROOT, 'host-agent', 'main.ts'),
      '--server', `https://127.0.0.1:${started.port}`,
      '--token-file', started.deviceTokenPath,
      '--ca-file', started.caCertPath,
      '--script-port', String(scriptPort()),
      ...(secretFile ? ['--script-secret-file', secretFile] : [])],
    log,
    onChange,
  });
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

async function main(): Promise<void> {
  const config = parseConfig(process.argv.slice(2));
  await ensureClientBuilt(log);
  const server = await RoomtoneServer.start(config);
  const { started } = server;
  const mode = await chooseLive(config);

  const children: SupervisedProcess[] = [];
  // Each supervised child's state (running, restarts, last exit) goes to the set doc's
  // `meta.processes`, which the UI reads and /healthz reports.
  const publish = (): void => server.publishProcesses(children.map(({ state }) => state));
  let scriptPort = config.scriptPort;
  const secretFile = mode === 'sim' ? simSecretFile(config) : liveSecretFile();
  let agentProcess: SupervisedProcess | null = null;
  const startAgent = (): void => {
    if (agentProcess) return;
    agentProcess = agent(started, () => scriptPort, secretFile, publish);
    children.push(agentProcess);
    agentProcess.start();
  };
  if (mode === 'sim') {
    const sim = simulator(simSecretFile(config), (port) => {
      scriptPort = port;
      startAgent();
    }, publish);
    children.push(sim);
    sim.start();
  } else {
    startAgent();
  }

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log(`Roomtone stopping (${signal})…`);
    await Promise.all(children.map((c) => c.stop()));
    await server.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  await waitFor(() => server.linkState().liveConnected, READY_WAIT_MS);
  const local = `https://127.0.0.1:${started.port}/`;
  const lan = config.host === '0.0.0.0' ? lanAddress() : null;
  const joinUrl = `https://${lan ?? '127.0.0.1'}:${started.port}/?code=${started.joinCode}`;
  const link = server.linkState();
  const liveText = link.liveConnected
    ? (mode === 'sim' ? 'simulator' : `Live ${link.live?.version ?? ''}`.trim())
    : `not connected yet (${mode})`;
  log(`Roomtone ready: ${local} · join code ${started.joinCode} · admin PIN ${started.adminPin} · Live: ${liveText}`);
  if (lan) log(`On the LAN: https://${lan}:${started.port}/  (tablets install the CA from http://${lan}:${started.httpPort}/)`);
  log(await QRCode.toString(joinUrl, { type: 'terminal', small: true }));
}

main().catch((err: unknown) => {
  // A bad option or a data/certificate file we refuse to overwrite: one clear line, no stack.
  const plain = err instanceof ConfigError || err instanceof PersistenceError || err instanceof CertificateError;
  console.error(plain ? `roomtone: ${err.message}` : err);
  process.exit(1);
});
