import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOMTONE_VERSION } from '../../protocol/version.ts';
import { runToEnd } from '../helpers/processes.ts';
import { ROOT } from '../../testkit/root.ts';
import { BIN } from '../../testkit/stack.ts';

const home = mkdtempSync(path.join(os.tmpdir(), 'roomtone-cli-home-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ROOMTONE_') && !k.startsWith('XDG_'))),
  HOME: home,
  ...extra,
});
const roomtone = (args: string[], extra: Record<string, string> = {}) => runToEnd(process.execPath, [BIN, ...args], { cwd: home, env: env(extra) });

/** One line saying what is wrong, one line saying where to look; exit 2. */
function expectRefusal(res: { code: number | null; stderr: string; stdout: string }, line: RegExp): void {
  expect(res.code).toBe(2);
  const lines = res.stderr.trim().split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(line);
  expect(lines[1]).toMatch(/^See `roomtone( [a-z-]+)* --help` for the (options|commands)\.$/);
  expect(res.stdout).toBe('');
}

describe('the roomtone command', () => {
  it('--help lists every command and exits 0; npm start -- --help shows start\'s options', async () => {
    const res = await roomtone(['--help']);
    expect(res.code).toBe(0);
    for (const command of ['start', 'discover', 'doctor', 'service', 'install-remote-script']) expect(res.stdout).toContain(command);
    const npm = await runToEnd('npm', ['start', '--silent', '--', '--help'], { cwd: ROOT, env: env() });
    expect(npm.code).toBe(0);
    expect(npm.stdout).toMatch(/Usage: roomtone start \[options\]/);
    // Its variable is in the option's own entry, however the help wraps it.
    expect(npm.stdout).toMatch(/--python <command>(?:(?!\n {2}-)[\s\S])*ROOMTONE_PYTHON/);
    expect(npm.stdout).toContain(`data ${path.join(home, '.local', 'share', 'roomtone', 'data')}`);
  });

  it('--version prints the package version, which the protocol reports too', async () => {
    const res = await roomtone(['--version']);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(res).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    expect(ROOMTONE_VERSION).toBe(pkg.version);
  });

  it('refuses an unknown option, a bad value, a bad environment variable and an unknown command in one line and a hint', async () => {
    expectRefusal(await roomtone(['start', '--prot', '8443']), /^roomtone start: unknown option '--prot' \(did you mean --port\?\)$/);
    expectRefusal(await roomtone(['start', '--port', 'eighty']), /^roomtone start: --port must be a whole number from 0 to 65535, got "eighty"$/);
    expectRefusal(await roomtone(['start', '--live', 'maybe']), /^roomtone start: --live must be auto, sim or real, got "maybe"$/);
    expectRefusal(await roomtone(['doctor'], { ROOMTONE_HTTP_PORT: '99999' }), /^roomtone doctor: ROOMTONE_HTTP_PORT must be a whole number from -1 to 65535/);
    expectRefusal(await roomtone(['strat']), /^roomtone: unknown command 'strat' \(did you mean start\?\)$/);
    expectRefusal(await roomtone(['discover', '--timeout']), /^roomtone discover: option '--timeout <ms>' argument missing$/);
  });

  it('refuses a config file with an unknown setting, naming the file and the likely key', async () => {
    const config = path.join(home, 'typo.json');
    writeFileSync(config, JSON.stringify({ adminpin: 'k7q2m9x4' }));
    expectRefusal(await roomtone(['start'], { ROOMTONE_CONFIG: config }), new RegExp(`^roomtone start: ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: unknown setting "adminpin" \\(did you mean "adminPin"\\?\\)$`));
  });

  it('reads a .env in the folder it starts in', async () => {
    writeFileSync(path.join(home, '.env'), 'ROOMTONE_PORT=not-a-port\n');
    try {
      expectRefusal(await roomtone(['doctor']), /^roomtone doctor: ROOMTONE_PORT must be a whole number/);
    } finally {
      rmSync(path.join(home, '.env'));
    }
  });
});
