import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_END, README_START, readmeOptionTable } from '../../cli/options/readme-table.ts';
import { environmentVariables } from '../../cli/options/resolve.ts';
import { ROOT } from '../../testkit/root.ts';

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

/** Constants that merely start with the prefix; not environment variables. */
const NOT_VARIABLES = new Set(['ROOMTONE_VERSION', 'ROOMTONE_SERVICE_TYPE']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (['node_modules', 'dist', 'tests', '__pycache__'].includes(name)) return [];
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(ts|mjs|cjs|py)$/.test(name) && !/\.test\.ts$/.test(name) ? [full] : [];
  });
}

describe('README', () => {
  it('holds the option table generated from cli/options/option-table.ts (npm run docs:options rewrites it)', () => {
    const start = readme.indexOf(README_START);
    const end = readme.indexOf(README_END);
    expect(start).toBeGreaterThan(0);
    expect(readme.slice(start + README_START.length, end).trim()).toBe(readmeOptionTable());
  });

  it('documents every ROOMTONE_* variable the code reads', () => {
    const used = new Set<string>();
    for (const dir of ['cli', 'server', 'host-agent', 'protocol', 'client', 'remote-script', 'bin']) {
      for (const file of sources(path.join(ROOT, dir))) {
        for (const name of readFileSync(file, 'utf8').match(/ROOMTONE_[A-Z0-9_]+/g) ?? []) if (!NOT_VARIABLES.has(name)) used.add(name);
      }
    }
    for (const { name } of environmentVariables()) used.add(name);
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((name) => !readme.includes(`\`${name}\``)).sort()).toEqual([]);
  });
});
