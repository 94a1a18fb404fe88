import { INTENT_COMMANDS_MAX } from '../../../protocol/index.ts';
import { andList, type ClauseView } from '../clauses/clause-view.ts';
import type { Named } from '../names/name-index.ts';
import { refuse, type ClauseOutcome, type Planned } from '../outcome.ts';
import { targetsOf } from './targets.ts';

export type ToggleVerb = 'mute' | 'unmute' | 'solo' | 'unsolo' | 'arm' | 'disarm';

const SPEC: Record<ToggleVerb, { action: string; prop: 'mute' | 'solo' | 'arm'; value: boolean; say: string; done: string }> = {
  mute: { action: 'track.set_mute', prop: 'mute', value: true, say: 'Mute', done: 'muted' },
  unmute: { action: 'track.set_mute', prop: 'mute', value: false, say: 'Unmute', done: 'unmuted' },
  solo: { action: 'track.set_solo', prop: 'solo', value: true, say: 'Solo', done: 'soloed' },
  unsolo: { action: 'track.set_solo', prop: 'solo', value: false, say: 'Unsolo', done: 'not soloed' },
  arm: { action: 'track.set_arm', prop: 'arm', value: true, say: 'Arm', done: 'armed' },
  disarm: { action: 'track.set_arm', prop: 'arm', value: false, say: 'Disarm', done: 'disarmed' },
};

const NOTHING: Record<ToggleVerb, string> = {
  mute: 'Every track is already muted.', unmute: 'Nothing is muted.', solo: 'Everything is already soloed.',
  unsolo: 'Nothing is soloed.', arm: 'Every track is already armed.', disarm: 'Nothing is armed.',
};

/**
 * Mute, solo and arm buttons. A named track always gets its command (it says so when
 * the button is already there); "all" only changes the tracks whose button differs, and
 * "unsolo" or "disarm" alone clears every solo or arm.
 */
export function toggleFrame(view: ClauseView, verb: ToggleVerb): ClauseOutcome {
  const spec = SPEC[verb];
  const kinds = spec.prop === 'arm' ? (['track'] as const) : (['track', 'return', 'master'] as const);
  const { index, values } = view.ctx;
  const everything = (): Named[] => (spec.prop === 'arm' ? index.tracks : [...index.tracks, ...index.returns]);
  const targets = targetsOf(view, kinds, 'track', { everything });
  let named = targets.named;
  let sweeping = targets.all;
  if (named.length === 0) {
    if (!spec.value && spec.prop !== 'mute') {
      named = everything();
      sweeping = true;
    } else {
      refuse('NOT_UNDERSTOOD', `${spec.say} which track? Say its name, e.g. "${spec.say.toLowerCase()} ${index.tracks[0]?.name ?? 'track 1'}".`, index.tracks.slice(0, 3).map((t) => `${spec.say.toLowerCase()} ${t.name}`));
    }
  }
  if (sweeping && spec.value && spec.prop !== 'mute') refuse('NOT_UNDERSTOOD', `${spec.say} everything? Name the tracks to ${spec.say.toLowerCase()}.`);
  const commands: Planned[] = [];
  const notes: string[] = [];
  for (const track of named) {
    if (track.kind === 'master') refuse('NOT_UNDERSTOOD', `The master has no ${spec.prop} button in Live.`);
    const entity = values.entity(track.kind === 'return' ? 'return' : 'track', track.id);
    const current = entity?.get(spec.prop);
    if (spec.prop === 'arm' && entity?.get('canArm') === false) {
      if (sweeping) continue;
      refuse('NOT_UNDERSTOOD', `${track.label} cannot be armed${entity.get('kind') === 'group' ? ' (it is a group track)' : ''}.`);
    }
    if (sweeping && current === spec.value) continue;
    if (!sweeping && current === spec.value) notes.push(track.label);
    commands.push({ action: spec.action, target: track.id, args: { value: spec.value }, say: `${spec.say} ${track.label}` });
  }
  // "solo the vocals only": every other solo goes, as a click on a solo button does in Live.
  const alone: string[] = [];
  if (verb === 'solo' && view.has('only', 'hear_only') && !sweeping) {
    for (const other of [...index.tracks, ...index.returns]) {
      if (named.includes(other) || values.entity(other.kind === 'return' ? 'return' : 'track', other.id)?.get('solo') !== true) continue;
      commands.push({ action: 'track.set_solo', target: other.id, args: { value: false }, say: `Unsolo ${other.label}` });
      alone.push(other.label);
    }
  }
  if (commands.length > INTENT_COMMANDS_MAX) refuse('TOO_BROAD', `That would be ${commands.length} commands at once; name fewer tracks.`);
  if (commands.length === 0) return { commands, say: NOTHING[verb], memory: { family: 'toggle', key: verb, targets: named } };
  const soloed = alone.length > 0 ? `, and unsolo ${andList(alone)}` : '';
  const list = sweeping ? (commands.length === 1 ? commands[0]!.say.slice(spec.say.length + 1) : `${commands.length} tracks (${andList(commands.map((c) => c.say.slice(spec.say.length + 1)))})`) : andList(named.map((n) => n.label));
  const already = notes.length > 0 ? ` (${andList(notes)} ${notes.length === 1 ? 'is' : 'are'} already ${spec.done})` : '';
  return { commands, say: `${spec.say} ${list}${already}${soloed}.`, memory: { family: 'toggle', key: verb, targets: named } };
}
