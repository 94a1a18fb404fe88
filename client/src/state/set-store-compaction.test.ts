import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SetStore } from './set-store.ts';

// The store batches into animation frames; in Node a frame is a macrotask.
beforeAll(() => {
  (globalThis as { requestAnimationFrame?: (fn: () => void) => number }).requestAnimationFrame ??= (fn) => setTimeout(fn, 0) as unknown as number;
});

function serverDoc(clientID: number, instance: string, volume: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  doc.transact(() => {
    doc.getMap('meta').set('instance', instance);
    const tracks = doc.getMap<Y.Map<unknown>>('tracks');
    const e = new Y.Map<unknown>();
    e.set('id', 't1');
    e.set('volume', volume);
    tracks.set('t1', e);
  });
  return doc;
}

describe('SetStore and a compacted set doc', () => {
  it('M8 the whole compacted doc arriving as a plain update on a synced connection makes the store drop its grown doc', async () => {
    const before = serverDoc(1, 'A', 0.5);
    for (let i = 0; i < 100; i++) before.getMap<Y.Map<unknown>>('tracks').get('t1')!.set('volume', i / 100);
    const store = new SetStore();
    Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(before));
    store.synced.set(true);
    store.checkInstance('A');
    const grown = store.doc;

    // The server's rebuild: the same content under a higher client id and a new instance.
    const compacted = serverDoc(2, 'B', 0.99);
    Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(compacted));
    // Merged, the new doc wins every key it has …
    expect(grown.getMap('meta').get('instance')).toBe('B');
    expect(grown.getMap<Y.Map<unknown>>('tracks').get('t1')!.get('volume')).toBe(0.99);
    // … and the store, seeing another instance, starts over with an empty doc (M5): the
    // merge was already right, but only a fresh doc sheds the history.
    await Promise.resolve();
    expect(store.resets).toBe(1);
    expect(store.doc).not.toBe(grown);
    expect(store.doc.getMap('tracks').size).toBe(0);
  });
});
