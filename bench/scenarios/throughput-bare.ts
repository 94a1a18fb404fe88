import { io, type Socket } from 'socket.io-client';
import type { BenchContext } from '../lib/context.ts';
import { envNumber } from '../lib/context.ts';
import type { BenchStack } from '../lib/stack.ts';
import { startPassthroughChain } from '../baselines/passthrough-chain.ts';
import { openClients, closeAll, readSet } from '../lib/room-clients.ts';
import { runOpenLoop, type OpenLoopResult } from '../lib/open-loop.ts';
import { Prng } from '../../testkit/prng.ts';

/**
 * The throughput load, same clients, mix and rate, against the bare pass-through chain
 * (socket.io → socket.io relay → TCP echo, TLS like ours, no logic; one batch of one
 * per command, acknowledged as the echo answers at once). Its CPU µs per command is
 * the transport's own cost: the floor the room server's figure is read against.
 */
export async function throughputBare(ctx: BenchContext, bench: BenchStack): Promise<OpenLoopResult> {
  const clientsN = envNumber('BENCH_CLIENTS', 50);
  const rate = envNumber('BENCH_RATE', 5000);
  const prng = new Prng(ctx.seed).fork('throughput');
  const peer = { base: bench.stack.url, ca: bench.stack.ca };
  // The ids are only strings to the bare chain; read them from the real set so the
  // commands are the same bytes.
  const [reader] = await openClients(peer, bench.stack.joinCode, 1, { room: false, doc: true, prefix: 'bare-reader' });
  const chain = await startPassthroughChain(bench.stack.certsDir, 0);
  const sockets: Socket[] = [];
  try {
    const set = await readSet(reader!.doc!.doc);
    closeAll([reader]);
    const options: Parameters<typeof io>[1] = { transports: ['websocket'], ca: bench.stack.ca, forceNew: true, reconnection: false };
    for (let i = 0; i < clientsN; i++) sockets.push(io(`${chain.url}/room`, options));
    await Promise.all(sockets.map((s) => new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    })));
    return await runOpenLoop({
      sockets, set, rate, seconds: ctx.seconds, prng,
      pids: { server: chain.pids.server, agent: chain.pids.relay, script: chain.pids.script },
    });
  } finally {
    for (const s of sockets) s.close();
    closeAll([reader]);
    await chain.stop();
  }
}
