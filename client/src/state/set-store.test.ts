import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SetStore } from './set-store.ts';

// The store batches into animation frames; in Node a frame is a macrotask.
beforeAll(() => {
  (globalThis as { requestAnimationFrame?: (fn: () => void) => number }).requestAnimationFrame ??= (fn) => setTimeout(fn, 0) as unknown as number;
});
/** Resolves in the frame after the store's own: frames run in the order they were asked for. */
const frame = () => new Promise<void>((r) => requestAnimationFrame(() => r()));

/** A stand-in for the server's mirror: writes entities the way the set doc lays them out. */
function serverDoc(instance: string, tracks: Record<string, { name: string; volume: number }>): Y.Doc {
  const doc = new Y.Doc();
  doc.transact(() => {
    doc.getMap('meta').set('instance', instance);
    const map = doc.getMap<Y.Map<unknown>>('tracks');
    for (const [id, t] of Object.entries(tracks)) {
      const e = new Y.Map<unknown>();
      e.set('id', id);
      e.set('rev', 'e1.1');
      e.set('name', t.name);
      e.set('volume', t.volume);
      map.set(id, e);
    }
    doc.getMap('order').set('tracks', Object.keys(tracks));
  });
  return doc;
}

function feed(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

describe('SetStore', () => {
  it('runs each touched entity’s subscribers once per batch, and nobody else', async () => {
    const server = serverDoc('A', { t1: { name: 'Bass', volume: 0.85 }, t2: { name: 'Keys', volume: 0.7 }, t3: { name: 'Pad', volume: 0.5 } });
    const store = new SetStore();
    feed(server, store.doc);
    await frame();
    const calls: Record<string, number> = { t1: 0, t2: 0, t3: 0 };
    for (const id of Object.keys(calls)) store.subscribe(`tracks:${id}`, () => calls[id]!++);
    const flushesBefore = store.flushes;

    // One server transaction that moves t1 three times and t2 once: one flush.
    server.transact(() => {
      const t1 = server.getMap<Y.Map<unknown>>('tracks').get('t1')!;
      t1.set('volume', 0.6);
      t1.set('volume', 0.61);
      t1.set('volume', 0.62);
      server.getMap<Y.Map<unknown>>('tracks').get('t2')!.set('volume', 0.1);
    });
    feed(server, store.doc);
    expect(calls).toEqual({ t1: 0, t2: 0, t3: 0 }); // nothing until the frame
    await frame();
    expect(calls).toEqual({ t1: 1, t2: 1, t3: 0 });
    expect(store.flushes).toBe(flushesBefore + 1);
    expect(store.get('track', 't1')?.volume).toBe(0.62);
    expect(store.ids('track')).toEqual(['t1', 't2', 't3']);
  });

  it('drops its doc and starts fresh when the server restarted (meta.instance changed, M5)', async () => {
    const first = serverDoc('A', { t1: { name: 'Bass', volume: 0.85 }, t9: { name: 'Doomed', volume: 0.5 } });
    const store = new SetStore();
    feed(first, store.doc);
    store.synced.set(true);
    store.checkInstance('A');
    await frame();
    expect(store.ids('track')).toEqual(['t1', 't9']);
    let notified = 0;
    store.subscribe('tracks:t9', () => notified++);

    // The restarted server's doc lacks t9; merged into the old doc it would survive.
    const second = serverDoc('B', { t1: { name: 'Bass', volume: 0.85 } });
    const old = store.doc;
    store.checkInstance('B');
    expect(store.doc).not.toBe(old);
    expect(store.resets).toBe(1);
    feed(second, store.doc);
    await frame();
    expect(store.get('track', 't9')).toBeUndefined();
    expect(store.ids('track')).toEqual(['t1']);
    expect(notified).toBeGreaterThan(0); // views showing t9 were told to re-read
  });
});
