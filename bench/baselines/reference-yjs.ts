import path from 'node:path';
import { spawnReady } from '../lib/proc.ts';
import { ROOT } from '../lib/sim.ts';

/** Starts y-websocket@2.1.0's own server code (bin/utils setupWSConnection on plain ws) as a process. */
export async function startReferenceYjs(): Promise<{ url: string; stop(): Promise<void> }> {
  const p = await spawnReady(process.execPath, [path.join(ROOT, 'bench', 'baselines', 'reference-yjs-server.cjs')], /^reference-yjs ready port=(\d+)/);
  return { url: `ws://127.0.0.1:${p.match[1]}`, stop: p.stop };
}
