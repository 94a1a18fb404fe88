import WebSocket from 'ws';
import { z } from 'zod';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { BenchContext } from '../lib/context.ts';
import type { BenchStack } from '../lib/stack.ts';
import { openClients, closeAll, type BenchClient } from '../lib/room-clients.ts';
import { startReferenceYjs } from '../baselines/reference-yjs.ts';
import { until } from '../../testkit/poll.ts';
import { pause, round, summarize, type Summary } from '../lib/stats.ts';

export interface FanoutSide { oneDoc: Summary; docs: Summary; spread: Summary }
export interface FanoutResult {
  docs: number;
  rounds: number;
  /** Live change (simulator exec) -> each subscribed `set` doc sees it. */
  roomtone: FanoutSide;
  /** A writer doc's change -> each reader doc, through y-websocket@2.1.0's own server over wss (our transport). */
  reference: FanoutSide;
  /** The same over plain ws (no TLS at either end). */
  referencePlainWs: FanoutSide;
  /** Roomtone p50 over the plain-ws reference p50. */
  ratioVsPlainWs: number;
  p50Ms: number;
  p99Ms: number;
  /** Roomtone p50 over the reference p50 with the same number of docs. */
  ratioVsReference: number;
  ratioVsReferenceP99: number;
  /** The fan-out alone: per change, each doc's delay after the first doc had it. */
  spreadRatioP99: number;
}

type Watch = (doc: Y.Doc) => unknown;

const WARMUP = 5;

/** Wall-clock milliseconds with sub-millisecond resolution, comparable with Python's time.time() on this machine. */
const wallMs = (): number => performance.timeOrigin + performance.now();

/**
 * Runs `rounds` changes and collects, per change, each doc's delay from the change to
 * seeing it. `change` makes the change and resolves with the wall-clock time at which
 * it was made (for Live: inside the simulator, read there).
 */
async function measure(docs: Y.Doc[], rounds: number, read: Watch, change: (value: number) => Promise<number>, base: number): Promise<{ all: number[]; spread: number[] }> {
  const all: number[] = [];
  const spread: number[] = [];
  let target = NaN;
  let seenAt: number[] = [];
  const seenBy = new Set<Y.Doc>();
  const handlers = docs.map((doc) => {
    const h = (): void => {
      if (seenBy.has(doc) || read(doc) !== target) return;
      seenBy.add(doc);
      seenAt.push(wallMs());
    };
    doc.on('update', h);
    return () => doc.off('update', h);
  });
  try {
    // Settle first: the docs just synced (a few MB parsed in this process) and the
    // previous side's docs were just dropped; their garbage collection must not land in
    // one side's figures only. Then WARMUP rounds that are not recorded.
    await pause(2_000);
    for (let r = -WARMUP; r < rounds; r++) {
      target = round(base + (r + WARMUP) * 0.37 + Math.random() * 0.01, 4);
      seenAt = [];
      seenBy.clear();
      const t0 = await change(target);
      await until(() => seenBy.size === docs.length, `all ${docs.length} docs to see round ${r}`, 10_000, 2);
      const seen = seenAt.map((at) => at - t0);
      const first = Math.min(...seen);
      if (r >= 0) {
        all.push(...seen);
        spread.push(...seen.map((s) => s - first));
      }
      await pause(30);
    }
  } finally {
    for (const off of handlers) off();
  }
  return { all, spread };
}

function referenceDoc(url: string, ca?: string): { doc: Y.Doc; provider: WebsocketProvider } {
  const doc = new Y.Doc();
  class TrustingSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, ca ? { ca } : {});
    }
  }
  const provider = new WebsocketProvider(url, 'set', doc, { WebSocketPolyfill: TrustingSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
  return { doc, provider };
}

/**
 * y-websocket's own server, a writer doc and `D` readers: plain ws, or wss with
 * Roomtone's certificate. The writer starts with `content` (the Roomtone set as the
 * readers had it), so the change lands in a doc of the same size: applying an update
 * costs a reader more in a doc of thousands of items than in an empty one.
 */
async function measureReference(D: number, rounds: number, read: Watch, tls: { certsDir: string; ca: string } | null, content: Uint8Array): Promise<FanoutSide> {
  const ref = await startReferenceYjs(tls?.certsDir);
  const readers: Array<{ doc: Y.Doc; provider: WebsocketProvider }> = [];
  const writer = referenceDoc(ref.url, tls?.ca);
  Y.applyUpdate(writer.doc, content);
  try {
    const refChange = (bpm: number): Promise<number> => {
      const t0 = wallMs();
      writer.doc.getMap('song').set('tempo', bpm);
      return Promise.resolve(t0);
    };
    readers.push(referenceDoc(ref.url, tls?.ca));
    await until(() => writer.provider.synced && readers.every((r) => r.provider.synced), 'reference docs synced', 10_000);
    const one = await measure([readers[0]!.doc], rounds, read, refChange, 101);
    for (let i = 1; i < D; i++) readers.push(referenceDoc(ref.url, tls?.ca));
    await until(() => readers.every((r) => r.provider.synced), 'reference docs synced', 30_000);
    const many = await measure(readers.map((r) => r.doc), rounds, read, refChange, 131);
    return { oneDoc: summarize(one.all), docs: summarize(many.all), spread: summarize(many.spread) };
  } finally {
    for (const r of [writer, ...readers]) { r.provider.destroy(); r.doc.destroy(); }
    await ref.stop();
  }
}

export async function fanout(ctx: BenchContext, bench: BenchStack): Promise<FanoutResult> {
  const D = 100;
  const rounds = Math.max(10, Math.min(40, ctx.seconds));
  const peer = { base: bench.stack.url, ca: bench.stack.ca };
  const tempoOf: Watch = (doc) => doc.getMap('song').get('tempo');
  // The change is made on the simulator's main thread between two ticks, and the time it
  // was made is read there: the control channel's own delay (stdin, the runner's loop)
  // is not Live's and is left out. A change a user makes at a random moment would wait
  // half a Live timer period more on average before any Remote Script can see it.
  const liveChange = (bpm: number): Promise<number> => bench.sim.eval(`setattr(song, 'tempo', ${bpm}) or __import__('time').time() * 1000`, z.number());

  // Roomtone: one doc first (the chain's fixed cost), then 100.
  const clients: BenchClient[] = await openClients(peer, bench.stack.joinCode, 1, { room: false, doc: true, prefix: 'fan' });
  let ours: { oneDoc: Summary; docs: Summary; spread: Summary };
  let content: Uint8Array;
  try {
    await until(() => typeof tempoOf(clients[0]!.doc!.doc) === 'number', 'tempo in the set doc', 10_000);
    const one = await measure([clients[0]!.doc!.doc], rounds, tempoOf, liveChange, 101);
    clients.push(...await openClients(peer, bench.stack.joinCode, D - 1, { room: false, doc: true, prefix: 'fan-more' }));
    const many = await measure(clients.map((c) => c.doc!.doc), rounds, tempoOf, liveChange, 131);
    ours = { oneDoc: summarize(one.all), docs: summarize(many.all), spread: summarize(many.spread) };
    content = Y.encodeStateAsUpdate(clients[0]!.doc!.doc);
  } finally {
    closeAll(clients);
  }

  // Reference: y-websocket's own server with the same number of readers, over the same
  // transport as ours (wss, Roomtone's certificate), and once over plain ws.
  const theirs = await measureReference(D, rounds, tempoOf, { certsDir: bench.stack.certsDir, ca: bench.stack.ca }, content);
  const theirsPlain = await measureReference(D, rounds, tempoOf, null, content);
  return {
    docs: D,
    rounds,
    roomtone: ours,
    reference: theirs,
    referencePlainWs: theirsPlain,
    p50Ms: ours.docs.p50,
    p99Ms: ours.docs.p99,
    ratioVsReference: round(ours.docs.p50 / theirs.docs.p50),
    ratioVsReferenceP99: round(ours.docs.p99 / theirs.docs.p99),
    spreadRatioP99: round(ours.spread.p99 / Math.max(0.01, theirs.spread.p99)),
    ratioVsPlainWs: round(ours.docs.p50 / theirsPlain.docs.p50),
  };
}
