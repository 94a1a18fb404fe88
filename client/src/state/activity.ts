import type { ActivityItem } from '../../../protocol/browser.ts';
import type { SetStore } from './set-store.ts';
import { formatDb, formatPan, volumeToDb } from './format.ts';

/** The track a command's target belongs to (itself for a track), or null for song-level ones. */
export function trackOf(set: SetStore, action: string, target: string | null): string | null {
  if (!target) return null;
  const noun = action.split('.')[0];
  if (noun === 'track') return set.get('track', target) ? target : null;
  if (noun === 'clip_slot') return set.get('clip_slot', target)?.trackId ?? null;
  if (noun === 'clip') return set.get('clip', target)?.trackId ?? null;
  if (noun === 'device') return set.get('device', target)?.trackId ?? null;
  if (noun === 'parameter') {
    const device = set.get('parameter', target)?.deviceId;
    return device ? set.get('device', device)?.trackId ?? null : null;
  }
  return null;
}

function trackName(set: SetStore, id: string | null): string {
  if (!id) return 'a track';
  return set.get('track', id)?.name ?? set.get('return', id)?.name ?? (id === 'master' ? 'the master' : 'a track');
}

const SEND = 'ABCDEFGHIJKL';

/** "Sam muted Bass": one accepted change in words. */
export function describeActivity(set: SetStore, item: ActivityItem): string {
  const who = item.name;
  const a = item.args;
  const on = a.value === true;
  const t = trackName(set, item.action.startsWith('track.') ? item.target : trackOf(set, item.action, item.target));
  switch (item.action) {
    case 'track.set_mute': return `${who} ${on ? 'muted' : 'unmuted'} ${t}`;
    case 'track.set_solo': return `${who} ${on ? 'soloed' : 'unsoloed'} ${t}`;
    case 'track.set_arm': return `${who} ${on ? 'armed' : 'disarmed'} ${t}`;
    case 'track.set_volume': return `${who} set ${t} to ${formatDb(volumeToDb(Number(a.value)))} dB`;
    case 'track.set_pan': return `${who} panned ${t} ${formatPan(Number(a.value))}`;
    case 'track.set_send': return `${who} set ${t} send ${SEND[Number(a.index)] ?? ''} to ${formatDb(volumeToDb(Number(a.value)))} dB`;
    case 'track.stop_clips': return `${who} stopped ${t}`;
    case 'clip_slot.fire': {
      const slot = item.target ? set.get('clip_slot', item.target) : undefined;
      const clip = slot?.clipId ? set.get('clip', slot.clipId) : undefined;
      return clip ? `${who} launched \u201c${clip.name || 'a clip'}\u201d on ${t}` : `${who} stopped ${t}`;
    }
    case 'clip_slot.record': return `${who} started recording on ${t}`;
    case 'clip.rename': return `${who} renamed a clip on ${t} to \u201c${String(a.name)}\u201d`;
    case 'clip.set_color': return `${who} recoloured a clip on ${t}`;
    case 'scene.fire': return `${who} launched scene \u201c${(item.target && set.get('scene', item.target)?.name) || 'a scene'}\u201d`;
    case 'transport.play': return `${who} started playback`;
    case 'transport.stop': return `${who} stopped playback`;
    case 'transport.continue': return `${who} continued playback`;
    case 'song.stop_all_clips': return `${who} stopped all clips`;
    case 'song.set_tempo': return `${who} set the tempo to ${Number(a.bpm)} BPM`;
    case 'song.set_quantization': return `${who} set launch quantization to ${String(a.value)}`;
    case 'song.set_metronome': return `${who} turned the metronome ${on ? 'on' : 'off'}`;
    case 'song.set_crossfader': return `${who} moved the crossfader`;
    default: {
      const track = trackOf(set, item.action, item.target);
      return track ? `${who} changed ${trackName(set, track)} (${item.action})` : `${who}: ${item.action}`;
    }
  }
}

/**
 * Whether this person wants to hear about a change: the song and transport concern
 * everyone; a track's change concerns whoever has it assigned, selected, or touched lately.
 */
export function caresAbout(set: SetStore, item: ActivityItem, mine: { assigned: readonly string[]; selected: string | null; touched: ReadonlySet<string> }): boolean {
  const track = trackOf(set, item.action, item.target);
  if (!track) return item.action.startsWith('transport.') || item.action.startsWith('song.') || item.action.startsWith('scene.');
  return mine.assigned.includes(track) || mine.selected === track || mine.touched.has(track);
}
