import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SetStore } from './set-store.ts';
import { until } from '../../../testkit/poll.ts';

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

/** A provider the test drives: it syncs when told to. */
class FakeProvider {
  private readonly handlers = new Map<string, Array<(arg: never) => void>>();
  destroyed = false;
  constructor(readonly doc: Y.Doc) {}
  on(event: string, fn: (arg: never) => void): void {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn]);
  }
  emit(event: string, arg: unknown): void {
    for (const fn of this.handlers.get(event) ?? []) (fn as (a: unknown) => void)(arg);
  }
  destroy(): void {
    this.destroyed = true;
  }
}

describe('SetStore swapping in a fresh doc', () => {
  it('M8 views keep reading the current doc while the fresh one syncs, and switch to it complete', async () => {
    const providers: FakeProvider[] = [];
    const store = new SetStore((_url, doc) => {
      const p = new FakeProvider(doc);
      providers.push(p);
      return p;
    });
    store.connect('wss://studio.test/yjs/studio');
    Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(serverDoc(1, 'A', 0.5)));
    providers[0]!.emit('sync', true);
    expect(store.get('track', 't1')?.volume).toBe(0.5);
    let rereads = 0;
    store.subscribe('tracks:t1', () => rereads++);

    // The compacted doc arrives on the open connection: another instance.
    Y.applyUpdate(store.doc, Y.encodeStateAsUpdate(serverDoc(2, 'B', 0.75)));
    await until(() => store.resets === 1, 'the store to see the new instance');
    expect(providers).toHaveLength(2);
    // Until the fresh doc has synced, nothing goes blank: the merged doc is still read.
    expect(store.get('track', 't1')?.volume).toBe(0.75);
    expect(store.synced.value).toBe(true);

    const fresh = providers[1]!.doc;
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(serverDoc(2, 'B', 0.75)));
    providers[1]!.emit('sync', true);
    expect(store.doc).toBe(fresh);
    expect(providers[0]!.destroyed).toBe(true);
    expect(store.get('track', 't1')?.volume).toBe(0.75);
    await until(() => rereads > 0, 'the views subscribed to t1 to re-read');
    expect(store.resets).toBe(1); // the fresh doc's instance is the one it now follows
  });
});
