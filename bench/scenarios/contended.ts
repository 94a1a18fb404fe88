import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { Socket } from 'socket.io-client';
import type { BenchContext } from '../lib/context.ts';
import type { BenchStack } from '../lib/stack.ts';
import { openClients, closeAll, readSet, controlArgs } from '../lib/room-clients.ts';
import { spawnTs, type ReadyProcess } from '../lib/proc.ts';
import { ROOT } from '../../testkit/root.ts';
import { z } from 'zod';
import { CpuWindow, microsPer, type CpuWindowResult } from '../lib/cpu-window.ts';
import { nowMs, pause, round, summarize, type Summary } from '../lib/stats.ts';
import { Prng } from '../../testkit/prng.ts';
import { pickStats, startDocLoad } from './throughput.ts';
import { MAX_UNANSWERED_MOVES, MoveGate } from '../../protocol/index.ts';

interface Answer { ok: boolean; error?: { code: string; retryAfterMs?: number } }

export interface ContendedResult {
  faders: number;
  launchers: number;
  seconds: number;
  tickMs: number;
  /** One Live tick + 10 ms: the goal for both p99s below. */
  goalMs: number;
  /** The process standing in for Live's audio engine: its share of a core over the window. */
  hogCpuPercent: number | null;
  movesSent: number;
  launchesSent: number;
  /** Command → answer, by kind (a fader's start, moves and end; a clip launch). */
  moves: Summary;
  /**
   * The musician's latency: a value the hand made (each frame) → an ok answer for it or
   * for a later value of the same drag (the value in Live is at least that new). Values
   * that waited in the browser (G6) count from the frame that made them.
   */
  handToLive: Summary;
  /** Frames whose value was sent at once, or waited in the browser for an answer (G6). */
  frames: { made: number; sentAtOnce: number; waited: number };
  /** False with BENCH_CONTENDED_OPEN_LOOP=1: every frame's value sent at once, as before G6. */
  g6: boolean;
  launches: Summary;
  all: Summary;
  answers: Record<string, number>;
  /** Commands without an answer 10 s after the window. */
  lost: number;
  /** Refused commands: how long the refusal took, and how many said when to retry. */
  refusals: { n: number; latency: Summary; withRetryAfter: number };
  /** A tempo change made in Live (the simulator) → the `set` doc of every 8th browser shows it. */
  docs: { changes: number; samples: number; latency: Summary; lastDocPerChange: Summary; missing: number };
  cpu: CpuWindowResult;
  cpuUsPerCommand: Record<string, number | null>;
  script: Record<string, number>;
}

const LIVE_CHANGE_EVERY_MS = 500;
const WATCH_EVERY = 8;

/**
 * The classroom on a studio machine short of CPU: 30 browsers drag one fader each at 60 Hz
 * (as client/src/state/gesture.ts sends: a move per animation frame, at most two
 * unanswered, G6), 10 more launch clips now and then, and a process keeps one core busy at normal
 * priority (Live's audio engine's share). Beside them, every 500 ms a tempo change made in
 * Live, timed to the `set` doc of every 8th browser (those at normal priority; the other
 * browsers' docs at nice 19, as in throughput: on their own devices in a room). Goals: p99 command → answer and p99
 * change in Live → every doc within one Live tick + 10 ms; nothing lost; refusals fast and
 * saying when to retry.
 */
export async function contended(ctx: BenchContext, bench: BenchStack): Promise<ContendedResult> {
  const F = 30;
  const L = 10;
  const tickMs = 1000 / ctx.tickHz;
  const prng = new Prng(ctx.seed).fork('contended');
  const peer = { base: bench.stack.url, ca: bench.stack.ca };
  const clients = await openClients(peer, bench.stack.joinCode, F + L, { room: true, doc: false, prefix: 'class' });
  // Every browser has its `set` doc. Those of every 8th browser time each change and run
  // at normal priority; the others run at nice 19 (on their own devices in a room):
  // 40 docs at normal priority took a third of a core from the server they measure.
  const watched = clients.filter((_c, i) => i % WATCH_EVERY === 0);
  const docs = await startDocWatch(bench, watched.map((c) => c.cookie));
  const docLoad = await startDocLoad(bench, clients.filter((_c, i) => i % WATCH_EVERY !== 0).map((c) => c.cookie));
  const [reader] = await openClients(peer, bench.stack.joinCode, 1, { room: false, doc: true, prefix: 'class-reader' });
  let hog: ChildProcess | null = null;
  try {
    const set = await readSet(reader!.doc!.doc);
    closeAll([reader]);
    const controls = set.controls.slice(0, F);
    if (controls.length < F) throw new Error(`the set has only ${controls.length} continuous controls`);
    if (set.slotsWithClips.length === 0) throw new Error('the set has no clips to launch');

    const latencies = { move: [] as number[], launch: [] as number[] };
    const handToLive: number[] = [];
    const frames = { made: 0, sentAtOnce: 0, waited: 0 };
    const refusals: number[] = [];
    let withRetryAfter = 0;
    const answers: Record<string, number> = {};
    const sent = { move: 0, launch: 0 };
    let outstanding = 0;
    let lost = 0;
    let counter = 0;
    let recording = false;
    const send = (socket: Socket, kind: 'move' | 'launch', command: Record<string, unknown>, answered?: (answer: Answer | null) => void): void => {
      const record = recording;
      if (record) sent[kind]++;
      outstanding++;
      const t0 = nowMs();
      socket.timeout(10_000).emit('command', { id: `class-${(counter++).toString(36).padStart(6, '0')}`, ...command }, (err: Error | null, answer: Answer) => {
        outstanding--;
        answered?.(err ? null : answer);
        if (!record) return;
        if (err) { lost++; return; }
        const ms = nowMs() - t0;
        latencies[kind].push(ms);
        const key = answer.ok ? 'ok' : answer.error!.code;
        answers[key] = (answers[key] ?? 0) + 1;
        if (!answer.ok) {
          refusals.push(ms);
          if (typeof answer.error!.retryAfterMs === 'number') withRetryAfter++;
        }
      });
    };

    // Faders: the hand makes a value every frame (60 Hz), each browser on its own phase;
    // a gesture lasts 1–3 s, then a short pause. A frame that comes late is skipped, as
    // rAF does. Each browser sends as client/src/state/gesture.ts does: start, then a move
    // per frame while fewer than two are unanswered, else the newest value waits (G6,
    // protocol/gesture-flow.ts), and the end at once.
    const frameMs = 1000 / 60;
    interface Fader {
      control: (typeof controls)[number]; socket: Socket; next: number;
      gesture: string | null; moves: number; seq: number; k: number;
      gate: MoveGate<{ value: number; madeAt: number }>;
      /** Frames made and not yet known to be in Live, oldest first. */
      unlanded: number[];
    }
    // BENCH_CONTENDED_OPEN_LOOP=1: browsers as they were before G6 (every frame's value
    // sent at once), to tell what G6 does from what the server's cost does.
    const gateLimit = process.env.BENCH_CONTENDED_OPEN_LOOP === '1' ? Number.POSITIVE_INFINITY : MAX_UNANSWERED_MOVES;
    const faders: Fader[] = controls.map((control, i) => ({
      control, socket: clients[i]!.socket!, next: nowMs() + prng.next() * frameMs,
      gesture: null, moves: 0, seq: 0, k: 0, gate: new MoveGate(gateLimit), unlanded: [],
    }));
    const sendValue = (f: Fader, i: number, phase: 'start' | 'move' | 'end', v: { value: number; madeAt: number }): void => {
      const gesture = f.gesture!;
      send(f.socket, 'move', { action: f.control.action, target: f.control.target, args: controlArgs(f.control, v.value), gesture: { id: gesture, phase } }, (answer) => {
        if (answer?.ok) {
          const now = nowMs();
          while (f.unlanded.length > 0 && f.unlanded[0]! <= v.madeAt) {
            const made = f.unlanded.shift()!;
            if (recording) handToLive.push(now - made);
          }
        }
        if (phase === 'end' || f.gesture !== gesture) return;
        const next = f.gate.answered();
        if (next !== undefined) sendValue(f, i, 'move', next);
      });
    };
    const launchers = clients.slice(F).map((c) => ({ socket: c.socket!, next: nowMs() + prng.next() * 1000 }));
    const pacer = setInterval(() => {
      const now = nowMs();
      for (const [i, f] of faders.entries()) {
        if (now < f.next) continue;
        f.next = Math.max(f.next + frameMs, now - frameMs / 2);
        if (f.gesture === null && f.moves < 0) { f.moves++; continue; } // pausing between gestures
        const v = { value: 0.5 + 0.4 * Math.sin(f.k++ / 9 + i), madeAt: now };
        f.unlanded.push(now);
        if (recording) frames.made++;
        if (f.gesture === null) {
          f.gesture = `cg${i}-${f.seq++}`;
          f.moves = 60 + prng.int(0, 120);
          f.gate.reset();
          f.gate.offer(v);
          if (recording) frames.sentAtOnce++;
          sendValue(f, i, 'start', v);
        } else if (f.moves > 0) {
          f.moves--;
          const go = f.gate.offer(v);
          if (recording) frames[go ? 'sentAtOnce' : 'waited']++;
          if (go) sendValue(f, i, 'move', go);
        } else {
          f.gate.drop();
          if (recording) frames.sentAtOnce++;
          sendValue(f, i, 'end', v);
          f.gesture = null;
          f.moves = -(12 + prng.int(0, 36)); // 200–800 ms
        }
      }
      for (const l of launchers) {
        if (now < l.next) continue;
        l.next = now + 500 + prng.next() * 1000;
        send(l.socket, 'launch', { action: 'clip_slot.fire', target: prng.pick(set.slotsWithClips), args: {} });
      }
    }, 2);

    // Live's audio engine: one core busy at normal priority from here on.
    hog = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    await pause(2_000); // warm-up with the hog running
    await bench.sim.stats(true);
    if (bench.cutProfiles()) await pause(1_000);
    const window = new CpuWindow({ server: bench.serverPid, agent: bench.agentPid(), simulator: bench.sim.pid, docs: docs.child.pid!, docLoad: docLoad.child.pid!, hog: hog.pid! });
    recording = true;
    const changes = new Map<number, number>();
    const endAt = nowMs() + ctx.seconds * 1000;
    let k = 0;
    while (nowMs() < endAt) {
      const tempo = round(80 + (k++ % 400) * 0.13 + 0.001, 3);
      changes.set(tempo, await bench.sim.eval(`setattr(song, 'tempo', ${tempo}) or __import__('time').time() * 1000`, z.number()));
      await pause(LIVE_CHANGE_EVERY_MS);
    }
    recording = false;
    const cpu = window.stop();
    bench.cutProfiles();
    clearInterval(pacer);
    hog.kill('SIGKILL');
    hog = null;
    const drainUntil = Date.now() + 11_000;
    while (outstanding > 0 && Date.now() < drainUntil) await pause(20);
    lost += outstanding;
    const script = await bench.sim.stats(false);
    await pause(500);
    const seen = await docs.report();
    const docLatencies: number[] = [];
    const lastDoc: number[] = [];
    let missing = 0;
    for (const [tempo, t0] of changes) {
      const at = seen[String(tempo)];
      if (!at) { missing += watched.length; continue; }
      const per = at.map((t) => (t === null ? null : t - t0));
      missing += per.filter((d) => d === null).length;
      const got = per.filter((d): d is number => d !== null);
      docLatencies.push(...got);
      if (got.length) lastDoc.push(Math.max(...got));
    }
    const answered = latencies.move.length + latencies.launch.length;
    return {
      faders: F,
      launchers: L,
      seconds: ctx.seconds,
      tickMs: round(tickMs),
      goalMs: round(tickMs + 10),
      hogCpuPercent: cpu.percent.hog ?? null,
      movesSent: sent.move,
      launchesSent: sent.launch,
      moves: summarize(latencies.move),
      handToLive: summarize(handToLive),
      frames,
      g6: Number.isFinite(gateLimit),
      launches: summarize(latencies.launch),
      all: summarize([...latencies.move, ...latencies.launch]),
      answers,
      lost,
      refusals: { n: refusals.length, latency: summarize(refusals), withRetryAfter },
      docs: { changes: changes.size, samples: docLatencies.length, latency: summarize(docLatencies), lastDocPerChange: summarize(lastDoc), missing },
      cpu,
      cpuUsPerCommand: Object.fromEntries(Object.entries(cpu.cpuMs).map(([name, ms]) => [name, microsPer(ms, answered)])),
      script: pickStats(script),
    };
  } finally {
    hog?.kill('SIGKILL');
    closeAll(clients);
    closeAll([reader]);
    await docs.stop();
    await docLoad.stop();
  }
}

interface DocWatch extends ReadyProcess { report(): Promise<Record<string, Array<number | null>>> }

/** The browsers' `set` docs in their own process at normal priority, timing each tempo they see. */
async function startDocWatch(bench: BenchStack, cookies: string[]): Promise<DocWatch> {
  const p = await spawnTs(path.join(ROOT, 'bench', 'lib', 'doc-load.ts'), [], /^doc-load ready/, {
    stdin: JSON.stringify({ base: bench.stack.url, caFile: path.join(bench.stack.certsDir, 'ca.crt'), cookies, watchTempo: true }) + '\n',
    timeoutMs: 90_000,
  });
  const lines = readline.createInterface({ input: p.child.stdout! });
  return {
    ...p,
    report: () => new Promise((resolve) => {
      const onLine = (line: string): void => {
        if (!line.startsWith('doc-load report ')) return;
        lines.off('line', onLine);
        resolve(JSON.parse(line.slice('doc-load report '.length)) as Record<string, Array<number | null>>);
      };
      lines.on('line', onLine);
      p.child.stdin!.write('report\n');
    }),
  };
}
