import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the browser client when its sources are newer than the last build. */
export async function ensureClientBuilt(log: (msg: string) => void): Promise<void> {
  const clientDir = path.join(ROOT, 'client');
  const config = path.join(clientDir, 'vite.config.ts');
  const index = path.join(clientDir, 'dist', 'index.html');
  if (!existsSync(config)) {
    log('client/vite.config.ts is missing; serving without a client');
    return;
  }
  const sources = Math.max(newestMtime(clientDir), newestMtime(path.join(ROOT, 'protocol')));
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
