import type { SetStore } from './set-store.ts';
import type { LinkTruth } from './link-truth.ts';
import type { Observable } from './observable.ts';
import { formatDb, volumeToDb } from './format.ts';

/**
 * When Live comes back after it went away (restarted, crashed, the simulator replaced), it
 * may not be where it was: another tempo, mutes reset, the transport stopped. The page
 * keeps what the set looked like when Live went away and, once the returned set has
 * settled, says in words what differs — and says nothing when nothing does, so an
 * ordinary reconnect never raises a notice.
 *
 * Tracks are matched by name: a restarted Live gives every track a new id.
 */
export interface TrackState { mute: boolean; solo: boolean; arm: boolean; db: number; playing: string | null }
export interface MusicalState {
  tempo: number;
  playing: boolean;
  signature: string;
  metronome: boolean;
  loop: boolean;
  quantization: string;
  tracks: Map<string, TrackState>;
}

export function musicalState(set: SetStore): MusicalState | null {
  const song = set.get('song');
  if (!song) return null;
  const tracks = new Map<string, TrackState>();
  for (const id of set.ids('track')) {
    const t = set.get('track', id);
    if (!t || tracks.has(t.name)) continue;
    const idx = t.playingSlotIndex ?? -1;
    const slot = idx >= 0 ? set.get('clip_slot', t.clipSlots?.[idx]) : undefined;
    const clip = slot?.clipId ? set.get('clip', slot.clipId) : undefined;
    tracks.set(t.name, { mute: !!t.mute, solo: !!t.solo, arm: !!t.arm, db: volumeToDb(t.volume), playing: clip ? clip.name || 'a clip' : null });
  }
  return {
    tempo: Math.round(song.tempo * 100) / 100,
    playing: song.isPlaying,
    signature: `${song.signatureNumerator}/${song.signatureDenominator}`,
    metronome: song.metronome,
    loop: song.loop,
    quantization: song.quantization,
    tracks,
  };
}

const onOff = (v: boolean): string => (v ? 'on' : 'off');

/** What differs, one short phrase each, in the order a musician would check. */
export function describeChanges(before: MusicalState, after: MusicalState): string[] {
  const out: string[] = [];
  if (before.tempo !== after.tempo) out.push(`tempo ${before.tempo} \u2192 ${after.tempo} BPM`);
  if (before.playing !== after.playing) out.push(after.playing ? 'playback started' : 'playback stopped');
  if (before.signature !== after.signature) out.push(`time signature ${before.signature} \u2192 ${after.signature}`);
  if (before.quantization !== after.quantization) out.push(`launch quantization ${before.quantization} \u2192 ${after.quantization}`);
  if (before.metronome !== after.metronome) out.push(`metronome ${onOff(after.metronome)}`);
  if (before.loop !== after.loop) out.push(`loop ${onOff(after.loop)}`);
  for (const [name, was] of before.tracks) {
    const now = after.tracks.get(name);
    if (!now) {
      out.push(`${name} is gone`);
      continue;
    }
    if (was.mute !== now.mute) out.push(`${name} ${now.mute ? 'muted' : 'unmuted'}`);
    if (was.solo !== now.solo) out.push(`${name} ${now.solo ? 'soloed' : 'no longer soloed'}`);
    if (was.arm !== now.arm) out.push(`${name} ${now.arm ? 'armed' : 'disarmed'}`);
    if (Math.abs(dbOr(was.db) - dbOr(now.db)) >= 0.5) out.push(`${name} volume ${formatDb(was.db)} \u2192 ${formatDb(now.db)} dB`);
    if (was.playing !== now.playing) out.push(now.playing ? `${name} playing \u201c${now.playing}\u201d` : `${name} \u201c${was.playing}\u201d stopped`);
  }
  for (const name of after.tracks.keys()) if (!before.tracks.has(name)) out.push(`new track ${name}`);
  return out;
}

function dbOr(db: number): number {
  return Number.isFinite(db) ? db : -200;
}

/** The sentence the notice shows (at most `max` changes named). */
export function returnNotice(changes: string[], max = 6): string {
  const shown = changes.slice(0, max).join('; ');
  const more = changes.length > max ? `; and ${changes.length - max} more change${changes.length - max === 1 ? '' : 's'}` : '';
  return `Live is back, but not as it was: ${shown}${more}.`;
}

/** How long the returned set must stay quiet before it is compared (its snapshot lands in bursts). */
export const SETTLE_MS = 600;
/** A Live that comes back with the same epoch (only the agent reconnected) is compared after this. */
const SAME_EPOCH_MS = 5_000;
/** However busy the returned set is, it is compared this long after its new epoch. */
const SETTLE_MAX_MS = 5_000;

/**
 * Watches the link: remembers the set (and Live's epoch) when Live or the agent goes away;
 * once it is back, waits for the returned set — a new epoch means a new Live, whose
 * snapshot may land a while after the link — to settle, compares, and calls `compared`
 * with what differs (an empty list when nothing does: the caller raises no notice then).
 */
export function watchLiveReturn(truth: Observable<LinkTruth>, set: SetStore, compared: (changes: string[]) => void): () => void {
  let before: MusicalState | null = null;
  let beforeEpoch: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let backAt = 0;
  let epochAt = 0;
  let offFlush: (() => void) | null = null;
  const stopWaiting = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    offFlush?.();
    offFlush = null;
  };
  const compare = (): void => {
    stopWaiting();
    const after = musicalState(set);
    if (before && after) compared(describeChanges(before, after));
    before = null;
  };
  /** Called on every flush of the returned set and when a wait ends. */
  const step = (): void => {
    if (!truth.value.live) return;
    const now = Date.now();
    const epoch = set.meta().epoch ?? null;
    if (epoch !== beforeEpoch && !epochAt) epochAt = now;
    if (timer) clearTimeout(timer);
    const wait = epochAt
      ? Math.max(0, Math.min(SETTLE_MS, epochAt + SETTLE_MAX_MS - now))
      : Math.max(0, backAt + SAME_EPOCH_MS - now);
    timer = setTimeout(compare, wait);
  };
  const offTruth = truth.subscribe((t) => {
    if (!t.live && (t.gap === 'agent' || t.gap === 'live')) {
      stopWaiting();
      if (!before) {
        before = musicalState(set);
        beforeEpoch = set.meta().epoch ?? null;
      }
      return;
    }
    if (t.live && before) {
      backAt = Date.now();
      epochAt = 0;
      offFlush ??= set.subscribe('*', step);
      step();
    }
  });
  return () => {
    offTruth();
    stopWaiting();
  };
}
