import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { PACKAGE_ROOT } from '../../server/util/package-root.ts';
import { OPTIONS, flagOf, optionsFor, type OptionKey, type OptionSpec } from '../options/option-table.ts';
import type { Resolved } from '../options/resolve.ts';
import { absolutePath } from '../options/values.ts';
import { userFolders } from '../paths/user-folders.ts';
import { readRunningFile, savedJoinCode } from '../start/running-file.ts';
import {
  LAUNCHD_LABEL, SYSTEMD_UNIT, TASK_NAME, definition, definitionPath, systemFor, type ServiceSpec, type ServiceSystem,
} from '../service/service-definitions.ts';

const BIN = path.join(PACKAGE_ROOT, 'bin', 'roomtone.mjs');

/**
 * `roomtone service install [start options]`: writes the definition for this system
 * and loads it, so Roomtone starts at login (at boot for a systemd user with lingering)
 * and again after a crash.
 */
export async function runServiceInstall(_resolved: Resolved, rawArgs: string[]): Promise<number> {
  const system = systemFor(process.platform);
  const folders = userFolders();
  const spec: ServiceSpec = {
    node: process.execPath,
    bin: BIN,
    args: ['start', '--service', ...absoluteFolders(rawArgs)],
    folders,
    pathEnv: process.env.PATH ?? '',
    user: process.platform === 'win32' ? `${process.env.USERDOMAIN ?? os.hostname()}\\${os.userInfo().username}` : undefined,
  };
  const file = definitionPath(system, os.homedir(), folders, process.env);
  mkdirSync(path.dirname(file), { recursive: true });
  mkdirSync(folders.config, { recursive: true });
  mkdirSync(folders.logs, { recursive: true, mode: 0o700 });
  writeFileSync(file, definition(system, spec));
  say(`wrote ${file}`);
  const loaded = await load(system, file);
  if (!loaded.ok) {
    process.stderr.write(`roomtone service install: the definition is written, but ${loaded.message}\n`);
    return 1;
  }
  say(`Roomtone now starts at login${system === 'systemd' ? ' (at boot, without a login, after `loginctl enable-linger`)' : ''} and again after a crash; it is starting now.`);
  say('`roomtone service status` shows its address, join code, admin PIN and QR code; logs are in', folders.logs);
  const unseen = Object.keys(process.env).filter((k) => k.startsWith('ROOMTONE_') && k !== 'ROOMTONE_CONFIG');
  if (unseen.length) say(`Note: the service does not see ${unseen.join(', ')} from this shell; put settings in ${path.join(folders.config, 'config.json')} instead.`);
  return 0;
}

export async function runServiceUninstall(_resolved: Resolved): Promise<number> {
  const system = systemFor(process.platform);
  const folders = userFolders();
  const file = definitionPath(system, os.homedir(), folders, process.env);
  const result = await unload(system);
  if (existsSync(file)) rmSync(file);
  if (!result.ok && existsSync(file)) {
    process.stderr.write(`roomtone service uninstall: ${result.message}\n`);
    return 1;
  }
  say(`Roomtone is stopped and no longer starts at login (${file} removed). Its data, certificates and logs stay in your user folders.`);
  return 0;
}

/**
 * `roomtone service status`: installed, running, and how to reach the room. The admin
 * PIN, the join code and the QR code are shown to their owner on an interactive
 * terminal only (the data folder holding them is readable by its owner alone).
 */
export async function runServiceStatus({ settings }: Resolved): Promise<number> {
  const system = systemFor(process.platform);
  const file = definitionPath(system, os.homedir(), userFolders(), process.env);
  const installed = existsSync(file);
  const manager = installed ? await query(system) : null;
  const info = readRunningFile(settings.dataDir);
  const alive = info !== null && processAlive(info.pid);
  const interactive = process.stdout.isTTY;
  const joinCode = alive ? savedJoinCode(settings.dataDir, info.room) : null;
  if (settings.json) {
    process.stdout.write(`${JSON.stringify({
      installed, definition: installed ? file : null, manager,
      running: alive ? { pid: info.pid, version: info.version, startedAt: info.startedAt, localUrl: info.localUrl, lanUrl: info.lanUrl, caUrl: info.caUrl, logFile: info.logFile } : null,
    }, null, 2)}\n`);
    return alive ? 0 : 3;
  }
  say(`service: ${installed ? `installed (${file})` : 'not installed (`roomtone service install` starts Roomtone at login)'}${manager ? `; ${manager}` : ''}`);
  if (!alive) {
    say(`Roomtone is not running with the data folder ${settings.dataDir}.`);
    return 3;
  }
  say(`running: pid ${info.pid}, version ${info.version}, since ${info.startedAt}`);
  say(`on this machine: ${info.localUrl}`);
  if (info.lanUrl) say(`on the LAN: ${info.lanUrl}${info.caUrl ? `  (tablets install the CA from ${info.caUrl})` : ''}`);
  if (info.logFile) say(`log: ${info.logFile}`);
  if (!interactive) {
    say('The join code, admin PIN and QR code are shown on an interactive terminal only.');
    return 0;
  }
  say(`join code ${joinCode ?? '(not saved yet)'} · admin PIN ${info.adminPin}`);
  if (joinCode) {
    const joinUrl = `${info.joinBase}?code=${encodeURIComponent(joinCode)}`;
    say(`Scan to join (${joinUrl}):`);
    say(await QRCode.toString(joinUrl, { type: 'terminal', small: true }));
  }
  return 0;
}

/** Folder options given relative to where `service install` ran, made absolute for the service's own working folder. */
export function absoluteFolders(args: string[]): string[] {
  const pathFlags = (Object.keys(OPTIONS) as OptionKey[])
    .filter((k) => (OPTIONS[k] as OptionSpec<unknown>).parse === absolutePath && optionsFor('service install').includes(k))
    .map(flagOf);
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (!pathFlags.includes(flag)) out.push(arg);
    else if (eq > 0) out.push(`${flag}=${path.resolve(arg.slice(eq + 1))}`);
    else if (i + 1 < args.length) out.push(flag, path.resolve(args[++i]!));
    else out.push(arg);
  }
  return out;
}

interface Outcome { ok: boolean; message: string }

async function load(system: ServiceSystem, file: string): Promise<Outcome> {
  if (system === 'launchd') {
    const domain = `gui/${os.userInfo().uid}`;
    await run('launchctl', ['bootout', `${domain}/${LAUNCHD_LABEL}`]);
    return run('launchctl', ['bootstrap', domain, file]);
  }
  if (system === 'systemd') {
    const reload = await run('systemctl', ['--user', 'daemon-reload']);
    if (!reload.ok) return reload;
    return run('systemctl', ['--user', 'enable', '--now', SYSTEMD_UNIT]);
  }
  const created = await run('schtasks', ['/Create', '/TN', TASK_NAME, '/XML', file, '/F']);
  if (!created.ok) return created;
  return run('schtasks', ['/Run', '/TN', TASK_NAME]);
}

async function unload(system: ServiceSystem): Promise<Outcome> {
  if (system === 'launchd') return run('launchctl', ['bootout', `gui/${os.userInfo().uid}/${LAUNCHD_LABEL}`]);
  if (system === 'systemd') {
    const result = await run('systemctl', ['--user', 'disable', '--now', SYSTEMD_UNIT]);
    await run('systemctl', ['--user', 'daemon-reload']);
    return result;
  }
  await run('schtasks', ['/End', '/TN', TASK_NAME]);
  return run('schtasks', ['/Delete', '/TN', TASK_NAME, '/F']);
}

/** The service manager's own word on the service, in one short phrase. */
async function query(system: ServiceSystem): Promise<string> {
  if (system === 'launchd') {
    const out = await run('launchctl', ['print', `gui/${os.userInfo().uid}/${LAUNCHD_LABEL}`]);
    if (!out.ok) return 'launchd: not loaded';
    return `launchd: ${/state = (\w+)/.exec(out.message)?.[1] ?? 'loaded'}`;
  }
  if (system === 'systemd') {
    const active = await run('systemctl', ['--user', 'is-active', SYSTEMD_UNIT]);
    const enabled = await run('systemctl', ['--user', 'is-enabled', SYSTEMD_UNIT]);
    return `systemd: ${active.message.trim() || 'unknown'}, ${enabled.message.trim() || 'unknown'}`;
  }
  const out = await run('schtasks', ['/Query', '/TN', TASK_NAME, '/FO', 'LIST']);
  return out.ok ? `Task Scheduler: ${/Status:\s*(.+)/.exec(out.message)?.[1]?.trim() ?? 'registered'}` : 'Task Scheduler: not registered';
}

function run(command: string, args: string[]): Promise<Outcome> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 15_000, windowsHide: true }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') return resolve({ ok: false, message: `${command} is not available on this system` });
      resolve({ ok: !err, message: err ? `${command} ${args.join(' ')} failed: ${(stderr || stdout || err.message).trim()}` : stdout });
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function say(...parts: string[]): void {
  process.stdout.write(`${parts.join(' ')}\n`);
}
