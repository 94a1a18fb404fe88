import { io, type Socket } from 'socket.io-client';
import type { BenchContext } from '../lib/context.ts';
import type { BenchStack } from '../lib/stack.ts';
import { startPassthroughChain } from '../baselines/passthrough-chain.ts';
import { openClients, closeAll, readSet, showDevices } from '../lib/room-clients.ts';
import { commandId } from '../../testkit/clients.ts';
import { nowMs, pause, round, summarize, type Summary } from '../lib/stats.ts';
import { Prng } from '../../testkit/prng.ts';

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
  const socket = io(`${url}/room`, { transports: ['websocket'], ca, forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

interface Probe { socket: Socket; command?: { action: string; target?: string } }

/**
 * Alternates single round trips between the probes (ours, then the baseline, then ours…),
 * so that both see the same machine: measured one after the other, a drift in the
 * machine's load between the two runs moved the ratio by ±0.3.
 */
async function interleaved(probes: Probe[], n: number, prng: Prng): Promise<number[][]> {
  const out = probes.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < probes.length; p++) {
      const [rtt] = await pingLoop(probes[p]!.socket, 1, prng, probes[p]!.command);
      out[p]!.push(rtt!);
    }
  }
  return out;
}

/** Median round trip of a no-op through the whole chain, over the same through a bare chain of the same transports. */
export async function overhead(ctx: BenchContext, bench: BenchStack): Promise<OverheadResult> {
  const n = Math.max(100, Math.min(1000, ctx.seconds * 20));
  const prng = new Prng(ctx.seed).fork('overhead');
  const peer = { base: bench.stack.url, ca: bench.stack.ca };
  const [client] = await openClients(peer, bench.stack.joinCode, 1, { room: true, doc: true, prefix: 'overhead' });
  const bareChain = await startPassthroughChain(bench.stack.certsDir, 0);
  const tickedChain = await startPassthroughChain(bench.stack.certsDir, ctx.tickHz);
  const bare = await bareClient(bareChain.url, bench.stack.ca);
  const ticked = await bareClient(tickedChain.url, bench.stack.ca);
  try {
    const ours = client!.socket!;
    await showDevices(ours, client!.doc!.doc);   // parameters are mirrored while shown
    const set = await readSet(client!.doc!.doc);
    const parameter = set.controls.find((c) => c.action === 'parameter.set');
    if (!parameter?.target) throw new Error('no parameter in the set to read');
    const read = { action: 'parameter.get', target: parameter.target };
    await interleaved([{ socket: ours }, { socket: bare }, { socket: ours, command: read }, { socket: ticked }], 20, prng); // warm-up
    const [whole, bareRtts, liveRead, tickedRtts] = await interleaved([{ socket: ours }, { socket: bare }, { socket: ours, command: read }, { socket: ticked }], n, prng);
    const w = summarize(whole!);
    const b = summarize(bareRtts!);
    const bt = summarize(tickedRtts!);
    const lr = summarize(liveRead!);
    return { samples: n, wholeChain: w, bareChain: b, ratio: round(w.p50 / b.p50), bareChainTicked: bt, liveRead: lr, ratioTickMatched: round(lr.p50 / bt.p50) };
  } finally {
    closeAll([client]);
    bare.close();
    ticked.close();
    await Promise.all([bareChain.stop(), tickedChain.stop()]);
  }
}
