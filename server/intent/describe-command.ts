import { findAction, volumeToDb } from '../../protocol/index.ts';
import type { IntentSet } from './intent-parser.ts';
import { formatDb, formatPan, formatPercent } from './frames/amounts.ts';

/**
 * Any catalogue command in plain words, from the set's own names: what a proposal from
 * the language model is previewed as. The words are Roomtone's, never the model's, so
 * the preview says what will really run.
 */
export function describeCommand(set: IntentSet, action: string, target: string | null, args: Record<string, unknown>): string {
  const spec = findAction(action);
  const what = target ? labelOf(set, target) : '';
  const value = args.value;
  switch (action) {
    case 'track.set_volume': return `${what} to ${formatDb(volumeToDb(Number(value)))}`;
    case 'track.set_pan': return `Pan ${what} to ${formatPan(Number(value))}`;
    case 'track.set_send': {
      const ret = set.index.returns[Number(args.index)];
      return `Send ${formatPercent(Number(value))} of ${what} to ${ret?.label ?? `return ${Number(args.index) + 1}`}`;
    }
    case 'track.set_mute': return `${value ? 'Mute' : 'Unmute'} ${what}`;
    case 'track.set_solo': return `${value ? 'Solo' : 'Unsolo'} ${what}`;
    case 'track.set_arm': return `${value ? 'Arm' : 'Disarm'} ${what}`;
    case 'device.set_active': return `Switch ${value ? 'on' : 'off'} ${what}`;
    case 'parameter.set': return `${what} to ${String(value)}`;
    case 'song.set_tempo': return `Tempo ${String(args.bpm)} BPM`;
    case 'clip.fire': case 'scene.fire': case 'clip_slot.fire': return `Launch ${what}`;
    default: {
      const shown = Object.entries(args).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ');
      const summary = spec?.summary.replace(/\.$/, '') ?? action;
      return `${summary}${what ? ` — ${what}` : ''}${shown ? ` (${shown})` : ''}`;
    }
  }
}

/** What an id is called in the set, whatever its kind. */
function labelOf(set: IntentSet, id: string): string {
  const named = set.index.byId.get(id);
  if (named) return named.label;
  const param = set.values.entity('parameter', id);
  if (param) {
    const device = set.index.byId.get(String(param.get('deviceId')));
    return `${String(param.get('name'))} of ${device?.label ?? 'a device'}`;
  }
  const slot = set.values.entity('clip_slot', id);
  if (slot) {
    const track = set.index.byId.get(String(slot.get('trackId')));
    const row = set.index.slots.get(String(slot.get('trackId')))?.indexOf(id) ?? -1;
    const scene = row >= 0 ? set.index.scenes[row] : undefined;
    return `${track?.label ?? 'a track'}'s slot in ${scene?.label ?? `scene ${row + 1}`}`;
  }
  return id;
}
