import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { spawnTs, type ReadyProcess } from '../lib/proc.ts';
import { ROOT } from '../../testkit/root.ts';
import type { BenchContext } from '../lib/context.ts';
import { envNumber } from '../lib/context.ts';
import type { BenchStack } from '../lib/stack.ts';
import { openClients, closeAll, readSet, controlArgs, type Control } from '../lib/room-clients.ts';
import { cpuMs } from '../../testkit/proc-stats.ts';
import { nowMs, pause, round, summarize } from '../lib/stats.ts';
import { Prng } from '../../testkit/prng.ts';

export interface ThroughputResult {
  clients: number;
  seconds: number;
  offeredPerSecond: number;
  /** Commands sent in the window and answered ok, per second of the window. */
  commandsPerSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Latency by kind of command (fader moves wait for their control's previous write). */
  byKind: Record<string, { n: number; p50: number; p99: number }>;
  /** p99 of each second of the window: a stall shows as one bad second, overload as all. */
  p99BySecond: Array<number | null>;
  sent: number;
  ok: number;
  errors: Record<string, number>;
  /** Commands that never got an answer (within 10 s of the end). */
  lost: number;
  /** Clients whose socket was no longer connected at the end (a starved or refused client). */
  disconnected: number;
  mix: Record<string, number>;
  cpuPercent: { server: number | null; agent: number | null; simulator: number | null; docs: number | null; bench: number };
  /** This process's own event-loop delay during the window: large values would inflate the latencies. */
  benchLoopDelayMs: { p50: number; p99: number; max: number };
  script: Record<string, number>;
  rateLimit: { perSecond: number; burst: number };
  /** The nice value the browsers' docs ran at (19: lowest priority; 0 if it could not be set). */
  docLoadNice: number;
  /** Compactions of the set doc (M8) the server logged during the window. */
  serverLog: string[];
}

interface GestureState { control: Control; gestureId: string | null; moves: number; step: number; seq: number }

/**
 * 50 browsers, each with its own fader (a gesture: start, ~30 moves, end, again) and,
 * now and then, a mute, a clip launch or a tempo change, offered open-loop at a fixed
 * total rate through the whole chain. Latency is measured per command from emit to
 * acknowledgement.
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
  const loop = monitorEventLoopDelay({ resolution: 5 });
  try {
    const set = await readSet(reader!.doc!.doc);
    // This process measures: it must not also apply Yjs updates during the window (a
    // compaction sends every doc the whole set, ~200 KB to apply).
    closeAll([reader]);
    const states: GestureState[] = clients.map((_c, i) => ({ control: set.controls[i % set.controls.length]!, gestureId: null, moves: 0, step: 0, seq: 0 }));
    const latencies: number[] = [];
    const byKind: Record<string, number[]> = {};
    const bySecond: number[][] = [];
    let windowStart = 0;
    const errors: Record<string, number> = {};
    const mix: Record<string, number> = {};
    let sent = 0;
    let ok = 0;
    let outstanding = 0;
    let windowOpen = false;
    let counter = 0;

    const emit = (socket: Socket, command: Record<string, unknown>, kind: string): void => {
      const inWindow = windowOpen;
      const t0 = nowMs();
      if (inWindow) { sent++; mix[kind] = (mix[kind] ?? 0) + 1; }
      outstanding++;
      socket.timeout(10_000).emit('command', command, (err: Error | null, answer: { ok: boolean; error?: { code: string } }) => {
        outstanding--;
        if (!inWindow) return;
        if (err) return; // counted as lost below
        const ms = nowMs() - t0;
        latencies.push(ms);
        (byKind[kind] ??= []).push(ms);
        ((bySecond[Math.floor((t0 - windowStart) / 1000)] ??= [])).push(ms);
        if (answer.ok) ok++;
        else errors[answer.error!.code] = (errors[answer.error!.code] ?? 0) + 1;
      });
    };

    const step = (i: number): void => {
      const socket = clients[i]!.socket!;
      const id = `bench-${i}-${(counter++).toString(36).padStart(6, "0")}`;
      const roll = prng.next();
      if (roll < 0.9) {
        const g = states[i]!;
        const unit = 0.5 + 0.45 * Math.sin((g.step++ / 15) + i);
        let phase: 'start' | 'move' | 'end';
        if (!g.gestureId) {
          g.gestureId = `g${i}-${g.seq++}`;
          g.moves = 30;
          phase = 'start';
        } else if (g.moves > 0) {
          g.moves--;
          phase = 'move';
        } else {
          phase = 'end';
        }
        emit(socket, { id, action: g.control.action, target: g.control.target, args: controlArgs(g.control, unit), gesture: { id: g.gestureId, phase } }, 'fader');
        if (phase === 'end') g.gestureId = null;
      } else if (roll < 0.94) {
        emit(socket, { id, action: 'track.set_mute', target: prng.pick(set.tracks), args: { value: prng.bool() } }, 'mute');
      } else if (roll < 0.97 && set.slotsWithClips.length > 0) {
        emit(socket, { id, action: 'clip_slot.fire', target: prng.pick(set.slotsWithClips), args: {} }, 'launch');
      } else {
        emit(socket, { id, action: 'song.set_tempo', args: { bpm: 100 + prng.int(0, 40) } }, 'tempo');
      }
    };

    // Open-loop pacing: a 5 ms pacer sends whatever the target rate says is due.
    let due = 0;
    let next = 0;
    let last = nowMs();
    const pacer = setInterval(() => {
      const now = nowMs();
      due += (rate * (now - last)) / 1000;
      last = now;
      while (due >= 1) {
        due--;
        step(next);
        next = (next + 1) % clients.length;
      }
    }, 5);

    await pause(2_000); // warm-up: leases, JIT, socket buffers
    const logFrom = bench.stack.output.length;
    const procs = { server: bench.serverPid, agent: bench.agentPid(), simulator: bench.sim.pid, docs: docLoad.child.pid! };
    const cpu0 = { server: cpuMs(procs.server), agent: procs.agent ? cpuMs(procs.agent) : null, simulator: cpuMs(procs.simulator), docs: cpuMs(procs.docs), bench: process.cpuUsage() };
    await bench.sim.stats(true);
    windowOpen = true;
    loop.enable();
    const t0 = nowMs();
    windowStart = t0;
    await pause(ctx.seconds * 1000);
    windowOpen = false;
    loop.disable();
    const elapsedMs = nowMs() - t0;
    const script = await bench.sim.stats(false);
    const pct = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : round(((b - a) / elapsedMs) * 100, 0));
    const benchCpu = process.cpuUsage(cpu0.bench);
    const cpu = {
      server: pct(cpu0.server, cpuMs(procs.server)),
      agent: procs.agent ? pct(cpu0.agent, cpuMs(procs.agent)) : null,
      simulator: pct(cpu0.simulator, cpuMs(procs.simulator)),
      docs: pct(cpu0.docs, cpuMs(procs.docs)),
      bench: round(((benchCpu.user + benchCpu.system) / 1000 / elapsedMs) * 100, 0),
    };
    clearInterval(pacer);
    const drainUntil = Date.now() + 11_000;
    while (outstanding > 0 && Date.now() < drainUntil) await pause(50);
    const answered = latencies.length;
    const s = summarize(latencies);
    return {
      clients: clientsN,
      seconds: round(elapsedMs / 1000),
      offeredPerSecond: rate,
      commandsPerSecond: round(ok / (elapsedMs / 1000), 0),
      p50Ms: s.p50,
      p90Ms: s.p90,
      p99Ms: s.p99,
      maxMs: s.max,
      byKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => { const x = summarize(v); return [k, { n: x.n, p50: x.p50, p99: x.p99 }]; })),
      // A second with no answer is a hole in the array.
      p99BySecond: Array.from(bySecond, (v: number[] | undefined) => (v ? summarize(v).p99 : null)),
      sent,
      ok,
      errors,
      lost: sent - answered,
      disconnected: clients.filter((c) => !c.socket!.connected).length,
      mix,
      cpuPercent: cpu,
      benchLoopDelayMs: { p50: round(loop.percentile(50) / 1e6), p99: round(loop.percentile(99) / 1e6), max: round(loop.max / 1e6) },
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

async function startDocLoad(bench: BenchStack, cookies: string[]): Promise<ReadyProcess> {
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
