import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { NotesHub, type NotesPersistence } from './notes-hub.ts';

/** An in-memory store with NotesStore's contract: state saved on flush. */
function memoryStore(): NotesPersistence & { saved: Map<string, Uint8Array>; flushes: number } {
  const docs = new Map<string, Y.Doc>();
  const saved = new Map<string, Uint8Array>();
  const store = {
    saved,
    flushes: 0,
    bind(room: string, doc: Y.Doc) {
      const stored = saved.get(room);
      if (stored) Y.applyUpdate(doc, stored, store);
      docs.set(room, doc);
      return () => { docs.delete(room); };
    },
    flush() {
      store.flushes++;
      for (const [room, doc] of docs) saved.set(room, Y.encodeStateAsUpdate(doc));
      return Promise.resolve();
    },
  };
  return store;
}

describe('NotesHub', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('members and hosts write, observers do not', () => {
    const hub = new NotesHub('studio');
    expect([hub.canWrite('observer'), hub.canWrite('member'), hub.canWrite('host')]).toEqual([false, true, true]);
  });

  it('loads on first use, saves and drops the doc after idleMs without connections, reloads it later', async () => {
    const store = memoryStore();
    const hub = new NotesHub('studio', { idleMs: 1000 });
    hub.persistTo(store);
    hub.acquire();
    hub.doc.getText('text').insert(0, 'Set list: 1. Intro');
    const first = hub.doc;
    hub.release();
    await vi.advanceTimersByTimeAsync(999);
    expect(hub.loaded).toBe(true);
    await vi.advanceTimersByTimeAsync(1);
    expect(hub.loaded).toBe(false);
    expect(hub.unloads).toBe(1);
    expect(store.flushes).toBe(1);
    expect(first.isDestroyed).toBe(true);

    hub.acquire();
    expect(hub.doc.getText('text').toString()).toBe('Set list: 1. Intro');
    expect(hub.doc).not.toBe(first);
    expect(hub.loads).toBe(2);
  });

  it('a connection arriving during the idle wait keeps the doc', async () => {
    const hub = new NotesHub('studio', { idleMs: 1000 });
    hub.persistTo(memoryStore());
    hub.acquire();
    const doc = hub.doc;
    hub.release();
    await vi.advanceTimersByTimeAsync(500);
    hub.acquire();
    await vi.advanceTimersByTimeAsync(5000);
    expect(hub.doc).toBe(doc);
    expect(hub.unloads).toBe(0);
  });
});
