import { spawn, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { descendants, exitWithin, runToEnd } from '../helpers/processes.ts';
import { ROOT } from '../../testkit/root.ts';

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The package as a studio engineer gets it: `npm pack` (which builds the client and
 * compiles dist/ first), a global install of the tarball into an empty prefix, and the
 * `roomtone` command run from `/` with nothing of the repository around it. The pack
 * runs in a copy of the sources (sharing node_modules), so the build does not rewrite
 * client/dist under the other tests' feet; the install is --offline, which works only
 * because every runtime dependency is bundled in the tarball.
 */
describe.runIf(process.platform === 'linux')('the packed package, installed globally into an empty prefix', () => {
  let work: string;
  let prefix: string;
  let roomtone: string;
  let home: string;
  let tarball: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(os.tmpdir(), 'roomtone-pack-'));
    const src = path.join(work, 'src');
    mkdirSync(src);
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n').filter((f) => f && existsSync(path.join(ROOT, f)));
    execFileSync('tar', ['-cf', path.join(work, 'src.tar'), '-T', '-'], { cwd: ROOT, input: files.join('\n') });
    execFileSync('tar', ['-xf', path.join(work, 'src.tar'), '-C', src]);
    copyNodeModules(path.join(ROOT, 'node_modules'), path.join(src, 'node_modules'));
    // What a run of the script from a checkout leaves next to it (H9): never shipped.
    writeFileSync(path.join(src, 'remote-script', 'Roomtone', 'agent.secret'), `${'0'.repeat(64)}\n`);
    const packed = await runToEnd('npm', ['pack', '--pack-destination', work], { cwd: src, timeoutMs: 300_000 });
    expect(packed.code, packed.stderr).toBe(0);
    tarball = path.join(work, `roomtone-${VERSION}.tgz`);
    prefix = path.join(work, 'prefix');
    home = path.join(work, 'home');
    mkdirSync(home);
    const installed = await runToEnd('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { cwd: '/', timeoutMs: 300_000 });
    expect(installed.code, installed.stderr).toBe(0);
    roomtone = path.join(prefix, 'bin', 'roomtone');
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** A clean environment: the user's folders in a temporary home, no ROOMTONE_* settings. */
  function env(): NodeJS.ProcessEnv {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ROOMTONE_') && !k.startsWith('XDG_')));
    return { ...clean, HOME: home, ROOMTONE_LOG_LEVEL: 'info' };
  }

  it('holds the built client and compiled code, no TypeScript sources, no tests, no native module', () => {
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).split('\n').map((f) => f.replace(/^package\//, ''));
    expect(listing).toContain('client/dist/index.html');
    expect(listing).toContain('dist/cli/main.js');
    expect(listing).toContain('dist/host-agent/main.js');
    expect(listing).toContain('remote-script/Roomtone/__init__.py');
    expect(listing).toContain('remote-script/sim/run.py');
    const own = listing.filter((f) => !f.startsWith('node_modules/'));
    expect(own.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(own.filter((f) => /(^|\/)tests?\/|\.test\.|__pycache__|\.pyc$/.test(f))).toEqual([]);
    expect(listing.filter((f) => f.endsWith('.node') || f.endsWith('binding.gyp'))).toEqual([]);
    expect(own.filter((f) => f.endsWith('agent.secret'))).toEqual([]);
    expect(listing.some((f) => f.startsWith('node_modules/y-websocket/') || f.startsWith('node_modules/vite/') || f.startsWith('node_modules/tsx/'))).toBe(false);
  });

  it('--help, --version and doctor exit 0 from /', async () => {
    const help = await runToEnd(roomtone, ['--help'], { cwd: '/', env: env() });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/start \[options\]/);
    const version = await runToEnd(roomtone, ['--version'], { cwd: '/', env: env() });
    expect(version).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    const [port, httpPort] = [await freePort(), await freePort()];
    const doctor = await runToEnd(roomtone, ['doctor', '--port', String(port), '--http-port', String(httpPort), '--host', '127.0.0.1', '--no-mdns', '--script-port', String(await freePort())], { cwd: '/', env: env() });
    expect(doctor.code, doctor.stdout + doctor.stderr).toBe(0);
    expect(doctor.stdout).toMatch(/^OK +Node /m);
    expect(doctor.stdout).toMatch(/The room can run\./);
  });

  it('roomtone start --port 0 --http-port 0 --live sim --no-mdns from / reaches its ready line and a healthy /healthz, its children running from the package', async () => {
    const child = spawn(roomtone, ['start', '--port', '0', '--http-port', '0', '--live', 'sim', '--no-mdns'], { cwd: '/', env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    readline.createInterface({ input: child.stderr }).on('line', (l) => output.push(l));
    readline.createInterface({ input: child.stdout }).on('line', (l) => output.push(l));
    try {
      const ready = await until(() => output.find((l) => l.startsWith('Roomtone ready:')), 'the ready line', 60_000).catch((err: unknown) => {
        throw new Error(`${err instanceof Error ? err.message : String(err)}\n${output.join('\n')}`, { cause: err });
      });
      const url = /^Roomtone ready: (https:\/\/\S+?)\/? · /.exec(ready)![1]!;
      const folders = path.join(home, '.local', 'share', 'roomtone');
      const ca = readFileSync(path.join(folders, 'certs', 'ca.crt'), 'utf8');
      const health = await until(async () => {
        const res = await request({ base: url, ca }, 'GET', '/healthz');
        return (res.body as { ok?: boolean }).ok ? res.body : null;
      }, '/healthz ok', 30_000);
      expect(health).toMatchObject({ ok: true, version: VERSION, agent: { connected: true }, live: { mode: 'sim', connected: true } });
      const page = await request({ base: url, ca }, 'GET', '/');
      expect(page.status).toBe(200);
      const packageDir = path.join(prefix, 'lib', 'node_modules', 'roomtone');
      const children = descendants(child.pid!);
      expect(children.find((c) => c.cmd.includes('host-agent'))?.cmd).toContain(path.join(packageDir, 'dist', 'host-agent', 'main.js'));
      expect(children.find((c) => c.cmd.includes('run.py'))?.cmd).toContain(path.join(packageDir, 'remote-script', 'sim', 'run.py'));
      expect(readdirSync(path.join(folders, 'data'))).toEqual(expect.arrayContaining(['state.json', 'sim-agent.secret']));
      // The simulator's secret lives with the user's data, never inside the installed package.
      expect(existsSync(path.join(packageDir, 'remote-script', 'Roomtone', 'agent.secret'))).toBe(false);
      expect(existsSync(path.join(home, '.local', 'state', 'roomtone', 'logs', 'roomtone.log'))).toBe(true);
    } finally {
      child.kill('SIGTERM');
      await exitWithin(child, 10_000);
    }
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The copy's node_modules, as hard links (a plain copy across file systems). Not a
 * symlink: once anything (vitest's cache) touches node_modules after npm ci, npm's hidden
 * lockfile is stale, npm pack reads the tree itself, and through a symlinked
 * node_modules it bundled paths outside the package (../../../…/node_modules/…) and
 * left out others (multicast-dns): the installed package could not start.
 */
function copyNodeModules(from: string, to: string): void {
  try {
    execFileSync('cp', ['-al', from, to]);
  } catch {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}
