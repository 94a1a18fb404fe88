import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchContext } from '../lib/context.ts';
import { startBenchStack, type BenchStack } from '../lib/stack.ts';
import { openClients, closeAll, type BenchClient } from '../lib/room-clients.ts';
import { rssBytes } from '../../testkit/proc-stats.ts';
import { median, pause, round } from '../lib/stats.ts';
import { ROOT } from '../../testkit/root.ts';
import { until } from '../../testkit/poll.ts';

interface Point { clients: number; rssBytes: number; heapUsedBytes: number | null; externalBytes: number | null }
export interface MemoryResult {
  points: Point[];
  /** (RSS with 200 idle clients - RSS with none) / 200: the goal's figure. */
  bytesPerClient: number;
  /** The second hundred alone: what one more client costs once the heap has grown. */
  bytesPerClientSecondHundred: number;
  /** V8 heap after a full GC, (200 - 0) / 200: the JavaScript objects a client keeps. */
  heapBytesPerClient: number | null;
  method: string;
}

/** Settled RSS (median of /proc readings after a pause) and the heap after a full GC (memory hook). */
async function measure(bench: BenchStack, dir: string, clients: number): Promise<Point> {
  await pause(3_000);
  const file = path.join(dir, `${bench.serverPid}.json`);
  let heap: { heapUsed: number; external: number } | null = null;
  try {
    const before = Date.now();
    process.kill(bench.serverPid, 'SIGUSR2');
    await until(() => { try { return statSync(file).mtimeMs >= before - 5; } catch { return false; } }, 'the memory hook', 10_000);
    heap = JSON.parse(readFileSync(file, 'utf8')) as { heapUsed: number; external: number };
  } catch { /* no heap figure */ }
  await pause(1_000);
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    const v = rssBytes(bench.serverPid);
    if (v === null) throw new Error('/proc/<pid>/status is not readable: RSS needs Linux');
    samples.push(v);
    await pause(250);
  }
  return { clients, rssBytes: median(samples), heapUsedBytes: heap?.heapUsed ?? null, externalBytes: heap?.external ?? null };
}

/** Server RSS with 0, 100 and 200 idle clients, each a session with socket.io /room and the `set` doc open. */
export async function memory(ctx: BenchContext, rate: { perSecond: number; burst: number }): Promise<MemoryResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-bench-mem-'));
  const bench = await startBenchStack({ tickHz: ctx.tickHz, rate, env: { NODE_OPTIONS: `--import=${path.join(ROOT, 'bench', 'lib', 'memory-hook.mjs')}`, BENCH_MEMORY_DIR: dir } });
  const clients: BenchClient[] = [];
  try {
    const peer = { base: bench.stack.url, ca: bench.stack.ca };
    // A few clients in and out first, so code loaded and compiled on first use is not billed per client.
    closeAll(await openClients(peer, bench.stack.joinCode, 10, { room: true, doc: true, prefix: 'warm' }));
    const points: Point[] = [await measure(bench, dir, 0)];
    clients.push(...await openClients(peer, bench.stack.joinCode, 100, { room: true, doc: true, prefix: 'idle-a' }));
    points.push(await measure(bench, dir, 100));
    clients.push(...await openClients(peer, bench.stack.joinCode, 100, { room: true, doc: true, prefix: 'idle-b' }));
    points.push(await measure(bench, dir, 200));
    const [p0, p100, p200] = points as [Point, Point, Point];
    return {
      points,
      bytesPerClient: round((p200.rssBytes - p0.rssBytes) / 200, 0),
      bytesPerClientSecondHundred: round((p200.rssBytes - p100.rssBytes) / 100, 0),
      heapBytesPerClient: p200.heapUsedBytes !== null && p0.heapUsedBytes !== null ? round((p200.heapUsedBytes - p0.heapUsedBytes) / 200, 0) : null,
      method: 'VmRSS of the npm start process (the server runs in it; agent and simulator are other processes): median of 7 /proc readings after 3 s idle; heap: process.memoryUsage() after a full GC, by a bench-only --import hook on SIGUSR2',
    };
  } finally {
    closeAll(clients);
    await bench.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
