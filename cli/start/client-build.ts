import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../server/util/package-root.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * In a checkout, builds the browser client when its sources are newer than the last
 * build. An installed package carries the client built before packing and no sources:
 * nothing to do (and no vite to do it with).
 */
export async function ensureClientBuilt(log: (msg: string) => void, root = PACKAGE_ROOT): Promise<void> {
  const clientDir = path.join(root, 'client');
  const config = path.join(clientDir, 'vite.config.ts');
  const index = path.join(clientDir, 'dist', 'index.html');
  if (!existsSync(config)) {
    if (!existsSync(index)) log('the browser client is missing from this package (client/dist); the room serves only its API');
    return;
  }
  const sources = Math.max(newestMtime(clientDir), newestMtime(path.join(root, 'protocol')));
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  log('building the browser client…');
  const { build } = await import('vite');
  try {
    await build({ configFile: config, logLevel: 'error' });
  } catch (err) {
    // The room still works for API clients; the page says the client is missing.
    log(`the browser client failed to build: ${(err as Error).message.split('\n')[0]}`);
  }
}
