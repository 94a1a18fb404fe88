/**
 * The command pipeline alone, in this process: no sockets, no TLS, no socket.io. 50
 * sessions send the throughput mix (90 % fader gesture moves, mutes, launches, tempo) at
 * `RATE` a second in per-tick bursts; a fake agent answers every command dispatched in a
 * tick at the next one, as the Remote Script does. Prints the CPU µs per command the
 * pipeline (with the real audit log on disk and the real set mirror) costs, so a change
 * to server/commands/ can be weighed without the whole bench.
 *
 *   npx tsx bench/experiments/pipeline-cost.ts [seconds=10] [rate=5000]
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandPipeline, type AgentPort } from '../../server/commands/command-pipeline.ts';
import { SetMirror } from '../../server/mirror/set-mirror.ts';
import { AuditLog } from '../../server/persistence/audit-log.ts';
import type { Session } from '../../server/sessions/session.ts';
import type { AgentCommand, AgentResult, EntityChange } from '../../protocol/index.ts';

const seconds = Number(process.argv[2] ?? 10);
const rate = Number(process.argv[3] ?? 5000);
const TICK_MS = 1000 / 60;

const mirror = new SetMirror('cost');
const tracks = Array.from({ length: 50 }, (_v, i) => `t${i}`);
const slots = tracks.flatMap((t) => [0, 1, 2].map((k) => `${t}s${k}`));
const entities: EntityChange[] = [
  { kind: 'song', id: 'song', rev: 'E.1', props: { tempo: 120 } },
  ...tracks.map((id, i) => ({ kind: 'track' as const, id, rev: `E.${i + 2}`, props: { name: id, volume: 0.5, pan: 0, mute: false } })),
  ...slots.map((id, i) => ({ kind: 'clip_slot' as const, id, rev: `E.${i + 100}`, props: { trackId: id.split('s')[0], hasClip: true } })),
];
mirror.applySnapshot('E', entities);

class TickAgent implements AgentPort {
  connected = true;
  liveConnected = true;
  currentStatus = { latencyMs: 10 };
  private batch: Array<{ c: AgentCommand; resolve: (r: AgentResult) => void }> = [];
  dispatch(c: AgentCommand, done: (r: AgentResult) => void): void {
    this.batch.push({ c, resolve: done });
  }
  tick(): void {
    const b = this.batch;
    this.batch = [];
    for (const { c, resolve } of b) resolve({ id: c.id, ok: true, rev: 'E.9', value: c.args.value ?? c.args.bpm ?? null });
  }
}

const sessions = new Map<string, Session>(Array.from({ length: 50 }, (_v, i) => [`s${i}`, {
  id: `s${i}`, tokenHash: `h${i}`, name: `n${i}`, role: 'member', layout: 'band', room: 'studio', ip: '127.0.0.1',
  createdAt: 0, lastActiveAt: 0, canControl: true, assignedTracks: [],
} satisfies Session]));
const audit = await AuditLog.open({ dir: mkdtempSync(path.join(os.tmpdir(), 'roomtone-cost-')) });
const agent = new TickAgent();
const pipeline = new CommandPipeline({
  sessions: { get: (id) => sessions.get(id), expiresAt: () => Number.MAX_SAFE_INTEGER, sameAddress: (s, ip) => s.ip === ip },
  room: { locked: false, frozen: false, ownerTrack: (id) => mirror.ownerTrack(id) },
  mirror, agent, audit, deadlineMs: 2000, rateLimit: { perSecond: 1000, burst: 2000 },
});

let seed = 1;
const rnd = (): number => { seed = (seed * 16807) % 2147483647; return seed / 2147483647; };
const gestures = tracks.map(() => ({ id: null as string | null, moves: 0, seq: 0, k: 0 }));
let counter = 0;
let answered = 0;
const one = (i: number): void => {
  const id = `bench-${i}-${(counter++).toString(36).padStart(6, '0')}`;
  const roll = rnd();
  let command: Record<string, unknown>;
  if (roll < 0.9) {
    const g = gestures[i]!;
    let phase: 'start' | 'move' | 'end';
    if (!g.id) { g.id = `g${i}-${g.seq++}`; g.moves = 30; phase = 'start'; } else if (g.moves > 0) { g.moves--; phase = 'move'; } else { phase = 'end'; }
    command = { id, action: 'track.set_volume', target: tracks[i], args: { value: 0.5 + 0.4 * Math.sin(g.k++ / 9) }, gesture: { id: g.id, phase } };
    if (phase === 'end') g.id = null;
  } else if (roll < 0.94) {
    command = { id, action: 'track.set_mute', target: tracks[Math.floor(rnd() * 50)], args: { value: rnd() < 0.5 } };
  } else if (roll < 0.97) {
    command = { id, action: 'clip_slot.fire', target: slots[Math.floor(rnd() * slots.length)], args: {} };
  } else {
    command = { id, action: 'song.set_tempo', args: { bpm: 100 + Math.floor(rnd() * 40) } };
  }
  void pipeline.handle(command, { sessionId: `s${i}`, ip: '127.0.0.1' }).then(() => { answered++; });
};

const perTick = rate / 60;
let due = 0;
let next = 0;
const tick = (): void => {
  agent.tick();
  due += perTick;
  while (due >= 1) { due--; one(next); next = (next + 1) % 50; }
};
// warm-up
for (let t = 0; t < 120; t++) { tick(); await new Promise((r) => setTimeout(r, TICK_MS)); }
answered = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
while (performance.now() - t0 < seconds * 1000) {
  tick();
  await new Promise((r) => setTimeout(r, TICK_MS));
}
const cpu = process.cpuUsage(cpu0);
const wall = performance.now() - t0;
console.log(`pipeline: ${answered} answers in ${(wall / 1000).toFixed(1)} s, ${((cpu.user + cpu.system) / answered).toFixed(1)} µs CPU per command (user ${(cpu.user / answered).toFixed(1)}, system ${(cpu.system / answered).toFixed(1)})`);
pipeline.close();
await audit.flush();
process.exit(0);
