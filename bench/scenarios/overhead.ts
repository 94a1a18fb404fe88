import { io, type Socket } from 'socket.io-client';
import type { BenchContext } from '../lib/context.ts';
import type { BenchStack } from '../lib/stack.ts';
import { startPassthroughChain } from '../baselines/passthrough-chain.ts';
import { openClients, closeAll, readSet } from '../lib/room-clients.ts';
import { commandId } from '../../test/helpers/clients.ts';
import { nowMs, pause, round, summarize, type Summary } from '../lib/stats.ts';
import { Prng } from '../../test/fuzz/prng.ts';

export interface OverheadResult {
  samples: number;
  wholeChain: Summary;
  bareChain: Summary;
  /** Median whole chain / median bare chain (the bare script answers at once). */
  ratio: number;
  /** The same bare chain with its echo answering on a tick of the simulator's rate. */
  bareChainTicked: Summary;
  /** A read that must run on Live's main thread (`parameter.get`): waits for the tick. */
  liveRead: Summary;
  /** liveRead's median over the tick-matched bare chain's. */
  ratioTickMatched: number;
}

/**
 * Sequential pings with a random gap of up to 20 ms between them: back-to-back pings
 * would lock onto the script's tick phase and always wait a whole tick.
 */
async function pingLoop(socket: Socket, n: number, prng: Prng, command: { action: string; target?: string } = { action: 'system.ping' }): Promise<number[]> {
  const rtts: number[] = [];
  for (let i = 0; i < n; i++) {
    await pause(prng.int(0, 20));
    const t0 = nowMs();
    const answer = await socket.timeout(10_000).emitWithAck('command', { id: commandId(), ...command, args: {} }) as { ok: boolean; error?: { code: string } };
    if (!answer.ok) throw new Error(`ping refused: ${answer.error?.code}`);
    rtts.push(nowMs() - t0);
  }
  return rtts;
}

function bareClient(url: string, ca: string): Promise<Socket> {
  const socket = io(`${url}/room`, { transports: ['websocket'], ca, forceNew: true, reconnection: false } as Parameters<typeof io>[1]);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Median round trip of a no-op through the whole chain, over the same through a bare chain of the same transports. */
export async function overhead(ctx: BenchContext, bench: BenchStack): Promise<OverheadResult> {
  const n = Math.max(100, Math.min(1000, ctx.seconds * 20));
  const prng = new Prng(ctx.seed).fork('overhead');
  const peer = { base: bench.stack.url, ca: bench.stack.ca };
  const [client] = await openClients(peer, bench.stack.joinCode, 1, { room: true, doc: true, prefix: 'overhead' });
  let whole: number[];
  let liveRead: number[];
  try {
    await pingLoop(client!.socket!, 20, prng);
    whole = await pingLoop(client!.socket!, n, prng);
    const set = await readSet(client!.doc!.doc);
    const parameter = set.controls.find((c) => c.action === 'parameter.set');
    if (!parameter?.target) throw new Error('no parameter in the set to read');
    liveRead = await pingLoop(client!.socket!, n, prng, { action: 'parameter.get', target: parameter.target });
  } finally {
    closeAll([client]);
  }
  const measureBare = async (tickHz: number): Promise<number[]> => {
    const chain = await startPassthroughChain(bench.stack.certsDir, tickHz);
    const socket = await bareClient(chain.url, bench.stack.ca);
    try {
      await pingLoop(socket, 20, prng);
      return await pingLoop(socket, n, prng);
    } finally {
      socket.close();
      await chain.stop();
    }
  };
  const bare = await measureBare(0);
  const bareTicked = await measureBare(ctx.tickHz);
  const w = summarize(whole);
  const b = summarize(bare);
  const bt = summarize(bareTicked);
  const lr = summarize(liveRead);
  return { samples: n, wholeChain: w, bareChain: b, ratio: round(w.p50 / b.p50), bareChainTicked: bt, liveRead: lr, ratioTickMatched: round(lr.p50 / bt.p50) };
}
