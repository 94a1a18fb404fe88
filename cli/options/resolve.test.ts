import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../server/config.ts';
import { userFolders } from '../paths/user-folders.ts';
import { OPTIONS, flagOf, optionsFor, type OptionKey } from './option-table.ts';
import { closest, loadDotEnv, resolveSettings } from './resolve.ts';
import { adminPin, joinCode } from './values.ts';

const temps: string[] = [];
afterEach(() => { while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true }); });
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-options-'));
  temps.push(dir);
  return dir;
}

const ctx = { folders: userFolders({ platform: 'linux', env: {}, home: '/home/ada' }), platform: 'linux' as const };
const resolve = (flags: Partial<Record<OptionKey, unknown>>, env: Record<string, string | undefined> = {}) =>
  resolveSettings({ command: 'start', flags, env, ctx });

describe('options: flags over environment over config file over defaults', () => {
  it('uses the documented defaults, with per-user folders', () => {
    const { settings, from } = resolve({});
    expect(settings).toMatchObject({
      port: 8443, httpPort: 8080, host: '0.0.0.0', live: 'auto', mdns: true, logLevel: 'info', python: 'python3',
      dataDir: '/home/ada/.local/share/roomtone/data', certsDir: '/home/ada/.local/share/roomtone/certs',
      logDir: '/home/ada/.local/state/roomtone/logs', config: '/home/ada/.config/roomtone/config.json',
      joinCode: undefined, adminPin: undefined, ipBinding: 'exact', ratePerSecond: 30, rateBurst: 60,
    });
    expect(from.port).toBe('default');
  });

  it('reads every option of start from its environment variable', () => {
    const { settings, from } = resolve({}, {
      ROOMTONE_PORT: '0', ROOMTONE_HTTP_PORT: '-1', ROOMTONE_DATA_DIR: '/tmp/x', ROOMTONE_LIVE: 'sim', ROOMTONE_MDNS: '0',
      ROOMTONE_JOIN_CODE: '4829137', ROOMTONE_ADMIN_PIN: '730418', ROOMTONE_PYTHON: '/opt/py/bin/python3', ROOMTONE_SIM_SET: 'heavy',
      ROOMTONE_SESSION_IDLE_MS: '60000', ROOMTONE_SESSION_GRACE_MS: '0', ROOMTONE_MDNS_UNICAST: '127.0.0.2:5400', ROOMTONE_MDNS_BIND: '127.0.0.1',
      ROOMTONE_PUBLIC_URL: 'https://studio.local:8443', ROOMTONE_COMPACT_AFTER_KB: '24', ROOMTONE_LOG_LEVEL: 'debug',
    });
    expect(settings).toMatchObject({
      port: 0, httpPort: -1, dataDir: '/tmp/x', live: 'sim', mdns: false, joinCode: '4829137', adminPin: '730418',
      python: '/opt/py/bin/python3', set: 'heavy', sessionIdleMs: 60_000, sessionGraceMs: 0,
      mdnsUnicast: { ip: '127.0.0.2', port: 5400 }, mdnsBind: '127.0.0.1', publicUrl: 'https://studio.local:8443/',
      compactAfterKb: 24 * 1024, logLevel: 'debug',
    });
    expect(from.port).toBe('env');
  });

  it('lets a flag win over the environment, and the environment over the config file', () => {
    const dir = tempDir();
    const config = path.join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ port: 9000, httpPort: 9001, live: 'real', mdns: false, adminPin: '90817263' }));
    const { settings, from, configFile } = resolve({ port: 7000 }, { ROOMTONE_CONFIG: config, ROOMTONE_PORT: '7500', ROOMTONE_HTTP_PORT: '7501' });
    expect(configFile).toBe(config);
    expect(settings).toMatchObject({ port: 7000, httpPort: 7501, live: 'real', mdns: false, adminPin: '90817263' });
    expect(from).toMatchObject({ port: 'flag', httpPort: 'env', live: 'config', adminPin: 'config', host: 'default' });
  });

  it('takes the hardening options: --reset-notes and --max-connections-per-address, or their variables', () => {
    expect(resolve({}).settings).toMatchObject({ resetNotes: false, maxConnectionsPerAddress: 400 });
    expect(resolve({ resetNotes: true, maxConnectionsPerAddress: 900 }).settings).toMatchObject({ resetNotes: true, maxConnectionsPerAddress: 900 });
    expect(resolve({}, { ROOMTONE_RESET_NOTES: '1', ROOMTONE_MAX_CONNECTIONS_PER_ADDRESS: '50' }).settings).toMatchObject({ resetNotes: true, maxConnectionsPerAddress: 50 });
    expect(() => resolve({}, { ROOMTONE_MAX_CONNECTIONS_PER_ADDRESS: '2' })).toThrow(/8 to 100000/);
    // One run's recovery, never a standing setting.
    const file = path.join(tempDir(), 'config.json');
    writeFileSync(file, JSON.stringify({ resetNotes: true }));
    expect(() => resolve({}, { ROOMTONE_CONFIG: file })).toThrow(/unknown setting "resetNotes"/);
  });

  it('counts an empty environment variable as unset', () => {
    expect(resolve({}, { ROOMTONE_JOIN_CODE: '', ROOMTONE_PORT: '' }).settings).toMatchObject({ joinCode: undefined, port: 8443 });
  });

  it('refuses bad values with one clear line naming where the value came from', () => {
    expect(() => resolve({}, { ROOMTONE_PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => resolve({}, { ROOMTONE_PORT: '70000' })).toThrow(/^ROOMTONE_PORT must be a whole number from 0 to 65535, got "70000"$/);
    expect(() => resolve({}, { ROOMTONE_LIVE: 'maybe' })).toThrow(/ROOMTONE_LIVE must be auto, sim or real/);
    expect(() => resolve({}, { ROOMTONE_MDNS: 'perhaps' })).toThrow(/ROOMTONE_MDNS must be 1 or 0/);
    expect(() => resolve({}, { ROOMTONE_PUBLIC_URL: 'http://studio.local' })).toThrow(/https/);
    expect(() => resolve({}, { ROOMTONE_IP_BINDING: 'any' })).toThrow(/exact or subnet/);
  });

  it('refuses a config file that is not JSON, not an object, has an unknown key or a bad value', () => {
    const dir = tempDir();
    const file = path.join(dir, 'config.json');
    const withConfig = (text: string) => {
      writeFileSync(file, text);
      return () => resolve({}, { ROOMTONE_CONFIG: file });
    };
    expect(withConfig('{ port: 1 }')).toThrow(/is not valid JSON/);
    expect(withConfig('[1]')).toThrow(/one JSON object/);
    expect(withConfig('{ "prot": 8443 }')).toThrow(/unknown setting "prot" \(did you mean "port"\?\)/);
    expect(withConfig('{ "config": "/elsewhere.json" }')).toThrow(/unknown setting "config"/);
    expect(withConfig('{ "port": "eighty" }')).toThrow(/config\.json: "port" must be a whole number/);
    expect(withConfig('{ "port": [1] }')).toThrow(/must be a string, a number or true\/false/);
  });

  it('has no config file when there is none', () => {
    expect(resolve({}, { ROOMTONE_CONFIG: path.join(tempDir(), 'missing.json') }).configFile).toBeNull();
  });

  it('gives each command only its own options', () => {
    expect(optionsFor('discover')).toEqual(expect.arrayContaining(['timeout', 'json', 'mdnsUnicast']));
    expect(optionsFor('discover')).not.toContain('port');
    // A service runs `start` with the same settings, except the switches for one run only.
    expect(optionsFor('service install')).toEqual(optionsFor('start').filter((k) => k !== 'service' && k !== 'resetNotes'));
    expect(flagOf('httpPort')).toBe('--http-port');
    expect(flagOf('mdns')).toBe('--no-mdns');
  });
});

describe('join codes and admin PINs', () => {
  it('refuses codes too short or too obvious to resist guessing, keeps good ones', () => {
    for (const weak of ['123', '12345', '000000', '123456', '987654', 'aaaaaa', 'abcdef']) expect(() => joinCode(weak)).toThrow();
    expect(() => joinCode('12 34 56')).toThrow(/letters or digits/);
    expect(joinCode('482913')).toBe('482913');
    expect(joinCode(' Band2026 ')).toBe('Band2026');
  });

  it('holds a configured admin PIN to the server\'s rule (H3): 6 to 32 digits, no obvious run', () => {
    for (const weak of ['12345', '000000', '123456', '987654']) expect(() => adminPin(weak)).toThrow();
    expect(() => adminPin('k7q2m9x4')).toThrow(/digits only/);
    expect(() => adminPin('7304')).toThrow(/at least 6 digits/);
    expect(adminPin(' 730418 ')).toBe('730418');
    expect(() => resolve({}, { ROOMTONE_ADMIN_PIN: '4242' })).toThrow(/^ROOMTONE_ADMIN_PIN is refused: the admin PIN needs at least 6 digits/);
  });
});

describe('.env', () => {
  it('fills unset ROOMTONE_* variables only, never overriding the environment', () => {
    const dir = tempDir();
    const file = path.join(dir, '.env');
    writeFileSync(file, 'ROOMTONE_PORT=9443\nROOMTONE_LIVE=sim\nNODE_OPTIONS=--inspect\n# a comment\nROOMTONE_ADMIN_PIN="730418"\n');
    const env: Record<string, string | undefined> = { ROOMTONE_LIVE: 'real' };
    expect(loadDotEnv(file, env).sort()).toEqual(['ROOMTONE_ADMIN_PIN', 'ROOMTONE_PORT']);
    expect(env).toEqual({ ROOMTONE_LIVE: 'real', ROOMTONE_PORT: '9443', ROOMTONE_ADMIN_PIN: '730418' });
    expect(loadDotEnv(path.join(dir, 'none'), env)).toEqual([]);
  });
});

describe('per-user folders', () => {
  it('follows each system\'s conventions', () => {
    expect(userFolders({ platform: 'darwin', home: '/Users/ada', env: {} })).toEqual({
      config: '/Users/ada/Library/Application Support/Roomtone',
      data: '/Users/ada/Library/Application Support/Roomtone/data',
      certs: '/Users/ada/Library/Application Support/Roomtone/certs',
      logs: '/Users/ada/Library/Logs/Roomtone',
    });
    expect(userFolders({ platform: 'win32', home: 'C:\\Users\\ada', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming', LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' } })).toEqual({
      config: 'C:\\Users\\ada\\AppData\\Roaming\\Roomtone',
      data: 'C:\\Users\\ada\\AppData\\Local\\Roomtone\\data',
      certs: 'C:\\Users\\ada\\AppData\\Local\\Roomtone\\certs',
      logs: 'C:\\Users\\ada\\AppData\\Local\\Roomtone\\logs',
    });
    expect(userFolders({ platform: 'linux', home: '/home/ada', env: { XDG_DATA_HOME: '/srv/data', XDG_CONFIG_HOME: 'relative/ignored', XDG_STATE_HOME: '/srv/state' } })).toEqual({
      config: '/home/ada/.config/roomtone',
      data: '/srv/data/roomtone/data',
      certs: '/srv/data/roomtone/certs',
      logs: '/srv/state/roomtone/logs',
    });
  });

  it('puts the Windows config file under AppData\\Roaming', () => {
    const folders = userFolders({ platform: 'win32', home: 'C:\\Users\\ada', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' } });
    expect(OPTIONS.config.fallback({ folders, platform: 'win32' })).toBe('C:\\Users\\ada\\AppData\\Roaming\\Roomtone\\config.json');
  });
});

describe('suggestions', () => {
  it('names the nearest known word for a typo, and nothing for a stranger', () => {
    expect(closest('prot', ['port', 'host'])).toBe('port');
    expect(closest('adminpin', ['adminPin', 'joinCode'])).toBe('adminPin');
    expect(closest('zzzzzzzz', ['port', 'host'])).toBeNull();
  });
});
