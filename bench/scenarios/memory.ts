import type { BenchContext } from '../lib/context.ts';
import { startBenchStack } from '../lib/stack.ts';
import { openClients, closeAll, type BenchClient } from '../lib/room-clients.ts';
import { rssBytes } from '../lib/machine.ts';
import { median, pause, round } from '../lib/stats.ts';

export interface MemoryResult {
  rssBytes: { clients0: number; clients100: number; clients200: number };
  /** (RSS with 200 idle clients - RSS with none) / 200. */
  bytesPerClient: number;
  bytesPerClientSecondHundred: number;
  method: string;
}

/** Settled RSS: let timers and GC run, then the median of a few /proc readings. */
async function settledRss(pid: number): Promise<number> {
  await pause(3_000);
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) {
    const v = rssBytes(pid);
    if (v === null) throw new Error('/proc/<pid>/status is not readable: RSS needs Linux');
    samples.push(v);
    await pause(250);
  }
  return median(samples);
}

/** Server RSS with 0, 100 and 200 idle clients, each a session with socket.io /room and the `set` doc open. */
export async function memory(ctx: BenchContext, rate: { perSecond: number; burst: number }): Promise<MemoryResult> {
  const bench = await startBenchStack({ tickHz: ctx.tickHz, rate });
  const clients: BenchClient[] = [];
  try {
    const peer = { base: bench.stack.url, ca: bench.stack.ca };
    // One client in and out first, so code paths loaded on first use are not billed per client.
    closeAll(await openClients(peer, bench.stack.joinCode, 1, { room: true, doc: true, prefix: 'warm' }));
    const r0 = await settledRss(bench.serverPid);
    clients.push(...await openClients(peer, bench.stack.joinCode, 100, { room: true, doc: true, prefix: 'idle-a' }));
    const r100 = await settledRss(bench.serverPid);
    clients.push(...await openClients(peer, bench.stack.joinCode, 100, { room: true, doc: true, prefix: 'idle-b' }));
    const r200 = await settledRss(bench.serverPid);
    return {
      rssBytes: { clients0: r0, clients100: r100, clients200: r200 },
      bytesPerClient: round((r200 - r0) / 200, 0),
      bytesPerClientSecondHundred: round((r200 - r100) / 100, 0),
      method: 'VmRSS of the npm start process (server in-process; agent and simulator are other processes), median of 7 readings after 3 s idle',
    };
  } finally {
    closeAll(clients);
    await bench.stop();
  }
}
