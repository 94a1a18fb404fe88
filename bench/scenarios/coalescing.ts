import type { Socket } from 'socket.io-client';
import { z } from 'zod';
import type { BenchContext } from '../lib/context.ts';
import type { BenchStack } from '../lib/stack.ts';
import { openClients, closeAll, readSet } from '../lib/room-clients.ts';
import { until } from '../../testkit/poll.ts';
import { nowMs, pause, round } from '../lib/stats.ts';
import { Prng } from '../../testkit/prng.ts';
import { pickStats } from './throughput.ts';

export interface CoalescingResult {
  clients: number;
  faders: number;
  seconds: number;
  movesSent: number;
  answers: Record<string, number>;
  lost: number;
  /** The Remote Script's own count: most writes to one control within one Live tick. */
  maxWritesPerControlPerTick: number;
  /** After the last gesture on each fader, Live (and the set doc) hold its release value. */
  finalValuesLanded: boolean;
  finals: Array<{ fader: string; sent: number; live: number | null; doc: number | null }>;
  script: Record<string, number>;
}

/**
 * 20 browsers drag 8 faders with 60 Hz gestures (two or three per fader, so leases are
 * contested), then each fader gets one last gesture; the Remote Script counts writes
 * per control per tick, and every release value must be what Live ends with.
 */
export async function coalescing(ctx: BenchContext, bench: BenchStack): Promise<CoalescingResult> {
  const N = 20;
  const F = 8;
  const prng = new Prng(ctx.seed).fork('coalescing');
  const peer = { base: bench.stack.url, ca: bench.stack.ca };
  const clients = await openClients(peer, bench.stack.joinCode, N, { room: true, doc: false, prefix: 'co' });
  const [reader] = await openClients(peer, bench.stack.joinCode, 1, { room: false, doc: true, prefix: 'co-reader' });
  const answers: Record<string, number> = {};
  let sent = 0;
  let outstanding = 0;
  let counter = 0;
  const send = (socket: Socket, command: Record<string, unknown>): Promise<{ ok: boolean; error?: { code: string } } | null> => {
    sent++;
    outstanding++;
    return new Promise((resolve) => {
      socket.timeout(10_000).emit('command', { id: `co${(counter++).toString(36)}${prng.int(0, 1e9).toString(36)}`, ...command }, (err: Error | null, answer: { ok: boolean; error?: { code: string } }) => {
        outstanding--;
        const key = err ? 'NO_ANSWER' : answer.ok ? 'ok' : answer.error!.code;
        answers[key] = (answers[key] ?? 0) + 1;
        resolve(err ? null : answer);
      });
    });
  };
  try {
    const set = await readSet(reader!.doc!.doc);
    const faders = set.controls.filter((c) => c.action === 'track.set_volume').slice(0, F).map((c) => c.target);
    if (faders.length < F) throw new Error(`the set has only ${faders.length} volume faders`);
    await bench.sim.stats(true);

    // Contended phase: every client gestures on its fader at 60 Hz.
    const t0 = nowMs();
    const endAt = t0 + ctx.seconds * 1000;
    await Promise.all(clients.map(async (client, i) => {
      const fader = faders[i % F]!;
      let g = 0;
      while (nowMs() < endAt) {
        const gesture = { id: `c${i}-${g++}` };
        const moves = 30 + prng.int(0, 60);
        const value = (k: number): number => round(0.5 + 0.4 * Math.sin(k / 9 + i), 4);
        for (let k = 0; k <= moves + 1 && nowMs() < endAt + 2_000; k++) {
          const phase = k === 0 ? 'start' : k > moves ? 'end' : 'move';
          void send(client.socket!, { action: 'track.set_volume', target: fader, args: { value: value(k) }, gesture: { ...gesture, phase } });
          await pause(1000 / 60);
        }
        await pause(prng.int(0, 200));
      }
    }));
    const drainUntil = Date.now() + 11_000;
    while (outstanding > 0 && Date.now() < drainUntil) await pause(20);

    // Final phase: one last gesture per fader, alone; its release value must land.
    const finals = faders.map((fader, f) => ({ fader, sent: round(0.1 + (0.6 * f) / F + 0.0123, 4), live: null as number | null, doc: null as number | null }));
    const acks = await Promise.all(finals.map(async (final, f) => {
      const socket = clients[f]!.socket!;
      const gesture = { id: `final-${f}` };
      let last: Promise<unknown> = Promise.resolve();
      for (let k = 0; k <= 31; k++) {
        const phase = k === 0 ? 'start' : k === 31 ? 'end' : 'move';
        const value = k === 31 ? final.sent : round(0.9 - k / 100, 4);
        last = send(socket, { action: 'track.set_volume', target: final.fader, args: { value }, gesture: { ...gesture, phase } });
        await pause(1000 / 60);
      }
      return last;
    }));
    const stats = await bench.sim.stats(false);
    const ids = JSON.stringify(faders);
    const live = await bench.sim.eval(`[instance.mirror.get(i).obj.mixer_device.volume.value for i in ${ids}]`, z.array(z.number()));
    const tracks = reader!.doc!.doc.getMap<import('yjs').Map<unknown>>('tracks');
    await until(() => finals.every((f) => Math.abs(Number(tracks.get(f.fader)?.get('volume')) - f.sent) < 1e-6), 'final values in the set doc', 5_000).catch(() => null);
    finals.forEach((f, i) => {
      f.live = round(live[i]!, 6);
      const d = tracks.get(f.fader)?.get('volume');
      f.doc = typeof d === 'number' ? round(d, 6) : null;
    });
    const landed = acks.every((a) => (a as { ok?: boolean } | null)?.ok === true)
      && finals.every((f) => f.live !== null && Math.abs(f.live - f.sent) < 1e-6 && f.doc !== null && Math.abs(f.doc - f.sent) < 1e-6);
    return {
      clients: N,
      faders: F,
      seconds: ctx.seconds,
      movesSent: sent,
      answers,
      lost: answers.NO_ANSWER ?? 0,
      maxWritesPerControlPerTick: stats.maxWritesPerControlPerTick!,
      finalValuesLanded: landed,
      finals,
      script: pickStats(stats),
    };
  } finally {
    closeAll(clients);
    closeAll([reader]);
  }
}
