import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { SetMirror } from './set-mirror.ts';
import { checkVersion } from '../commands/check-version.ts';
import { META, META_ROOT, controlOf, findAction, type EntityChange } from '../../protocol/index.ts';

const snapshot = (volume = 0.5, extra: EntityChange[] = []): EntityChange[] => [
  { kind: 'song', id: 'song', rev: 'E1.1', props: { tempo: 120, isPlaying: false } },
  { kind: 'track', id: 't1', rev: 'E1.2', props: { name: 'Bass', volume, mute: false } },
  { kind: 'track', id: 't2', rev: 'E1.3', props: { name: 'Keys', volume: 0.7, mute: false } },
  { kind: 'order', id: 'order', rev: 'E1.4', props: { tracks: ['t1', 't2'], returns: [], scenes: [], cuePoints: [] } },
  ...extra,
];

describe('SetMirror', () => {
  it('writes a per-start instance id into meta', () => {
    const a = new SetMirror();
    const b = new SetMirror();
    expect(a.doc.getMap('meta').get('instance')).toBe(a.instance);
    expect(a.instance).not.toBe(b.instance);
  });

  it('one batch of Live changes is one Y update', () => {
    const mirror = new SetMirror('i');
    mirror.applySnapshot('E1', snapshot());
    let updates = 0;
    mirror.doc.on('update', () => updates++);
    mirror.applyChanges('E1', [
      { kind: 'track', id: 't1', rev: 'E1.5', props: { volume: 0.1 } },
      { kind: 'track', id: 't2', rev: 'E1.6', props: { volume: 0.2 } },
      { kind: 'song', id: 'song', rev: 'E1.7', props: { tempo: 99 } },
    ]);
    expect(updates).toBe(1);
  });

  it('reconciles a snapshot by difference: an identical snapshot changes nothing, a changed one touches only what changed', () => {
    const mirror = new SetMirror('i');
    mirror.applySnapshot('E1', snapshot());
    const tracks = mirror.doc.getMap<Y.Map<unknown>>('tracks');
    const t1 = tracks.get('t1')!;
    const t2 = tracks.get('t2')!;
    let updates = 0;
    mirror.doc.on('update', () => updates++);
    const touched: string[] = [];
    tracks.observeDeep((events) => {
      for (const e of events) for (const key of e.changes.keys.keys()) touched.push(`${e.path.join('/') || '(root)'}:${key}`);
    });

    mirror.applySnapshot('E1', snapshot());
    expect(updates).toBe(0);

    mirror.applySnapshot('E1', snapshot(0.25).map((c) => (c.id === 't1' ? { ...c, rev: 'E1.8' } : c)));
    expect(updates).toBe(1);
    expect(touched.sort()).toEqual(['t1:rev', 't1:volume']);
    // The same Y.Map objects: nothing was deleted and recreated, so no flicker.
    expect(tracks.get('t1')).toBe(t1);
    expect(tracks.get('t2')).toBe(t2);
  });

  it('drops entities a snapshot no longer has, and props it no longer lists', () => {
    const mirror = new SetMirror('i');
    mirror.applySnapshot('E1', snapshot());
    mirror.applySnapshot('E1', snapshot().filter((c) => c.id !== 't2').map((c) => (c.id === 't1' ? { ...c, props: { name: 'Bass', volume: 0.5 } } : c)));
    expect(mirror.doc.getMap('tracks').has('t2')).toBe(false);
    expect(mirror.entity('t2')).toBeUndefined();
    expect(mirror.entity('t1')!.get('mute')).toBeUndefined();
  });

  it('keeps the parameters and cue points a split snapshot leaves for the events that follow, while their lists still name them', () => {
    const mirror = new SetMirror('i');
    const device = (params: string[]): EntityChange => ({ kind: 'device', id: 'd1', rev: 'E1.10', props: { trackId: 't1', params, macros: [] } });
    const param = (id: string, value: number): EntityChange => ({ kind: 'parameter', id, rev: `E1.${value}`, props: { deviceId: 'd1', value } });
    const order = (cuePoints: string[]): EntityChange => ({ kind: 'order', id: 'order', rev: 'E1.4', props: { tracks: ['t1', 't2'], returns: [], scenes: [], cuePoints } });
    const cue: EntityChange = { kind: 'cue_point', id: 'cue1', rev: 'E1.30', props: { name: 'Verse', time: 0 } };
    mirror.applySnapshot('E1', [...snapshot().filter((c) => c.kind !== 'order'), order(['cue1']), device(['p1', 'p2']), param('p1', 11), param('p2', 12), cue]);
    const p2 = mirror.doc.getMap('params').get('p2');
    const touched: string[] = [];
    mirror.doc.getMap('params').observe((e) => touched.push(...e.changes.keys.keys()));
    // The split: the snapshot line ends after p1; p2 and the cue point come as events.
    mirror.applySnapshot('E1', [...snapshot().filter((c) => c.kind !== 'order'), order(['cue1']), device(['p1', 'p2']), param('p1', 11)]);
    expect(mirror.doc.getMap('params').get('p2')).toBe(p2);
    expect(mirror.entity('cue1')).toBeDefined();
    mirror.applyChanges('E1', [param('p2', 13), cue]);
    expect(touched).toEqual([]);
    expect(mirror.entity('p2')!.get('value')).toBe(13);
    // A parameter its device no longer lists, and a cue point the order dropped, go.
    mirror.applySnapshot('E1', [...snapshot().filter((c) => c.kind !== 'order'), order([]), device(['p1']), param('p1', 11)]);
    expect(mirror.entity('p2')).toBeUndefined();
    expect(mirror.entity('cue1')).toBeUndefined();
  });

  it('a new epoch (Live restarted, another set) answers every old baseRev SET_CHANGED', () => {
    const mirror = new SetMirror('i');
    mirror.applySnapshot('E1', snapshot());
    const spec = findAction('track.set_volume')!;
    const command = { id: 'cmd-000001', action: spec.name, target: 't1', args: { value: 1 }, baseRev: 'E1.2' };
    expect(checkVersion({ command, spec }, controlOf(command, mirror.lookup), mirror)).toBeNull();
    // Same ids and even the same counters after the restart: the epoch still differs.
    mirror.applySnapshot('E2', snapshot().map((c) => ({ ...c, rev: c.rev!.replace('E1', 'E2') })));
    expect(mirror.doc.getMap(META_ROOT).get(META.epoch)).toBe('E2');
    expect(checkVersion({ command, spec }, controlOf(command, mirror.lookup), mirror)).toMatchObject({ code: 'SET_CHANGED' });
    // an id of the old set (its tag is the old epoch's) is not in the new one
    const old = { id: 'cmd-000002', action: spec.name, target: 't7-E1', args: { value: 1 } };
    expect(checkVersion({ command: old, spec }, controlOf(old, mirror.lookup), mirror)).toMatchObject({ code: 'SET_CHANGED' });
    expect(checkVersion({ command: { ...old, target: 't7-E2' }, spec }, controlOf({ ...old, target: 't7-E2' }, mirror.lookup), mirror)).toMatchObject({ code: 'NOT_FOUND' });
  });
});
