import os from 'node:os';
import path from 'node:path';
import { spawnTs, type ReadyProcess } from '../lib/proc.ts';
import { ROOT } from '../../testkit/root.ts';
import type { BenchContext } from '../lib/context.ts';
import { envNumber } from '../lib/context.ts';
import type { BenchStack } from '../lib/stack.ts';
import { openClients, closeAll, readSet, showDevices } from '../lib/room-clients.ts';
import { runOpenLoop, type OpenLoopResult } from '../lib/open-loop.ts';
import { Prng } from '../../testkit/prng.ts';
import { pause } from '../lib/stats.ts';

export interface ThroughputResult extends OpenLoopResult {
  /** Kept for the table's CPU row: % of one core per process over the window. */
  cpuPercent: { server: number | null; agent: number | null; simulator: number | null; docs: number | null; bench: number | null };
  script: Record<string, number>;
  rateLimit: { perSecond: number; burst: number };
  /** The nice value the browsers' docs ran at (19: lowest priority; 0 if it could not be set). */
  docLoadNice: number;
  /** Compactions of the set doc (M8) the server logged during the window. */
  serverLog: string[];
}

/**
 * 50 browsers, each with its own fader (a gesture: start, ~30 moves, end, again) and,
 * now and then, a mute, a clip launch or a tempo change, offered open-loop at a fixed
 * total rate through the whole chain (bench/lib/open-loop.ts). Beside latency: the
 * server's and the agent's CPU µs per command answered in the window.
 */
export async function throughput(ctx: BenchContext, bench: BenchStack, offered?: number): Promise<ThroughputResult> {
  const clientsN = envNumber('BENCH_CLIENTS', 50);
  const rate = offered ?? envNumber('BENCH_RATE', 5000);
  const prng = new Prng(ctx.seed).fork('throughput');
  const peer = { base: bench.stack.url, ca: bench.stack.ca };
  ctx.log(`  opening ${clientsN} clients (socket.io /room here, their set docs in a load process)…`);
  const clients = await openClients(peer, bench.stack.joinCode, clientsN, { room: true, doc: false, prefix: 'tp' });
  // Each browser's `set` doc, in a separate process so that applying Y updates does not
  // delay this process's event loop and so inflate the latencies it measures.
  const docLoad = await startDocLoad(bench, clients.map((c) => c.cookie));
  const [reader] = await openClients(peer, bench.stack.joinCode, 1, { room: false, doc: true, prefix: 'tp-reader' });
  try {
    await showDevices(clients[0]!.socket!, reader!.doc!.doc);   // their parameters join the mix, as before issue 12
    const set = await readSet(reader!.doc!.doc);
    // This process measures: it must not also apply Yjs updates during the window (a
    // compaction sends every doc the whole set, ~200 KB to apply).
    closeAll([reader]);
    const logFrom = bench.stack.output.length;
    const result = await runOpenLoop({
      sockets: clients.map((c) => c.socket!),
      set,
      rate,
      seconds: ctx.seconds,
      prng,
      pids: { server: bench.serverPid, agent: bench.agentPid(), simulator: bench.sim.pid, docs: docLoad.child.pid! },
      beforeWindow: async () => {
        // BENCH_CPU_PROF: the profile restarts here (restarting costs the server a few
        // hundred ms of CPU, which must not fall into the window), and is cut again as
        // the window closes: that file holds the window and the second before it.
        if (bench.cutProfiles()) await pause(1_000);
        await bench.sim.stats(true);
      },
      onWindowEdge: (edge) => { if (edge === 'close') bench.cutProfiles(); },
    });
    const script = await bench.sim.stats(false);
    const p = result.cpu.percent;
    return {
      ...result,
      cpuPercent: { server: p.server ?? null, agent: p.agent ?? null, simulator: p.simulator ?? null, docs: p.docs ?? null, bench: p.self ?? null },
      script: pickStats(script),
      rateLimit: bench.rate,
      docLoadNice: os.getPriority(docLoad.child.pid),
      serverLog: bench.stack.output.slice(logFrom).filter((l) => /compacted/.test(l)),
    };
  } finally {
    closeAll(clients);
    closeAll([reader]);
    await docLoad.stop();
  }
}

/**
 * The browsers' `set` docs run at the lowest CPU priority: in a room each browser's Yjs
 * engine runs on its own device, not on the studio machine. Here they share its two
 * cores, and at equal priority 50 docs applying 60 updates a second took 70–80 % of a
 * core away from the server they measure. They still receive every message (the
 * server's work is the same); they apply them with the CPU that is left.
 */
export const DOC_LOAD_NICE = 19;

export async function startDocLoad(bench: BenchStack, cookies: string[]): Promise<ReadyProcess> {
  const child = await spawnTs(path.join(ROOT, 'bench', 'lib', 'doc-load.ts'), [], /^doc-load ready/, { stdin: JSON.stringify({ base: bench.stack.url, caFile: path.join(bench.stack.certsDir, 'ca.crt'), cookies }) + '\n', timeoutMs: 90_000 });
  try {
    os.setPriority(child.child.pid!, DOC_LOAD_NICE);
  } catch {
    // Not allowed here: the docs keep normal priority, and docLoadNice in the figures says so.
  }
  return child;
}

export function pickStats(stats: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of ['ticks', 'commandsExecuted', 'eventsSent', 'eventLines', 'maxWritesPerControlPerTick', 'maxTickMs', 'queueDepth', 'timeouts', 'conflicts']) {
    if (typeof stats[key] === 'number') out[key] = stats[key];
  }
  return out;
}
