import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SetStore } from './set-store.ts';
import { Observable } from './observable.ts';
import { classify } from './screen.ts';
import { computeTruth, describeGap, type LinkTruth } from './link-truth.ts';
import { describeChanges, musicalState, returnNotice, watchLiveReturn } from './live-return.ts';
import { groupPeople, auditWords } from './people.ts';
import { describeActivity, caresAbout } from './activity.ts';
import type { RoomLink } from './room.ts';
import type { HostSessionRow } from '../../../protocol/browser.ts';

beforeAll(() => {
  (globalThis as { requestAnimationFrame?: (fn: () => void) => number }).requestAnimationFrame ??= (fn) => setTimeout(fn, 0) as unknown as number;
});

/** A set with a song and two tracks, written the way the server lays the doc out. */
function setWith(song: Record<string, unknown>, tracks: Array<Record<string, unknown>>, meta: Record<string, unknown> = {}): SetStore {
  const store = new SetStore();
  const doc = store.doc;
  doc.transact(() => {
    const s = doc.getMap('song');
    for (const [k, v] of Object.entries({ rev: 'e.1', tempo: 120, isPlaying: false, signatureNumerator: 4, signatureDenominator: 4, metronome: false, loop: false, quantization: '1 Bar', ...song })) s.set(k, v);
    const map = doc.getMap<Y.Map<unknown>>('tracks');
    for (const t of tracks) {
      const e = new Y.Map<unknown>();
      for (const [k, v] of Object.entries({ rev: 'e.1', volume: 0.85, mute: false, solo: false, arm: false, ...t })) e.set(k, v);
      map.set(String(t.id), e);
    }
    doc.getMap('order').set('tracks', tracks.map((t) => String(t.id)));
    for (const [k, v] of Object.entries(meta)) doc.getMap('meta').set(k, v);
  });
  return store;
}

describe('the screen picks the layout', () => {
  it('phones by their short side, either way up; tablets by touch; the rest laptops', () => {
    expect(classify(390, 844, true)).toEqual({ kind: 'phone', orientation: 'portrait', touch: true });
    expect(classify(844, 390, true)).toEqual({ kind: 'phone', orientation: 'landscape', touch: true });
    expect(classify(1024, 768, true).kind).toBe('tablet');
    expect(classify(768, 1024, true).kind).toBe('tablet');
    expect(classify(1440, 900, false).kind).toBe('laptop');
    expect(classify(500, 900, false).kind).toBe('phone'); // a narrow window gets the phone layout
  });
});

describe('link truth', () => {
  const link = (status: string) => ({ status: new Observable(status) }) as unknown as RoomLink;
  it('names the first gap on the way to Live, with the server’s stamp when it has one', () => {
    const seen: Parameters<typeof computeTruth>[2] = new Map();
    const set = setWith({}, [], { agentConnected: true, liveConnected: false, liveChangedAt: 1_700_000_000_000 });
    set.status.set('connected');
    set.synced.set(true);
    expect(computeTruth(link('online'), set, seen, 5)).toEqual({ live: false, gap: 'live', since: 1_700_000_000_000 });
    expect(computeTruth(link('reconnecting'), set, seen, 7)).toEqual({ live: false, gap: 'room', since: 7 });
    expect(computeTruth(link('reconnecting'), set, seen, 9)).toEqual({ live: false, gap: 'room', since: 7 });
    expect(describeGap({ live: false, gap: 'live', since: Date.UTC(2026, 0, 1, 20, 14) })).toMatch(/^Live is not connected since \d{1,2}:\d{2}/);
  });
});

describe('Live coming back', () => {
  it('says what differs, and nothing when nothing does', () => {
    const before = musicalState(setWith({ tempo: 97, isPlaying: true }, [{ id: 't1', name: 'Bass', mute: true }, { id: 't2', name: 'Keys' }]))!;
    const same = musicalState(setWith({ tempo: 97, isPlaying: true }, [{ id: 't9', name: 'Bass', mute: true }, { id: 't8', name: 'Keys' }]))!;
    expect(describeChanges(before, same)).toEqual([]);
    const after = musicalState(setWith({ tempo: 120 }, [{ id: 't9', name: 'Bass' }, { id: 't10', name: 'Pad' }]))!;
    expect(describeChanges(before, after)).toEqual(['tempo 97 \u2192 120 BPM', 'playback stopped', 'Bass unmuted', 'Keys is gone', 'new track Pad']);
    expect(returnNotice(['a', 'b', 'c'], 2)).toBe('Live is back, but not as it was: a; b; and 1 more change.');
  });

  it('compares only after Live went away and came back, once the new epoch settled', async () => {
    vi.useFakeTimers();
    try {
      const set = setWith({ tempo: 97 }, [{ id: 't1', name: 'Bass' }], { epoch: 'A' });
      const truth = new Observable<LinkTruth>({ live: true, gap: null, since: null });
      const compared: string[][] = [];
      const stop = watchLiveReturn(truth, set, (changes) => compared.push(changes));
      // A reconnect of the page itself is not a return of Live: nothing is compared.
      truth.set({ live: false, gap: 'room', since: 1 });
      truth.set({ live: true, gap: null, since: null });
      await vi.advanceTimersByTimeAsync(10_000);
      expect(compared).toEqual([]);
      // A new Live exactly as the old one was: compared, nothing differs.
      truth.set({ live: false, gap: 'live', since: 1 });
      truth.set({ live: true, gap: null, since: null });
      set.doc.transact(() => { set.doc.getMap('meta').set('epoch', 'B'); });
      await vi.advanceTimersByTimeAsync(2_000);
      expect(compared).toEqual([[]]);
      // Another new Live with another tempo: that is what the notice names.
      truth.set({ live: false, gap: 'live', since: 1 });
      truth.set({ live: true, gap: null, since: null });
      set.doc.transact(() => { set.doc.getMap('meta').set('epoch', 'C'); set.doc.getMap('song').set('tempo', 120); });
      await vi.advanceTimersByTimeAsync(2_000);
      expect(compared).toEqual([[], ['tempo 97 \u2192 120 BPM']]);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the console in names', () => {
  const row = (id: string, name: string, ip: string, presence: 'online' | 'away' | 'offline', createdAt: number): HostSessionRow => ({
    id, name, ip, presence, createdAt, role: 'member', layout: 'band', connected: presence === 'online', lastActiveAt: createdAt, canControl: true, assignedTracks: [],
  });
  it('one row per person, the session in use first, the others folded', () => {
    const people = groupPeople([row('s1', 'Sam', '10.0.0.5', 'offline', 1), row('s2', 'Ada', '10.0.0.6', 'online', 2), row('s3', 'Sam', '10.0.0.5', 'online', 3)]);
    expect(people.map((p) => [p.name, p.current.id, p.earlier.map((e) => e.id)])).toEqual([['Sam', 's3', ['s1']], ['Ada', 's2', []]]);
  });

  it('audit entries name people and tracks, never ids', () => {
    const set = setWith({}, [{ id: 't4', name: 'Bass' }, { id: 't5', name: 'Keys' }]);
    const names = new Map([['s_x', 'Sam']]);
    expect(auditWords({ at: 1, kind: 'host', name: 'Ms Rivera', action: 'host:assign_tracks', target: 's_x', detail: 't4,t5' }, set, names)).toEqual({ who: 'Ms Rivera', what: 'Bass,Keys (Sam)', refusal: 'refused' });
    expect(auditWords({ at: 1, kind: 'command', sessionId: 's_x', action: 'track.set_mute', target: 't4', ok: true }, set, names).what).toBe('track.set_mute \u00b7 Bass');
    expect(auditWords({ at: 1, kind: 'yjs_violation', sessionId: 's_x' }, set, names)).toMatchObject({ who: 'Sam' });
  });

  it('who did what, to whom it matters', () => {
    const set = setWith({}, [{ id: 't4', name: 'Bass' }]);
    const muted = { name: 'Sam', action: 'track.set_mute', target: 't4', args: { value: true }, at: 1 };
    expect(describeActivity(set, muted)).toBe('Sam muted Bass');
    expect(caresAbout(set, muted, { assigned: [], selected: null, touched: new Set() })).toBe(false);
    expect(caresAbout(set, muted, { assigned: ['t4'], selected: null, touched: new Set() })).toBe(true);
    expect(caresAbout(set, { ...muted, action: 'transport.play', target: null }, { assigned: [], selected: null, touched: new Set() })).toBe(true);
  });
});
