import path from 'node:path';
import type { Logger } from 'pino';
import { ConfigError } from '../server/config.ts';
import { PersistenceError } from '../server/persistence/persistence-error.ts';
import { RoomtoneServer, type StartedServer } from '../server/roomtone-server.ts';
import { CertificateError } from '../server/tls/certificate-error.ts';
import { lan } from '../server/util/lan-address.ts';
import { PACKAGE_ROOT, PACKAGE_VERSION } from '../server/util/package-root.ts';
import { createLogger, type RoomtoneLogger } from './logging/logger.ts';
import type { OptionKey, Settings } from './options/option-table.ts';
import type { Source } from './options/resolve.ts';
import { toServerConfig } from './options/server-config.ts';
import { migrateLegacyFolders } from './paths/migrate.ts';
import { banner, describeCandidate } from './start/banner.ts';
import { ensureClientBuilt } from './start/client-build.ts';
import { startLive, type LiveSource } from './start/live-source.ts';
import { removeRunningFile, writeRunningFile } from './start/running-file.ts';
import { DataDirLockedError, lockDataDir, type DataDirLock } from './supervisor/data-dir-lock.ts';
import { installShutdown } from './supervisor/shutdown.ts';
import { Supervisor } from './supervisor/supervisor.ts';

export interface StartInput {
  settings: Settings;
  from: Record<OptionKey, Source>;
  configFile: string | null;
  /** Keys a .env file set. */
  dotenv: string[];
}

/** How long start waits for Live (or the simulator) before printing the ready line anyway. */
const READY_WAIT_MS = { sim: 20_000, real: 3_000 };
/** The page shows why the server stopped, in words. */
const STOP_CAUSE: Record<string, string> = { SIGINT: 'Ctrl-C', SIGTERM: 'stopped by the system or its service manager', SIGHUP: 'its terminal was closed' };
/** Addresses are checked this often: a service starts before the network; laptops roam. */
const NETWORK_CHECK_MS = 5_000;

/**
 * `roomtone start`: the server in this process, the host agent and (when it is the Live
 * in use) the simulator as supervised children, the ready line, then the room runs
 * until a signal stops it.
 */
export async function runStart(input: StartInput): Promise<number> {
  const { settings } = input;
  const log = createLogger({ level: settings.logLevel, logDir: settings.logDir, service: settings.service });
  const { logger } = log;
  try {
    return await start(input, log);
  } catch (err) {
    const line = plainReason(err, settings);
    if (!line) throw err;
    logger.error(line.message);
    await log.close();
    return line.exitCode;
  }
}

async function start(input: StartInput, log: RoomtoneLogger): Promise<number> {
  const { settings, from } = input;
  const { logger } = log;
  if (settings.joinCode !== undefined && settings.joinCode === settings.adminPin) {
    throw new ConfigError('the admin PIN must differ from the join code: everyone who may join could otherwise take the host role');
  }

  const migration = migrateLegacyFolders({
    legacyData: path.resolve('data'),
    legacyCerts: path.join(PACKAGE_ROOT, 'certs'),
    dataDir: settings.dataDir,
    certsDir: settings.certsDir,
    dataIsDefault: from.dataDir === 'default',
    certsIsDefault: from.certsDir === 'default',
  });
  for (const m of migration.moved) logger.warn(`moved the room's ${m.what} from ${m.from} to ${m.to} (once: Roomtone keeps them in your user folders now, so upgrades keep them)`);
  for (const m of migration.leftAlone) logger.warn(`${m.from} also holds Roomtone ${m.what}; Roomtone uses ${m.to}. Move or delete the old folder when you no longer need it.`);

  // Checked before anything is locked or started: a bad combination is one line and exit 2.
  const serverConfig = toServerConfig(settings);
  const lock = await lockDataDir(settings.dataDir);
  await ensureClientBuilt((msg) => logger.info(msg));
  await lan.refresh();

  // Set once the server listens; a stop signal before that has no server to stop.
  let running: RoomtoneServer | null = null;
  const supervisor = new Supervisor((reports) => { running?.reportProcesses(reports); });
  let watching: LiveSource | null = null;
  installShutdown({
    logger,
    graceful: async (reason) => {
      watching?.stop();
      await Promise.all([supervisor.stopAll(), running?.stop(`Roomtone is stopping on the studio computer (${STOP_CAUSE[reason] ?? reason})`)]);
      removeRunningFile(settings.dataDir);
      await lock.release();
    },
    immediate: () => supervisor.killAll(),
    flush: () => log.close(),
  });
  let server: RoomtoneServer;
  try {
    server = await RoomtoneServer.start(serverConfig, { log: serverLog(logger) });
  } catch (err) {
    await releaseQuietly(lock);
    throw err;
  }
  running = server;
  const { started } = server;
  logger.info(`Roomtone ${PACKAGE_VERSION} on Node ${process.version}: https port ${started.port}${started.httpPort !== null ? `, http port ${started.httpPort}` : ''}; data in ${settings.dataDir}; certificates in ${settings.certsDir}${input.configFile ? `; settings from ${input.configFile}` : ''}${input.dotenv.length ? `; .env set ${input.dotenv.join(', ')}` : ''}${log.file ? `; log in ${log.file}` : ''}`);

  const live = await startLive({ settings, logger, server, started, supervisor });
  watching = live;
  await waitUntil(() => server.health.ready() || supervisor.reports().some((p) => p.phase === 'failed'), READY_WAIT_MS[live.mode === 'real' ? 'real' : 'sim']);

  const startedAt = new Date().toISOString();
  const announce = async (): Promise<void> => {
    const u = addresses(settings, started);
    writeRunningFile(settings.dataDir, {
      pid: process.pid, version: PACKAGE_VERSION, startedAt, room: started.room,
      localUrl: u.localUrl, lanUrl: u.lanUrl, joinBase: u.joinBase, caUrl: u.caUrl, adminPin: started.adminPin, logFile: log.file, mdns: settings.mdns,
    });
    const text = await banner({
      ...u, joinUrl: server.joinUrl(server.started.joinCode), joinCode: server.started.joinCode, adminPin: started.adminPin,
      live: liveText(server, live), candidates: lan.candidates(),
    }, process.stdout.isTTY);
    process.stdout.write(text);
    logger.info(`ready: ${u.localUrl}${u.lanUrl ? ` and ${u.lanUrl}` : ''} (Live: ${liveText(server, live)})`);
  };
  await announce();
  watchNetwork(server, logger, () => void announce());
  return 0;
}

interface Urls { localUrl: string; lanUrl: string | null; joinBase: string; caUrl: string | null }

function addresses(settings: Settings, started: StartedServer): Urls {
  const local = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const address = settings.host === '0.0.0.0' || settings.host === '::' ? lan.current() : null;
  const lanUrl = address ? `https://${address}:${started.port}/` : null;
  const caHost = address ?? local;
  return {
    localUrl: `https://${local}:${started.port}/`,
    lanUrl,
    joinBase: settings.publicUrl ?? lanUrl ?? `https://${local}:${started.port}/`,
    // The plain-HTTP page explains how to trust the CA on each kind of device, then links to the join page.
    caUrl: started.httpPort !== null ? `http://${caHost}:${started.httpPort}/` : null,
  };
}

function liveText(server: RoomtoneServer, live: LiveSource): string {
  const health = server.health.report();
  if (health.live.connected) return health.live.mode === 'sim' ? 'simulator' : `Live ${health.live.version ?? ''}`.trim();
  const failed = health.processes.find((p) => p.phase === 'failed');
  if (failed) return `not connected (${failed.name} failed: see above)`;
  return `not connected yet (${live.mode === 'real' ? 'waiting for Live' : 'simulator starting'})`;
}

/** New addresses: tell the log, advertise them, and print where the room now is. */
function watchNetwork(server: RoomtoneServer, logger: Logger, reannounce: () => void): void {
  let last = lan.candidates().map((c) => c.address).join(' ');
  if (!last) logger.warn('this machine has no network address yet; the room is reachable at 127.0.0.1 only until it has one');
  const timer = setInterval(() => {
    void lan.refresh().then((candidates) => {
      const now = candidates.map((c) => c.address).join(' ');
      if (now === last) return;
      last = now;
      logger.info(`network changed: ${candidates.length ? candidates.map(describeCandidate).join(', ') : 'no address'}`);
      void server.networkChanged().then(reannounce);
    });
  }, NETWORK_CHECK_MS);
  timer.unref();
}

function serverLog(logger: Logger): { debug(m: string): void; info(m: string): void; warn(m: string): void; error(m: string): void } {
  return { debug: (m) => logger.debug(m), info: (m) => logger.info(m), warn: (m) => logger.warn(m), error: (m) => logger.error(m) };
}

async function waitUntil(check: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

async function releaseQuietly(lock: DataDirLock): Promise<void> {
  try {
    await lock.release();
  } catch {
    // Exiting anyway: the OS frees the lock.
  }
}

/** Errors a studio engineer can act on: one line, no stack, and the exit code to use. */
function plainReason(err: unknown, settings: Settings): { message: string; exitCode: number } | null {
  if (err instanceof ConfigError) return { message: err.message, exitCode: 2 };
  if (err instanceof DataDirLockedError || err instanceof PersistenceError || err instanceof CertificateError) return { message: err.message, exitCode: 1 };
  const e = err as NodeJS.ErrnoException & { port?: number; address?: string };
  const flag = e.port === settings.httpPort && e.port !== settings.port ? '--http-port' : '--port';
  if (e.code === 'EADDRINUSE' && e.syscall === 'listen' && typeof e.port === 'number') {
    return { message: `port ${e.port} is in use (another Roomtone, or another program): stop it, or choose another with ${flag} ${e.port + 1} (${flag} 0 takes any free one)`, exitCode: 1 };
  }
  if (e.code === 'EACCES' && e.syscall === 'listen' && typeof e.port === 'number') {
    return { message: `port ${e.port} needs administrator rights on this system: choose one above 1023 with ${flag}`, exitCode: 1 };
  }
  if (e.code === 'EADDRNOTAVAIL' && e.syscall === 'listen') {
    return { message: `${e.address ?? 'that address'} is not an address of this machine: check --host`, exitCode: 1 };
  }
  return null;
}
