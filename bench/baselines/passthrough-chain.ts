import path from 'node:path';
import { spawnTs, type ReadyProcess } from '../lib/proc.ts';
import { ROOT } from '../../testkit/root.ts';

export interface PassthroughChain {
  url: string;
  /** The three processes, for CPU figures: bare server, bare relay (agent), echo (script). */
  pids: { server: number; relay: number; script: number };
  stop(): Promise<void>;
}

/**
 * The bare chain the overhead figure divides by: socket.io -> socket.io -> TCP JSON
 * lines, three processes like the real server, agent and script, no logic in any.
 */
export async function startPassthroughChain(certsDir: string, echoTickHz = 0): Promise<PassthroughChain> {
  const here = path.join(ROOT, 'bench', 'baselines');
  const started: ReadyProcess[] = [];
  try {
    const echo = await spawnTs(path.join(here, 'echo-script.ts'), ['--port', '0', ...(echoTickHz > 0 ? ['--tick-hz', String(echoTickHz)] : [])], /^echo-script ready port=(\d+)/);
    started.push(echo);
    const server = await spawnTs(path.join(here, 'passthrough-server.ts'), ['--certs-dir', certsDir], /^passthrough-server ready port=(\d+)/);
    started.push(server);
    const url = `https://127.0.0.1:${server.match[1]}`;
    const relay = await spawnTs(path.join(here, 'passthrough-relay.ts'), ['--server', url, '--ca-file', path.join(certsDir, 'ca.crt'), '--script-port', echo.match[1]!], /^passthrough-relay ready/);
    started.push(relay);
    return { url, pids: { server: server.child.pid!, relay: relay.child.pid!, script: echo.child.pid! }, stop: async () => { await Promise.all(started.map((p) => p.stop())); } };
  } catch (err) {
    await Promise.all(started.map((p) => p.stop()));
    throw err;
  }
}
