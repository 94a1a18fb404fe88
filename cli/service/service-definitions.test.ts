import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { parse as parsePlist } from 'plist';
import { afterEach, describe, expect, it } from 'vitest';
import { userFolders } from '../paths/user-folders.ts';
import { absoluteFolders } from '../commands/service.ts';
import { LAUNCHD_LABEL, RESTART_DELAY_S, definition, definitionPath, systemFor, windowsQuote, type ServiceSpec, type ServiceSystem } from './service-definitions.ts';

const temps: string[] = [];
afterEach(() => { while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true }); });

const ARGS = ['start', '--service', '--port', '9443', '--data-dir', '/srv/Studio Data/room', '--public-url', 'https://studio.local:9443/'];

const SPECS: Record<ServiceSystem, { home: string; spec: ServiceSpec }> = {
  launchd: {
    home: '/Users/ada',
    spec: {
      node: '/opt/homebrew/bin/node', bin: '/opt/homebrew/lib/node_modules/roomtone/bin/roomtone.mjs', args: ARGS,
      folders: userFolders({ platform: 'darwin', home: '/Users/ada', env: {} }), pathEnv: '/opt/homebrew/bin:/usr/bin:/bin',
    },
  },
  systemd: {
    home: '/home/ada',
    spec: {
      node: '/usr/bin/node', bin: '/home/ada/.npm-global/lib/node_modules/roomtone/bin/roomtone.mjs', args: [...ARGS, '--log-level', '100%$sure'],
      folders: userFolders({ platform: 'linux', home: '/home/ada', env: {} }), pathEnv: '/usr/local/bin:/usr/bin:/bin',
    },
  },
  'task-scheduler': {
    home: 'C:\\Users\\ada',
    spec: {
      node: 'C:\\Program Files\\nodejs\\node.exe', bin: 'C:\\Users\\ada\\AppData\\Roaming\\npm\\node_modules\\roomtone\\bin\\roomtone.mjs', args: [...ARGS, '--join-code', 'say "hi"\\'],
      folders: userFolders({ platform: 'win32', home: 'C:\\Users\\ada', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' } }),
      pathEnv: 'C:\\Program Files\\nodejs;C:\\Python311', user: 'STUDIO\\ada',
    },
  },
};

/** Writes the definition the way `service install` does, into a temporary folder standing in for the home folder. */
function generate(system: ServiceSystem): { file: string; bytes: Buffer } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'roomtone-service-'));
  temps.push(root);
  const { home, spec } = SPECS[system];
  const where = definitionPath(system, home, spec.folders, {});
  const file = path.join(root, where.replace(/^[A-Z]:/, '').replace(/\\/g, '/'));
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, definition(system, spec));
  return { file, bytes: readFileSync(file) };
}

describe('service definitions', () => {
  it('chooses launchd on macOS, Task Scheduler on Windows and systemd elsewhere, each in its usual place', () => {
    expect(systemFor('darwin')).toBe('launchd');
    expect(systemFor('win32')).toBe('task-scheduler');
    expect(systemFor('linux')).toBe('systemd');
    expect(definitionPath('launchd', '/Users/ada', SPECS.launchd.spec.folders)).toBe(`/Users/ada/Library/LaunchAgents/${LAUNCHD_LABEL}.plist`);
    expect(definitionPath('systemd', '/home/ada', SPECS.systemd.spec.folders, {})).toBe('/home/ada/.config/systemd/user/roomtone.service');
    expect(definitionPath('systemd', '/home/ada', SPECS.systemd.spec.folders, { XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/systemd/user/roomtone.service');
    expect(definitionPath('task-scheduler', 'C:\\Users\\ada', SPECS['task-scheduler'].spec.folders)).toBe('C:\\Users\\ada\\AppData\\Roaming\\Roomtone\\roomtone-task.xml');
  });

  it('launchd: a LaunchAgent that runs roomtone start at login, restarts it after a crash and logs to ~/Library/Logs/Roomtone', () => {
    const { bytes } = generate('launchd');
    const agent = parsePlist(bytes.toString('utf8')) as Record<string, unknown>;
    const { spec } = SPECS.launchd;
    expect(agent).toMatchObject({
      Label: LAUNCHD_LABEL,
      ProgramArguments: [spec.node, spec.bin, ...ARGS],
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: RESTART_DELAY_S,
      WorkingDirectory: '/Users/ada/Library/Application Support/Roomtone',
      EnvironmentVariables: { PATH: '/opt/homebrew/bin:/usr/bin:/bin' },
      StandardErrorPath: '/Users/ada/Library/Logs/Roomtone/launchd.err.log',
      StandardOutPath: '/Users/ada/Library/Logs/Roomtone/launchd.out.log',
    });
  });

  it('systemd: a user unit that runs roomtone start, restarts it on failure and is wanted at login', () => {
    const { bytes } = generate('systemd');
    const unit = parseUnit(bytes.toString('utf8'));
    const { spec } = SPECS.systemd;
    expect(unit.Unit?.Description).toMatch(/Roomtone/);
    expect(unquoteSystemd(unit.Service!.ExecStart!)).toEqual([spec.node, spec.bin, ...spec.args]);
    expect(unit.Service).toMatchObject({ Type: 'exec', Restart: 'on-failure', RestartSec: String(RESTART_DELAY_S), KillMode: 'mixed' });
    expect(unquoteSystemd(unit.Service!.WorkingDirectory!)).toEqual(['/home/ada/.config/roomtone']);
    expect(unquoteSystemd(unit.Service!.Environment!)).toEqual(['PATH=/usr/local/bin:/usr/bin:/bin']);
    expect(unit.Install?.WantedBy).toBe('default.target');
  });

  it('Task Scheduler: a logon task (UTF-16) that runs roomtone start, restarts it after a failure and never stops it for time or battery', () => {
    const { bytes } = generate('task-scheduler');
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const text = bytes.subarray(2).toString('utf16le');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-16"?>')).toBe(true);
    const task = (new XMLParser({ parseTagValue: false }).parse(text) as { Task: TaskXml }).Task;
    const { spec } = SPECS['task-scheduler'];
    expect(task.Triggers.LogonTrigger).toMatchObject({ Enabled: 'true', UserId: 'STUDIO\\ada' });
    expect(task.Principals.Principal).toMatchObject({ LogonType: 'InteractiveToken', RunLevel: 'LeastPrivilege' });
    expect(task.Settings).toMatchObject({
      MultipleInstancesPolicy: 'IgnoreNew', DisallowStartIfOnBatteries: 'false', StopIfGoingOnBatteries: 'false',
      ExecutionTimeLimit: 'PT0S', RestartOnFailure: { Interval: 'PT1M', Count: '999' },
    });
    expect(task.Actions.Exec.Command).toBe(spec.node);
    expect(commandLineToArgv(task.Actions.Exec.Arguments)).toEqual([spec.bin, ...spec.args]);
    expect(task.Actions.Exec.WorkingDirectory).toBe('C:\\Users\\ada\\AppData\\Roaming\\Roomtone');
  });

  it('service install makes folder options absolute, whatever folder it ran in', () => {
    expect(absoluteFolders(['--data-dir', 'room', '--port', '9443', '--certs-dir=certs', '--log-level', 'debug']))
      .toEqual(['--data-dir', path.resolve('room'), '--port', '9443', `--certs-dir=${path.resolve('certs')}`, '--log-level', 'debug']);
  });

  it('quotes Windows arguments so that they read back the same', () => {
    for (const arg of ['plain', 'two words', 'C:\\Program Files\\x\\', 'say "hi"', 'a\\\\"b', '']) {
      expect(commandLineToArgv(windowsQuote(arg))).toEqual([arg]);
    }
  });
});

interface TaskXml {
  Triggers: { LogonTrigger: Record<string, string> };
  Principals: { Principal: Record<string, string> };
  Settings: Record<string, unknown>;
  Actions: { Exec: { Command: string; Arguments: string; WorkingDirectory: string } };
}

/** Sections → keys (the last value wins, as systemd reads single-valued keys). */
function parseUnit(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section = '';
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) { section = header[1]!; out[section] = {}; continue; }
    const at = line.indexOf('=');
    out[section]![line.slice(0, at)] = line.slice(at + 1);
  }
  return out;
}

/** systemd's command-line unquoting for the subset the generator writes. */
function unquoteSystemd(text: string): string[] {
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const raw = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
    words.push(raw.replace(/%%/g, '%').replace(/\$\$/g, '$'));
  }
  return words;
}

/** CommandLineToArgvW's rules for backslashes and quotes. */
function commandLineToArgv(line: string): string[] {
  const args: string[] = [];
  let current = '';
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      let n = 0;
      while (line[i] === '\\') { n++; i++; }
      if (line[i] === '"') {
        current += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) current += '"';
        else inQuotes = !inQuotes;
      } else {
        current += '\\'.repeat(n);
        i--;
      }
      started = true;
    } else if (c === '"') {
      inQuotes = !inQuotes;
      started = true;
    } else if (/\s/.test(c) && !inQuotes) {
      if (started) args.push(current);
      current = '';
      started = false;
    } else {
      current += c;
      started = true;
    }
  }
  if (started) args.push(current);
  return args;
}
