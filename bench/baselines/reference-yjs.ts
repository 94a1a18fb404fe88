import path from 'node:path';
import { spawnReady } from '../lib/proc.ts';
import { ROOT } from '../../testkit/root.ts';

/**
 * Starts y-websocket@2.1.0's own server code (bin/utils setupWSConnection on `ws`) as a
 * process: plain ws, or wss with the given certificates (Roomtone's transport).
 */
export async function startReferenceYjs(certsDir?: string): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const args = [path.join(ROOT, 'bench', 'baselines', 'reference-yjs-server.cjs'), ...(certsDir ? ['--certs-dir', certsDir] : [])];
  const p = await spawnReady(process.execPath, args, /^reference-yjs ready port=(\d+)/);
  return { url: `${certsDir ? 'wss' : 'ws'}://127.0.0.1:${p.match[1]}`, pid: p.child.pid!, stop: () => p.stop() };
}
