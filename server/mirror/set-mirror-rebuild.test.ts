import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SetMirror } from './set-mirror.ts';
import { META_ROOT, ROOT_OF, SINGLETON_KINDS, type EntityChange, type EntityKind } from '../../protocol/index.ts';

const TRACKS = 16;

/** A small set: tracks with a device of 8 parameters each, a scene, the song and the order. */
function snapshot(): EntityChange[] {
  const entities: EntityChange[] = [{ kind: 'song', id: 'song', rev: 'E1.1', props: { tempo: 120, isPlaying: false } }];
  for (let t = 0; t < TRACKS; t++) {
    const params = Array.from({ length: 8 }, (_, p) => `p${t}_${p}`);
    entities.push({ kind: 'track', id: `t${t}`, rev: `E1.${t}`, props: { name: `Track ${t}`, volume: 0.85, pan: 0, sends: [0, 0], devices: [`d${t}`] } });
    entities.push({ kind: 'device', id: `d${t}`, rev: `E1.${t}`, props: { trackId: `t${t}`, name: 'EQ Eight', params, macros: [] } });
    for (const id of params) entities.push({ kind: 'parameter', id, rev: 'E1.1', props: { deviceId: `d${t}`, name: id, value: 0, min: 0, max: 1 } });
  }
  entities.push({ kind: 'scene', id: 's0', rev: 'E1.1', props: { name: 'Intro', tempo: null } });
  entities.push({ kind: 'order', id: 'order', rev: 'E1.2', props: { tracks: Array.from({ length: TRACKS }, (_, t) => `t${t}`), returns: [], scenes: ['s0'], cuePoints: [] } });
  return entities;
}

/** `writes` fader moves spread over the tracks and their first parameter, one Live tick each. */
function faderTraffic(mirror: SetMirror, writes: number, from = 0): void {
  for (let i = from; i < from + writes; i++) {
    const t = i % TRACKS;
    mirror.applyChanges('E1', [
      { kind: 'track', id: `t${t}`, rev: `E1.${1000 + i}`, props: { volume: (i % 100) / 100 } },
      { kind: 'parameter', id: `p${t}_0`, rev: `E1.${1000 + i}`, props: { value: (i % 37) / 37 } },
    ]);
  }
}

const ROOTS = [...new Set(Object.values(ROOT_OF)), META_ROOT];

function content(doc: Y.Doc): Record<string, unknown> {
  return Object.fromEntries(ROOTS.map((root) => [root, doc.getMap(root).toJSON()]));
}

const size = (doc: Y.Doc): number => Y.encodeStateAsUpdate(doc).byteLength;

/** The content of a mirror's doc as one snapshot, to build a twin that never saw any history. */
function asSnapshot(doc: Y.Doc): EntityChange[] {
  const entities: EntityChange[] = [];
  for (const [kind, root] of Object.entries(ROOT_OF) as Array<[EntityKind, string]>) {
    const json = doc.getMap(root).toJSON() as Record<string, Record<string, unknown>>;
    const maps = SINGLETON_KINDS.has(kind) ? (Object.keys(json).length > 0 ? [json as Record<string, unknown>] : []) : Object.values(json);
    for (const { id, rev, ...props } of maps) entities.push({ kind, id: id as string, rev: rev as string, props });
  }
  return entities;
}

describe('SetMirror.rebuild (M8)', () => {
  it('M8 a rebuilt doc holds exactly the current content at about the size of a fresh build, under a new instance, and later changes land in it', () => {
    const mirror = new SetMirror('first');
    mirror.applySnapshot('E1', snapshot());
    const fresh = size(mirror.doc);
    faderTraffic(mirror, 5_000);
    // Deleted entities and props must stay deleted in the copy.
    mirror.applyChanges('E1', [{ kind: 'track', id: 't15', removed: true }, { kind: 'scene', id: 's0', removed: true }]);
    const before = size(mirror.doc);
    const expected = content(mirror.doc);
    const oldDoc = mirror.doc;
    const oldClient = oldDoc.clientID;

    mirror.rebuild();

    const after = size(mirror.doc);
    const twin = new SetMirror(mirror.instance);
    twin.applySnapshot('E1', asSnapshot(mirror.doc));
    expect(content(twin.doc)).toEqual(content(mirror.doc));
    const live = size(twin.doc);
    console.log(`[measure] set doc: ${fresh} B fresh, ${before} B after 5,000 writes, ${after} B rebuilt (the same content built fresh: ${live} B)`);
    expect(before).toBeGreaterThan(3 * fresh);
    expect(Math.abs(after - live)).toBeLessThan(live * 0.05);
    expect(mirror.doc).not.toBe(oldDoc);
    expect(oldDoc.isDestroyed).toBe(true);
    expect(mirror.doc.clientID).toBeGreaterThan(oldClient);
    expect(mirror.compactions).toBe(1);

    const meta = mirror.doc.getMap('meta');
    expect(mirror.instance).not.toBe('first');
    expect(meta.get('instance')).toBe(mirror.instance);
    expect(content(mirror.doc)).toEqual({ ...expected, meta: { ...(expected.meta as object), instance: mirror.instance } });
    expect(mirror.doc.getMap('tracks').has('t15')).toBe(false);
    expect(mirror.entity('t15')).toBeUndefined();

    // The index points at the new doc's maps.
    const t3 = mirror.doc.getMap<Y.Map<unknown>>('tracks').get('t3')!;
    expect(mirror.entity('t3')!.get('volume')).toBe(t3.get('volume'));
    expect(mirror.entity('t3')!.rev).toBe(t3.get('rev'));
    expect(mirror.entity('song')!.get('tempo')).toBe(120);
    expect(mirror.ownerTrack('p3_0')).toBe('t3');

    mirror.applyChanges('E1', [
      { kind: 'track', id: 't3', rev: 'E1.99999', props: { volume: 0.123 } },
      { kind: 'song', id: 'song', rev: 'E1.99999', props: { tempo: 97 } },
      { kind: 'scene', id: 's1', rev: 'E1.99999', props: { name: 'Outro' } },
    ]);
    expect(t3.get('volume')).toBe(0.123);
    expect(mirror.entity('t3')).toMatchObject({ rev: 'E1.99999' });
    expect(mirror.doc.getMap('song').get('tempo')).toBe(97);
    expect(mirror.doc.getMap<Y.Map<unknown>>('scenes').get('s1')!.get('name')).toBe('Outro');
    // A snapshot after the rebuild is still reconciled by difference (M3) against the new maps.
    let updates = 0;
    mirror.doc.on('update', () => updates++);
    const again = snapshot().filter((e) => e.id !== 't15' && e.id !== 's0');
    mirror.applySnapshot('E1', again);
    mirror.applySnapshot('E1', again);
    expect(updates).toBe(1);
    expect(mirror.doc.getMap<Y.Map<unknown>>('tracks').get('t3')).toBe(t3);
    expect(t3.get('volume')).toBe(0.85);
  });

  it('M8 a plain Y.Doc that had synced the old doc ends, after merging the rebuilt doc, with exactly the server’s content', () => {
    const mirror = new SetMirror('first');
    const client = new Y.Doc();
    const forward = (update: Uint8Array): void => Y.applyUpdate(client, update);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(mirror.doc));
    mirror.doc.on('update', forward);
    mirror.applySnapshot('E1', snapshot());
    faderTraffic(mirror, 2_000);
    mirror.applyChanges('E1', [{ kind: 'track', id: 't7', removed: true }, { kind: 'song', id: 'song', rev: 'E1.5000', props: { tempo: 133 } }]);
    mirror.applySnapshot('E1', snapshot().filter((e) => e.id !== 't7' && e.id !== 'p1_3'));
    expect(content(client)).toEqual(content(mirror.doc));

    const replaced: Y.Doc[] = [];
    mirror.onReplaced((next) => replaced.push(next));
    mirror.rebuild();
    expect(replaced).toEqual([mirror.doc]);
    Y.applyUpdate(client, Y.encodeStateAsUpdate(mirror.doc));
    expect(content(client)).toEqual(content(mirror.doc));
    expect(client.getMap('meta').get('instance')).toBe(mirror.instance);
    expect(client.getMap('tracks').has('t7')).toBe(false);

    // Later ticks reach the client through the new doc and keep it equal.
    mirror.doc.on('update', forward);
    faderTraffic(mirror, 300, 7);
    mirror.applyChanges('E1', [{ kind: 'track', id: 't2', removed: true }, { kind: 'track', id: 't7', rev: 'E1.9', props: { name: 'Back' } }]);
    expect(content(client)).toEqual(content(mirror.doc));
  });
});
