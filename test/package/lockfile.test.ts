import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runToEnd } from '../helpers/processes.ts';
import { ROOT } from '../../testkit/root.ts';

describe('package.json and package-lock.json', () => {
  it('bundles every runtime dependency, so the tarball installs offline (npm install <pkg> rewrites `true` into a list that misses later additions)', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; bundleDependencies: unknown };
    const bundled = pkg.bundleDependencies === true ? Object.keys(pkg.dependencies) : (pkg.bundleDependencies as string[]);
    expect(Object.keys(pkg.dependencies).filter((d) => !bundled.includes(d))).toEqual([]);
  });

  it('is what npm install makes of package.json: a fresh clone\'s install leaves it unchanged', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-lock-'));
    try {
      for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(ROOT, file), path.join(dir, file));
      // --package-lock-only: npm resolves the tree exactly as an install would, without
      // fetching a package (--offline keeps the test on this machine).
      const res = await runToEnd('npm', ['install', '--package-lock-only', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, timeoutMs: 120_000 });
      expect(res.code, res.stderr).toBe(0);
      expect(readFileSync(path.join(dir, 'package-lock.json'), 'utf8')).toBe(readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
