import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Harness, eventually as until } from './harness.ts';
import { commandId, connectRoom, openDoc, send, synced, type DocClient } from '../../testkit/clients.ts';
import { SetCompactor } from '../../server/mirror/set-compactor.ts';
import { META_ROOT, ROOT_OF } from '../../protocol/index.ts';

const ROOTS = [...new Set(Object.values(ROOT_OF)), META_ROOT];
const content = (doc: Y.Doc) => Object.fromEntries(ROOTS.map((root) => [root, doc.getMap(root).toJSON()]));
const FADERS = 8;
/** Tombstones the test compactor waits for (the server's own waits for 1 MiB). */
const GROWTH = 32 * 1024;

describe('compaction of the set doc', { timeout: 180_000 }, () => {
  let h: Harness;
  let compactor: SetCompactor;
  const docs: DocClient[] = [];
  const logged: string[] = [];
  beforeAll(async () => {
    h = await Harness.start({ rateLimit: { perSecond: 5_000, burst: 5_000 } });
    // Small numbers: checked every 50 ms, and only once in this test.
    h.server.parts.compactor.stop();
    compactor = new SetCompactor(h.server.parts.room.mirror, { checkEveryMs: 50, minGapMs: 600_000, growthBytes: GROWTH, log: (line) => logged.push(line) });
  });
  afterAll(async () => {
    compactor?.stop();
    for (const d of docs) d.destroy();
    await h?.stop();
  });

  it('M8 under fader traffic the set doc is rebuilt: a connected client stays connected and converges, a new one syncs a small doc, welcome.instance is the new meta.instance', async () => {
    const ada = await h.member('Ada');
    const kept = openDoc(h.peer, ada.cookie, 'set');
    docs.push(kept);
    await synced(kept);
    const mirror = h.server.parts.room.mirror;
    const firstInstance = mirror.instance;
    expect(kept.doc.getMap('meta').get('instance')).toBe(firstInstance);
    const statuses: string[] = [];
    kept.provider.on('status', (e: { status: string }) => statuses.push(e.status));

    const tracks = Array.from({ length: FADERS }, (_, i) => h.trackId(i));
    const landed = new Map<string, number>();
    const move = async (round: number): Promise<void> => {
      const answers = await Promise.all(tracks.map((t) => send(ada.socket, { id: commandId(), action: 'track.set_volume', target: t, args: { value: 0.05 + round * 0.002 } })));
      answers.forEach((a, i) => {
        expect(a.ok).toBe(true);
        if (a.ok) landed.set(tracks[i]!, a.value as number);
      });
    };
    // Every fader starts at the bottom of its ramp before the client's values are recorded
    // (the set's own levels, e.g. 0.85, sit above it).
    await move(0);
    await until(() => tracks.every((t) => kept.doc.getMap<Y.Map<unknown>>('tracks').get(t)?.get('volume') === landed.get(t)), 'the first values at the kept client');
    // From here each fader only ever moves up, so any older value showing again at the client is a bug.
    const seen = new Map<string, number[]>(tracks.map((t) => [t, []]));
    kept.doc.getMap('tracks').observeDeep(() => {
      for (const t of tracks) {
        const volume = kept.doc.getMap<Y.Map<unknown>>('tracks').get(t)?.get('volume');
        const list = seen.get(t)!;
        if (typeof volume === 'number' && volume !== list.at(-1)) list.push(volume);
      }
    });
    let round = 1;
    const started = Date.now();
    while (mirror.compactions === 0) {
      expect(round).toBeLessThan(450); // 0.002 a round keeps the values inside 0..1
      await move(round++);
    }
    const elapsed = Date.now() - started;
    const compactedAt = round;
    // Keep moving: these writes land in the new doc only.
    for (let i = 0; i < 20; i++) await move(round++);

    const last = compactor.last!;
    console.log(`[measure] set doc compacted after ${compactedAt} rounds of ${FADERS} moves (${elapsed} ms): ${last.beforeBytes} B → ${last.afterBytes} B in ${last.ms.toFixed(1)} ms; ${logged.join(' | ')}`);
    expect(logged).toHaveLength(1);
    expect(last.afterBytes).toBeLessThan(last.beforeBytes - GROWTH);
    expect(mirror.compactions).toBe(1);
    expect(mirror.instance).not.toBe(firstInstance);
    expect(mirror.doc.getMap('meta').get('instance')).toBe(mirror.instance);

    // The client that kept its doc merged the new one: the current values, the new instance.
    await until(() => tracks.every((t) => kept.doc.getMap<Y.Map<unknown>>('tracks').get(t)?.get('volume') === landed.get(t)), 'the last values at the kept client');
    await until(() => isDeepStrictEqual(content(kept.doc), content(mirror.doc)), 'the kept client equal to the server');
    expect(content(kept.doc)).toEqual(content(mirror.doc));
    expect(kept.doc.getMap('meta').get('instance')).toBe(mirror.instance);
    for (const t of tracks) {
      const values = seen.get(t)!;
      expect(values.at(-1)).toBe(landed.get(t));
      expect(values).toEqual([...values].sort((a, b) => a - b));
    }
    expect(statuses).not.toContain('disconnected');
    expect(kept.provider.wsconnected).toBe(true);
    expect(h.server.parts.audit.query({ kind: 'yjs_violation', limit: 100 })).toEqual([]);

    // A client that connects now syncs the compacted doc, not the history.
    const bo = await h.member('Bo');
    const late = openDoc(h.peer, bo.cookie, 'set');
    docs.push(late);
    await synced(late);
    const lateBytes = Y.encodeStateAsUpdate(late.doc).byteLength;
    const serverBytes = Y.encodeStateAsUpdate(mirror.doc).byteLength;
    console.log(`[measure] a client that connects after the compaction holds ${lateBytes} B (server doc ${serverBytes} B, before compaction ${last.beforeBytes} B)`);
    expect(content(late.doc)).toEqual(content(mirror.doc));
    expect(lateBytes).toBe(serverBytes);
    // Only what the 20 rounds after the rebuild added, not the history before it.
    expect(lateBytes).toBeLessThan(last.afterBytes + GROWTH / 4);

    // welcome carries the current instance, outside any merge.
    const socket = connectRoom(h.peer, bo.cookie);
    h.sockets.push(socket);
    const welcome = await new Promise<{ instance: string }>((resolve) => socket.once('welcome', resolve));
    expect(welcome.instance).toBe(mirror.instance);
    expect(late.doc.getMap('meta').get('instance')).toBe(welcome.instance);
  });
});
