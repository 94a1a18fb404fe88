import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The Roomtone package's own folder (the repository, in a checkout): where client/dist,
 * remote-script/ and bin/ are, whatever folder Roomtone was started from and whether
 * this file runs as TypeScript source or compiled into dist/.
 */
export const PACKAGE_ROOT = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'roomtone') return dir;
    if (path.dirname(dir) === dir) throw new Error(`no roomtone package.json above ${from}`);
  }
}

/** The package's version, as npm installed it. */
export const PACKAGE_VERSION = (JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
