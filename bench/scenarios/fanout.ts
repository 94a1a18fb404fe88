import { monitorEventLoopDelay } from 'node:perf_hooks';
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
import { cpuMs } from '../../testkit/proc-stats.ts';
import { microsPer } from '../lib/cpu-window.ts';

export interface FanoutSide {
  oneDoc: Summary;
  docs: Summary;
  spread: Summary;
  /**
   * The server's CPU µs per change fanned out to the 100 docs: its CPU over the recorded
   * rounds (each a change, its fan-out and a 30 ms gap) divided by the rounds. Whatever
   * else the server does meanwhile (meters, load messages, timers) is in it; the idle
   * rate beside it says how much that is. Subtracting it was tried: the reference
   * server was still busy from its 100 syncs in the second before (8 % of a core), which
   * made its figure 0.
   */
  cpuUsPerChange: number | null;
  /** The server's CPU in the second before the rounds, % of one core. */
  idleCpuPercent: number | null;
}
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
  /** This process's longest event-loop stall while the 99 more docs joined and synced. */
  openingStallMs: number;
  /** The set doc as the readers got it (encoded bytes), and this process's heap with the 100 open. */
  opened: { docBytes: number; heapMB: number };
  /** Our server's CPU per change over the reference server's (same transport, same docs). */
  cpuRatioVsReference: number | null;
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
async function measure(docs: Y.Doc[], rounds: number, read: Watch, change: (value: number) => Promise<number>, base: number, serverPid: number): Promise<{ all: number[]; spread: number[]; cpu: CpuPerChange }> {
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
    await pause(1_000);
    const idle = { t0: performance.now(), cpu0: cpuMs(serverPid) };
    await pause(1_000);
    const idleMs = performance.now() - idle.t0;
    const idleCpu = cpuMsSince(serverPid, idle.cpu0);
    let recorded = { t0: 0, cpu0: null as number | null };
    for (let r = -WARMUP; r < rounds; r++) {
      if (r === 0) recorded = { t0: performance.now(), cpu0: cpuMs(serverPid) };
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
    const roundsCpu = cpuMsSince(serverPid, recorded.cpu0);
    const cpu: CpuPerChange = {
      cpuUsPerChange: microsPer(roundsCpu, rounds),
      idleCpuPercent: idleCpu === null ? null : round((idleCpu / idleMs) * 100, 1),
    };
    return { all, spread, cpu };
  } finally {
    for (const off of handlers) off();
  }
}

type CpuPerChange = Pick<FanoutSide, 'cpuUsPerChange' | 'idleCpuPercent'>;

function cpuMsSince(pid: number, start: number | null): number | null {
  const now = cpuMs(pid);
  return start === null || now === null ? null : now - start;
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
    const one = await measure([readers[0]!.doc], rounds, read, refChange, 101, ref.pid);
    // Ten at a time, as ours open (bench/lib/room-clients.ts): 99 syncs of a doc of 0.5–1 MB
    // at once kept this process busy past 30 s on a loaded machine.
    while (readers.length < D) {
      const batch = Array.from({ length: Math.min(10, D - readers.length) }, () => referenceDoc(ref.url, tls?.ca));
      readers.push(...batch);
      await until(() => batch.every((r) => r.provider.synced), 'reference docs synced', 120_000);
    }
    const many = await measure(readers.map((r) => r.doc), rounds, read, refChange, 131, ref.pid);
    return { oneDoc: summarize(one.all), docs: summarize(many.all), spread: summarize(many.spread), ...many.cpu };
  } finally {
    for (const r of [writer, ...readers]) { r.provider.destroy(); r.doc.destroy(); }
    await ref.stop();
  }
}

/**
 * The 100 readers live in this process. Right after the throughput window the set doc is
 * ~1–2 MB encoded (fader writes leave tombstones until the server compacts it, M8) and
 * ~20 MB of heap per reader: the bench runs with an 8 GB heap limit (package.json), as
 * two rounds of 100 such docs (ours, then the reference's) went past Node's default 4 GB.
 */
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
  let ours: FanoutSide;
  let content: Uint8Array;
  let openingStallMs: number;
  let opened: { docBytes: number; heapMB: number };
  try {
    await until(() => typeof tempoOf(clients[0]!.doc!.doc) === 'number', 'tempo in the set doc', 10_000);
    const one = await measure([clients[0]!.doc!.doc], rounds, tempoOf, liveChange, 101, bench.serverPid);
    // The longest this process's event loop stalled while 99 docs joined and synced (a
    // doc is applied in one go): past the join connection's keep-alive limits, a reused
    // connection used to meet "socket hang up" (testkit/clients.ts).
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    clients.push(...await openClients(peer, bench.stack.joinCode, D - 1, { room: false, doc: true, prefix: 'fan-more' }));
    loop.disable();
    openingStallMs = round(loop.max / 1e6, 0);
    opened = { docBytes: Y.encodeStateAsUpdate(clients[0]!.doc!.doc).byteLength, heapMB: round(process.memoryUsage().heapUsed / 2 ** 20, 0) };
    ctx.log(`  100 set docs open: ${Math.round(opened.docBytes / 1024)} KB each encoded, this process's heap ${opened.heapMB} MB, longest loop stall ${openingStallMs} ms`);
    const many = await measure(clients.map((c) => c.doc!.doc), rounds, tempoOf, liveChange, 131, bench.serverPid);
    ours = { oneDoc: summarize(one.all), docs: summarize(many.all), spread: summarize(many.spread), ...many.cpu };
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
    openingStallMs,
    opened,
    cpuRatioVsReference: ours.cpuUsPerChange !== null && theirs.cpuUsPerChange ? round(ours.cpuUsPerChange / theirs.cpuUsPerChange) : null,
  };
}
