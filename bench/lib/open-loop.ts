import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Socket } from 'socket.io-client';
import { controlArgs, type SetIds, type Control } from './room-clients.ts';
import { CpuWindow, microsPer, type CpuWindowResult } from './cpu-window.ts';
import { nowMs, pause, round, summarize } from './stats.ts';
import type { Prng } from '../../testkit/prng.ts';

/** The answer a client reads from the acknowledgement. */
interface Answer { ok: boolean; error?: { code: string; retryAfterMs?: number } }

export interface OpenLoopResult {
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
  /** Answers (ok or refused) that arrived during the window, whenever their command was sent. */
  answeredInWindow: number;
  /** CPU of each measured process over the window, the machine's load and others' share. */
  cpu: CpuWindowResult;
  /** CPU µs per command answered in the window, per measured process (refusals count: they cost too). */
  cpuUsPerCommand: Record<string, number | null>;
  /** This process's own event-loop delay during the window: large values would inflate the latencies. */
  benchLoopDelayMs: { p50: number; p99: number; max: number };
}

interface GestureState { control: Control; gestureId: string | null; moves: number; step: number; seq: number }

export interface OpenLoopOptions {
  sockets: Socket[];
  set: SetIds;
  rate: number;
  seconds: number;
  prng: Prng;
  /** Processes whose CPU is measured over the window (the server first). */
  pids: Record<string, number | null>;
  /** Called right before the window opens (e.g. to reset the Remote Script's counters). */
  beforeWindow?(): Promise<void>;
  /** Called as the window opens and as it closes (BENCH_CPU_PROF cuts the profiles there). */
  onWindowEdge?(edge: 'open' | 'close'): void;
}

/**
 * The throughput load: each client drags its own fader (a gesture: start, ~30 moves,
 * end, again) and now and then mutes, launches a clip or sets the tempo; the total is
 * offered open-loop at a fixed rate, whatever the answers do. Latency is measured per
 * command from emit to acknowledgement. Used against the room server and, with the
 * same mix, against the bare pass-through chain.
 */
export async function runOpenLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const { sockets, set, rate, prng } = o;
  const states: GestureState[] = sockets.map((_s, i) => ({ control: set.controls[i % set.controls.length]!, gestureId: null, moves: 0, step: 0, seq: 0 }));
  const latencies: number[] = [];
  const byKind: Record<string, number[]> = {};
  const bySecond: number[][] = [];
  const errors: Record<string, number> = {};
  const mix: Record<string, number> = {};
  let windowStart = 0;
  let sent = 0;
  let ok = 0;
  let outstanding = 0;
  let windowOpen = false;
  let answeredInWindow = 0;
  let counter = 0;
  const loop = monitorEventLoopDelay({ resolution: 5 });

  const emit = (socket: Socket, command: Record<string, unknown>, kind: string): void => {
    const inWindow = windowOpen;
    const t0 = nowMs();
    if (inWindow) { sent++; mix[kind] = (mix[kind] ?? 0) + 1; }
    outstanding++;
    socket.timeout(10_000).emit('command', command, (err: Error | null, answer: Answer) => {
      outstanding--;
      if (!err && windowOpen) answeredInWindow++;
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
    const socket = sockets[i]!;
    const id = `bench-${i}-${(counter++).toString(36).padStart(6, '0')}`;
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
      next = (next + 1) % sockets.length;
    }
  }, 5);

  try {
    await pause(2_000); // warm-up: leases, JIT, socket buffers
    await o.beforeWindow?.();
    o.onWindowEdge?.('open');
    const window = new CpuWindow(o.pids);
    windowOpen = true;
    loop.enable();
    const t0 = nowMs();
    windowStart = t0;
    await pause(o.seconds * 1000);
    windowOpen = false;
    loop.disable();
    const cpu = window.stop();
    o.onWindowEdge?.('close');
    const elapsedMs = nowMs() - t0;
    clearInterval(pacer);
    const drainUntil = Date.now() + 11_000;
    while (outstanding > 0 && Date.now() < drainUntil) await pause(50);
    const s = summarize(latencies);
    return {
      clients: sockets.length,
      seconds: round(elapsedMs / 1000),
      offeredPerSecond: rate,
      commandsPerSecond: round(ok / (elapsedMs / 1000), 0),
      p50Ms: s.p50,
      p90Ms: s.p90,
      p99Ms: s.p99,
      maxMs: s.max,
      byKind: Object.fromEntries(Object.entries(byKind).map(([k, v]) => { const x = summarize(v); return [k, { n: x.n, p50: x.p50, p99: x.p99 }]; })),
      p99BySecond: Array.from(bySecond, (v: number[] | undefined) => (v ? summarize(v).p99 : null)),
      sent,
      ok,
      errors,
      lost: sent - latencies.length,
      disconnected: sockets.filter((socket) => !socket.connected).length,
      mix,
      answeredInWindow,
      cpu,
      cpuUsPerCommand: Object.fromEntries(Object.entries(cpu.cpuMs).map(([k, v]) => [k, microsPer(v, answeredInWindow)])),
      benchLoopDelayMs: { p50: round(loop.percentile(50) / 1e6), p99: round(loop.percentile(99) / 1e6), max: round(loop.max / 1e6) },
    };
  } finally {
    clearInterval(pacer);
  }
}
