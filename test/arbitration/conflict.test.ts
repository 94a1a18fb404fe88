import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type * as Y from 'yjs';
import { Harness, eventually as until } from './harness.ts';
import { commandId, send } from '../../testkit/clients.ts';
import type { Answer } from '../../protocol/index.ts';

describe('version checks: stale baseRevs conflict (server mirror early, Remote Script final)', { timeout: 180_000 }, () => {
  let h: Harness;
  beforeAll(async () => { h = await Harness.start(); });
  afterAll(async () => { await h?.stop(); });

  const volumeOf = (id: string) => h.server.parts.room.mirror.entity(id)!;

  it('A1 two sessions with the same baseRev: one wins, the other gets CONFLICT with the winner’s value', async () => {
    const a = await h.member('Ada');
    const b = await h.member('Bob');
    const track = h.trackId(1);
    const baseRev = volumeOf(track).rev!;
    const [ra, rb] = await Promise.all([
      send(a.socket, { id: commandId(), action: 'track.set_volume', target: track, args: { value: 0.31 }, baseRev }),
      send(b.socket, { id: commandId(), action: 'track.set_volume', target: track, args: { value: 0.62 }, baseRev }),
    ]);
    const answers = [ra, rb];
    const winners = answers.filter((x): x is Extract<Answer, { ok: true }> => x.ok);
    const losers = answers.filter((x): x is Extract<Answer, { ok: false }> => !x.ok);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]!.error.code).toBe('CONFLICT');
    expect(losers[0]!.error.current).toEqual({ value: winners[0]!.value, rev: winners[0]!.rev });
    // Live holds the winner's value, and so does the mirror.
    const live = await h.sim.eval(`round(song.tracks[1].mixer_device.volume.value, 6)`, z.number());
    expect(live).toBeCloseTo(winners[0]!.value as number, 6);
    await until(() => volumeOf(track).get('volume') === winners[0]!.value, 'the winner’s volume in the mirror');
  });

  it('A2 a change made on the Live side makes a browser’s stale command conflict', async () => {
    const a = await h.member('Cy');
    const track = h.trackId(2);
    const seen = volumeOf(track).rev!;
    await h.sim.exec(`song.tracks[2].mixer_device.volume.value = 0.123`);
    await until(() => volumeOf(track).rev !== seen, 'the Live-side change in the mirror');
    const answer = await send(a.socket, { id: commandId(), action: 'track.set_volume', target: track, args: { value: 0.9 }, baseRev: seen });
    expect(answer).toMatchObject({ ok: false, error: { code: 'CONFLICT', current: { value: 0.123, rev: volumeOf(track).rev } } });
    expect(await h.sim.eval(`round(song.tracks[2].mixer_device.volume.value, 6)`, z.number())).toBe(0.123);
  });

  it('A3 a Live restart or another set (new epoch) answers commands aimed at the old set SET_CHANGED, never applies them', async () => {
    const a = await h.member('Di');
    const oldEpoch = h.server.parts.room.mirror.epoch!;
    const track = h.trackId(0);
    const oldRevs = { song: volumeOf('song').rev!, track: volumeOf(track).rev! };
    expect(oldRevs.track.startsWith(`${oldEpoch}.`)).toBe(true);
    const snapshots = h.server.parts.room.mirror.snapshots;
    await h.sim.newSet();
    // The new set's first events may carry its epoch before its snapshot lands: wait for the snapshot.
    await until(() => h.server.parts.room.mirror.epoch !== oldEpoch && h.server.parts.room.mirror.snapshots > snapshots && h.server.parts.agent.liveConnected, 'the new set\'s snapshot in the mirror', 20_000);
    const newEpoch = h.server.parts.room.mirror.epoch!;
    const tempo = await send(a.socket, { id: commandId(), action: 'song.set_tempo', args: { bpm: 101 }, baseRev: oldRevs.song });
    expect(tempo).toMatchObject({ ok: false, error: { code: 'SET_CHANGED' } });
    // Ids carry their set's tag: the old track's id names nothing in the new set.
    expect(h.server.parts.room.mirror.entity(track)).toBeUndefined();
    const vol = await send(a.socket, { id: commandId(), action: 'track.set_volume', target: track, args: { value: 0.5 }, baseRev: oldRevs.track });
    expect(vol).toMatchObject({ ok: false, error: { code: 'SET_CHANGED' } });
    const unversioned = await send(a.socket, { id: commandId(), action: 'track.set_volume', target: track, args: { value: 0.5 } });
    expect(unversioned).toMatchObject({ ok: false, error: { code: 'SET_CHANGED' } });
    // A rev of the new epoch passes.
    const direct = await send(a.socket, { id: commandId(), action: 'song.set_tempo', args: { bpm: 101 }, baseRev: volumeOf('song').rev! });
    expect(direct.ok).toBe(true);
    const tracks = h.server.parts.room.mirror.doc.getMap<Y.Map<unknown>>('tracks');
    for (const [, t] of tracks) expect(String(t.get('rev')).startsWith(`${newEpoch}.`)).toBe(true);
  });
});
