import { afterEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(root, 'bin', 'roomtone.mjs');
const realPackage = path.join(root, 'remote-script', 'Roomtone');

const temps: string[] = [];
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'roomtone-install-'));
  temps.push(d);
  return d;
}

function run(args: string[], env: Record<string, string | undefined> = {}) {
  const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete merged[k];
  return spawnSync(process.execPath, [bin, 'install-remote-script', ...args], { encoding: 'utf8', env: merged, timeout: 30_000 });
}

function listFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) out.push(...listFiles(dir, r));
    else out.push(r);
  }
  return out.sort();
}

afterEach(() => {
  while (temps.length) fs.rmSync(temps.pop()!, { recursive: true, force: true });
});

describe('roomtone install-remote-script', () => {
  it('copies the Roomtone package into <dest>/Roomtone', () => {
    const dest = tempDir();
    const res = run(['--dest', dest]);
    expect(res.status, res.stderr).toBe(0);
    const target = path.join(dest, 'Roomtone');
    expect(fs.existsSync(path.join(target, '__init__.py'))).toBe(true);
    // A developer's simulator run may leave its agent.secret in the source: never copied (see below).
    const expected = listFiles(realPackage).filter((f) => !f.split(path.sep).some((p) => p === '__pycache__' || p === 'tests') && !f.endsWith('.pyc') && path.basename(f) !== 'agent.secret');
    expect(listFiles(target)).toEqual(expected);
    expect(fs.readFileSync(path.join(target, '__init__.py'), 'utf8')).toBe(fs.readFileSync(path.join(realPackage, '__init__.py'), 'utf8'));
    expect(res.stdout).toContain(`to   ${target}`);
    expect(res.stdout).toContain('Link, Tempo & MIDI');
  });

  it('leaves out __pycache__, tests and .pyc, and replaces an earlier copy', () => {
    const src = path.join(tempDir(), 'Roomtone');
    fs.mkdirSync(path.join(src, '__pycache__'), { recursive: true });
    fs.mkdirSync(path.join(src, 'tests'), { recursive: true });
    fs.mkdirSync(path.join(src, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(src, '__init__.py'), '# pkg\n');
    fs.writeFileSync(path.join(src, 'script.py'), 'x = 1\n');
    fs.writeFileSync(path.join(src, 'sub', 'helper.py'), 'y = 2\n');
    fs.writeFileSync(path.join(src, 'old.pyc'), 'junk');
    fs.writeFileSync(path.join(src, '__pycache__', 'script.cpython-311.pyc'), 'junk');
    fs.writeFileSync(path.join(src, 'tests', 'test_x.py'), 'pass\n');
    const dest = tempDir();
    fs.mkdirSync(path.join(dest, 'Roomtone'));
    fs.writeFileSync(path.join(dest, 'Roomtone', 'stale.py'), 'old\n');
    fs.mkdirSync(path.join(dest, 'Other'));
    fs.writeFileSync(path.join(dest, 'Other', '__init__.py'), 'keep\n');

    const res = run(['--dest', dest, '--src', src]);
    expect(res.status, res.stderr).toBe(0);
    expect(listFiles(path.join(dest, 'Roomtone'))).toEqual(['__init__.py', 'script.py', path.join('sub', 'helper.py')].sort());
    expect(fs.readFileSync(path.join(dest, 'Other', '__init__.py'), 'utf8')).toBe('keep\n');
    expect(res.stdout).toContain('Replaced Roomtone: copied 3 files');
  });

  it('keeps the agent secret of an earlier install (H9: a running Live still uses it), and never copies one from the source', () => {
    const src = path.join(tempDir(), 'Roomtone');
    fs.mkdirSync(src, { recursive: true });
    fs.writeFileSync(path.join(src, '__init__.py'), '# pkg\n');
    fs.writeFileSync(path.join(src, 'agent.secret'), 'from-a-dev-run-of-the-source-0123456789abcdef\n');
    const dest = tempDir();
    fs.mkdirSync(path.join(dest, 'Roomtone'));
    const secret = 'the-secret-live-made-0123456789abcdef0123456789\n';
    fs.writeFileSync(path.join(dest, 'Roomtone', 'agent.secret'), secret, { mode: 0o644 });

    const res = run(['--dest', dest, '--src', src]);
    expect(res.status, res.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dest, 'Roomtone', 'agent.secret'), 'utf8')).toBe(secret);
    if (process.platform !== 'win32') expect(fs.statSync(path.join(dest, 'Roomtone', 'agent.secret')).mode & 0o777).toBe(0o600);
    expect(res.stdout).toContain('copied 1 files');

    const fresh = tempDir();
    expect(run(['--dest', fresh, '--src', src]).status).toBe(0);
    expect(fs.existsSync(path.join(fresh, 'Roomtone', 'agent.secret'))).toBe(false);
  });

  it('takes the folder from ROOMTONE_REMOTE_SCRIPTS_DIR', () => {
    const dest = path.join(tempDir(), 'nested', 'Remote Scripts');
    const res = run([], { ROOMTONE_REMOTE_SCRIPTS_DIR: dest });
    expect(res.status, res.stderr).toBe(0);
    expect(fs.existsSync(path.join(dest, 'Roomtone', '__init__.py'))).toBe(true);
  });

  it('--dry-run lists files and writes nothing', () => {
    const dest = tempDir();
    const res = run(['--dest', dest, '--dry-run']);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('Would copy');
    expect(fs.readdirSync(dest)).toEqual([]);
  });

  it.runIf(process.platform === 'linux')('explains and exits 1 on Linux without a destination', () => {
    const res = run([], { ROOMTONE_REMOTE_SCRIPTS_DIR: undefined });
    expect(res.status).toBe(1);
    expect(res.stderr).toContain('--dest');
  });

  it('finds the default User Library on macOS and Windows, and says so when it is missing', async () => {
    const { remoteScriptsDir } = await import('../cli/remote-script/remote-script-files.ts');
    const home = tempDir();
    const mac = remoteScriptsDir({ platform: 'darwin', home, env: {} });
    expect(mac.error).toContain('User Library was not found');
    fs.mkdirSync(path.join(home, 'Music', 'Ableton', 'User Library'), { recursive: true });
    expect(remoteScriptsDir({ platform: 'darwin', home, env: {} }).dir).toBe(path.join(home, 'Music', 'Ableton', 'User Library', 'Remote Scripts'));
    const profile = tempDir();
    fs.mkdirSync(path.join(profile, 'Documents', 'Ableton', 'User Library'), { recursive: true });
    expect(remoteScriptsDir({ platform: 'win32', home, env: { USERPROFILE: profile } }).dir).toBe(
      path.join(profile, 'Documents', 'Ableton', 'User Library', 'Remote Scripts'),
    );
    expect(remoteScriptsDir({ platform: 'win32', home, env: { USERPROFILE: profile }, dest: home }).dir).toBe(path.resolve(home));
    expect(remoteScriptsDir({ platform: 'linux', home, env: {} }).error).toContain('--dest');
  });

  it('rejects unknown arguments with exit 2', () => {
    const res = run(['--frob']);
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("unknown option '--frob'");
  });
});
