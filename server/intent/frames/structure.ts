import { INTENT_COMMANDS_MAX } from '../../../protocol/index.ts';
import { andList, type ClauseView, type Pick } from '../clauses/clause-view.ts';
import { phraseOf, wordsOf, type Named } from '../names/name-index.ts';
import { LOADABLE_DEVICES } from '../names/device-classes.ts';
import { wordFit } from '../names/similarity.ts';
import { Refusal, refuse, type ClauseOutcome, type Planned } from '../outcome.ts';
import type { Mention } from '../clauses/clause-view.ts';
import { sendFrame } from './sends.ts';
import { beatsPerBar } from './places.ts';
import { devicesNamed, scopeOf } from './scope.ts';
import { targetsOf } from './targets.ts';

const none: Named[] = [];

function outcome(commands: Planned[], family: string, targets: Named[] = none): ClauseOutcome {
  if (commands.length > INTENT_COMMANDS_MAX) refuse('TOO_BROAD', `That would be ${commands.length} commands at once; name fewer things.`);
  return { commands, say: `${andList(commands.map((c) => c.say))}.`, memory: { family, targets } };
}

/** "add a MIDI track", "new audio track", "add a return", "new scene", "add a marker", "create a 4 bar clip on drums in the verse", "load a compressor on the bass". */
export function createFrame(view: ClauseView): ClauseOutcome {
  const count = view.numbers().find((n) => n.unit === null && Number.isInteger(n.value) && n.value >= 1 && n.value <= 8 && view.keyBefore(n) !== 'to');
  const times = view.has('clip_word') ? 1 : count?.value ?? 1;
  const repeat = (command: Planned): Planned[] => Array.from({ length: times }, () => command);
  if (view.has('return_word') && !view.hasMentions()) return outcome(repeat({ action: 'track.create_return', target: null, args: {}, say: 'Add a return track' }), 'create');
  if (view.has('scene_word') && !view.hasMentions()) return outcome(repeat({ action: 'scene.create', target: null, args: { index: -1 }, say: 'Add a scene at the end' }), 'create');
  if (view.has('marker') && !view.hasMentions()) {
    return outcome([{ action: 'song.set_or_delete_cue', target: null, args: {}, say: 'Set a locator at the play position (Live removes one if it is already there)' }], 'create');
  }
  if (view.has('clip_word')) return createClip(view);
  if (view.has('track_word') && !view.hasMentions()) {
    if (view.has('midi_word')) return outcome(repeat({ action: 'track.create_midi', target: null, args: { index: -1 }, say: 'Add a MIDI track at the end' }), 'create');
    if (view.has('audio_word')) return outcome(repeat({ action: 'track.create_audio', target: null, args: { index: -1 }, say: 'Add an audio track at the end' }), 'create');
    refuse('AMBIGUOUS', 'A MIDI track or an audio track?', ['add a MIDI track', 'add an audio track']);
  }
  if (view.hasMentions()) return loadFrame(view);
  refuse('NOT_UNDERSTOOD', 'Add what? A MIDI or audio track, a return, a scene, a locator, a clip, or a device on a track.', ['add a MIDI track', 'add a scene', 'load a Compressor on Bass']);
}

function createClip(view: ClauseView): ClauseOutcome {
  const scope = scopeOf(view);
  const track = scope.tracks[0];
  const sceneWords = scope.rest;
  const sceneIndex = view.indexes('scene')[0] ?? view.indexes('slot')[0];
  let scene: Named | undefined = sceneIndex ? view.byIndex({ ...sceneIndex, of: 'scene' }) : undefined;
  for (const words of sceneWords) {
    const found = view.ctx.matcher.match(words.words, new Set(['scene']));
    if (found.length === 0) refuse('NO_MATCH', `No scene called "${view.slice(words.from, words.to)}".`);
    scene = found[0]!.named;
  }
  if (!track || !scene || scope.tracks.length > 1) refuse('NOT_UNDERSTOOD', 'Where? Say a track and a scene: "create a 4 bar clip on drums in the verse".');
  const slotId = view.ctx.index.slots.get(track.id)?.[scene.index - 1];
  if (!slotId) refuse('NO_MATCH', `${track.label} has no slot in ${scene.label}.`);
  if (view.ctx.values.entity('clip_slot', slotId)?.get('hasClip') === true) refuse('NOT_UNDERSTOOD', `${track.label} already has a clip in ${scene.label}.`);
  const bars = view.numbers().find((n) => n.unit === null)?.value ?? 4;
  const beatsUnit = view.has('beat');
  const length = beatsUnit ? bars : bars * beatsPerBar(view);
  return outcome([{ action: 'clip_slot.create_clip', target: slotId, args: { length }, say: `Create an empty ${beatsUnit ? `${bars}-beat` : `${bars}-bar`} MIDI clip on ${track.label} in ${scene.label}` }], 'create', [track]);
}

/**
 * "load a compressor on the bass", "put an EQ on the vocals". A device word that also
 * names a return ("add reverb to the vocals") could be a send: Roomtone asks unless an
 * article ("a reverb") says it is a device.
 */
function loadFrame(view: ClauseView): ClauseOutcome {
  const picks: Pick[] = [];
  const rest: Array<{ words: string[] }> = [];
  for (const mention of view.mentions()) {
    const loose = view.resolveLoose(mention, ['track', 'return', 'master']);
    picks.push(...loose.picks);
    rest.push(...loose.rest);
  }
  const scope = { picks, rest };
  const words = scope.rest.flatMap((r) => r.words);
  const returnPick = words.length === 0 && scope.picks.length > 1 ? scope.picks.find((p) => p.named.kind === 'return') : undefined;
  const trackPicks = scope.picks.filter((p) => p.named !== returnPick?.named);
  const tracks = trackPicks.map((p) => p.named);
  const deviceWords = words.length > 0 ? words : returnPick ? spoken(view, returnPick) : [];
  const device = deviceWords.length > 0 ? loadable(deviceWords) : undefined;
  if (!device) {
    if (scope.rest.length > 0) for (const m of view.mentions()) view.resolve(m, ['track', 'return', 'master'], 'track');
    refuse('NOT_UNDERSTOOD', 'Load which device on which track? Say "load a Compressor on Bass".', ['load a Compressor on Bass']);
  }
  if (tracks.length !== 1) refuse('NOT_UNDERSTOOD', `Load ${device} on which track?`, view.ctx.index.tracks.slice(0, 2).map((t) => `load ${device} on ${t.name}`));
  const track = tracks[0]!;
  if (returnPick && words.length === 0 && !articleBefore(view, returnPick.from)) {
    refuse('AMBIGUOUS', `More of the ${returnPick.named.name} return on ${track.label}, or a new ${device} device on it?`, [
      `more ${returnPick.named.name} on ${phraseOf(view.ctx.index, track)}`,
      `load a ${device} on ${phraseOf(view.ctx.index, track)}`,
    ]);
  }
  return outcome([{ action: 'browser.load', target: track.id, args: { name: device }, say: `Load ${device} on ${track.label} (from Live's browser)` }], 'device', [track]);
}

function spoken(view: ClauseView, pick: Pick): string[] {
  return wordsOf(view.slice(pick.from, pick.to));
}

function articleBefore(view: ClauseView, at: number): boolean {
  const before = view.ctx.tokens[at - 1]?.w;
  return before === 'a' || before === 'an' || before === 'another';
}

function loadable(words: string[]): string | undefined {
  let best: { name: string; score: number } | undefined;
  for (const name of LOADABLE_DEVICES) {
    const target = wordsOf(name);
    if (target.length < words.length) continue;
    let sum = 0;
    let ok = true;
    for (let i = 0; i < words.length; i++) {
      const fit = wordFit(words[i]!, target[i]!);
      if (fit === 0) { ok = false; break; }
      sum += fit;
    }
    if (!ok) continue;
    const score = (sum / words.length) * (words.length === target.length ? 1 : 0.9);
    if (!best || score > best.score) best = { name, score };
  }
  return best && best.score >= 0.75 ? best.name : undefined;
}

/**
 * Deleting needs each thing said exactly (a name, a plural, a synonym or a position: no
 * typo corrections, no "it"), and never "all", "everything" or a kind in the plural.
 */
export function deleteFrame(view: ClauseView): ClauseOutcome {
  try {
    return deleteOne(view);
  } catch (err) {
    // Never offer a near name as something to delete: "did you mean" is for harmless words.
    if (err instanceof Refusal && err.error.code === 'NO_MATCH') throw new Refusal({ code: 'NO_MATCH', message: err.error.message.replace(/ Did you mean.*$/, ' Nothing was deleted.') });
    throw err;
  }
}

function deleteOne(view: ClauseView): ClauseOutcome {
  const plural = view.items.some((i) => i.t === 'key' && /s$/.test(i.word) && ['track_word', 'scene_word', 'clip_word', 'device_word', 'return_word', 'marker'].includes(i.key));
  if (view.has('all') || (plural && !view.hasMentions() && view.indexes().length === 0)) {
    refuse('TOO_BROAD', 'Roomtone deletes one named thing at a time, never everything at once. Name what to delete ("delete the Impact clip").');
  }
  if (view.has('it') && !view.hasMentions()) refuse('TOO_BROAD', 'Say the name of what to delete; "it" is not enough for a delete.');
  if (!view.hasMentions() && view.indexes().length === 0) refuse('TOO_BROAD', 'Delete what? Name one thing.');
  if (view.has('marker')) refuse('NOT_UNDERSTOOD', 'Roomtone cannot delete a locator by name; move the play position onto it and use "set or delete locator".');
  const from = view.mentions().filter((m) => m.prep === 'from');
  if (from.length > 0) return removeFrom(view, from);
  const scope = scopeOf(view);
  const commands: Planned[] = [];
  const targets: Named[] = [];
  const sceneIndex = view.indexes('scene')[0];
  const unsure = (p: Pick): void => {
    if (!p.confident) refuse('NOT_UNDERSTOOD', `To delete, say the exact name: did you mean ${p.named.label}?`, [view.substitute(p.from, p.to, phraseOf(view.ctx.index, p.named))]);
  };
  scope.picks.forEach(unsure);
  if (scope.devices.length > 0) {
    for (const device of scope.devices) {
      commands.push({ action: 'device.delete', target: device.id, args: {}, say: `Delete ${device.label}` });
      targets.push(device);
    }
  } else {
    const scenes: Named[] = sceneIndex ? [view.byIndex(sceneIndex)] : [];
    const clips: Named[] = [];
    for (const words of scope.rest) {
      const found = view.ctx.matcher.match(words.words, new Set(['scene', 'clip']));
      const top = found.filter((c) => c.score >= found[0]!.score - 4);
      if (found.length === 0) refuse('NO_MATCH', `Nothing in the set is called "${view.slice(words.from, words.to)}" that Roomtone could delete.`);
      if (top.length > 1) refuse('AMBIGUOUS', `"${view.slice(words.from, words.to)}" could be ${andList(top.slice(0, 5).map((c) => c.named.label))}. Which one?`, top.slice(0, 5).map((c) => view.substitute(words.from, words.to, phraseOf(view.ctx.index, c.named))));
      if (found[0]!.score < 92) refuse('NOT_UNDERSTOOD', `To delete, say the exact name: did you mean ${found[0]!.named.label}?`, [view.substitute(words.from, words.to, phraseOf(view.ctx.index, found[0]!.named))]);
      (found[0]!.named.kind === 'scene' ? scenes : clips).push(found[0]!.named);
    }
    const tracks = scope.tracks;
    if (scenes.length === 1 && tracks.length > 0) {
      for (const track of tracks) {
        const slotId = view.ctx.index.slots.get(track.id)?.[scenes[0]!.index - 1];
        const clipId = slotId ? view.ctx.values.entity('clip_slot', slotId)?.get('clipId') : undefined;
        const clip = typeof clipId === 'string' ? view.ctx.index.byId.get(clipId) : undefined;
        if (!slotId || !clip) refuse('NO_MATCH', `${track.label} has no clip in ${scenes[0]!.label}.`);
        commands.push({ action: 'clip_slot.delete_clip', target: slotId, args: {}, say: `Delete ${clip.label}` });
        targets.push(clip);
      }
    } else if (clips.length > 0 && scenes.length === 0) {
      for (const clip of clips) {
        if (tracks.length > 0 && !tracks.some((t) => t.id === clip.trackId)) refuse('NO_MATCH', `${clip.label} is not on ${andList(tracks.map((t) => t.label))}.`);
        const slotId = clip.trackId && clip.sceneIndex !== undefined ? view.ctx.index.slots.get(clip.trackId)?.[clip.sceneIndex] : undefined;
        if (!slotId) refuse('NO_MATCH', `${clip.label} has no slot in the set.`);
        commands.push({ action: 'clip_slot.delete_clip', target: slotId, args: {}, say: `Delete ${clip.label}` });
        targets.push(clip);
      }
    } else if (scenes.length > 0 && tracks.length === 0 && clips.length === 0) {
      for (const scene of scenes) {
        commands.push({ action: 'scene.delete', target: scene.id, args: {}, say: `Delete ${scene.label}` });
        targets.push(scene);
      }
    } else if (tracks.length > 0 && scenes.length === 0 && clips.length === 0) {
      for (const track of tracks) {
        if (track.kind === 'master') refuse('NOT_UNDERSTOOD', 'The master track cannot be deleted.');
        askMuteOrDelete(view, track);
        commands.push({ action: 'track.delete', target: track.id, args: {}, say: `Delete ${track.kind === 'return' ? 'the return track' : 'the track'} ${track.label}` });
        targets.push(track);
      }
    } else refuse('NOT_UNDERSTOOD', 'Delete what exactly? Name one track, scene, clip or device.');
  }
  if (commands.length > 1) refuse('TOO_BROAD', `That would delete ${commands.length} things at once; Roomtone deletes one thing at a time.`, targets.map((t) => `delete ${phraseOf(view.ctx.index, t)}`));
  return outcome(commands, 'delete', targets);
}

/** Said of a whole track, these as often mean "out of the mix" as "out of the set". */
const SOFT_DELETE = new Set(['remove', 'get rid of', 'clear', 'wipe']);

/**
 * "remove the vocals", "get rid of the drums": a singer means the monitor mix far more often
 * than the set, so Roomtone asks rather than previewing a delete. "delete the vocals" and
 * "remove the vocals track" (the noun says the track itself) are deletes.
 */
function askMuteOrDelete(view: ClauseView, track: Named): void {
  const verb = view.keyItem('delete')?.word.toLowerCase();
  if (!verb || !SOFT_DELETE.has(verb) || view.has('track_word', 'return_word')) return;
  const phrase = phraseOf(view.ctx.index, track);
  refuse('AMBIGUOUS', `Take ${track.label} out of the mix (mute it), or delete the track ${track.label} from the set?`, [`mute ${phrase}`, `delete ${phrase}`]);
}

/**
 * "remove the delay from the lead": a device on that track, or the send to a return of
 * that name (set to 0, nothing deleted). Where both fit, Roomtone asks.
 */
function removeFrom(view: ClauseView, from: Mention[]): ClauseOutcome {
  const things = view.mentions().filter((m) => m.prep !== 'from');
  if (from.length !== 1 || things.length !== 1) refuse('NOT_UNDERSTOOD', 'Remove one thing from one track: "remove the compressor from the bass".');
  const track = view.resolve(from[0]!, ['track', 'return', 'master'], 'track');
  if (track.length !== 1) refuse('NOT_UNDERSTOOD', 'Remove it from which one track?');
  const owner = track[0]!.named;
  const thing = things[0]!;
  const words = view.slice(thing.from, thing.to).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const devices = devicesNamed(view, { words, from: thing.from, to: thing.to }, [owner]).filter((c) => c.score >= 92);
  const returns = view.resolveLoose(thing, ['return']).picks.filter((p) => p.confident);
  const sends = owner.kind === 'track' ? returns : [];
  if (devices.length > 0 && sends.length > 0) {
    refuse('AMBIGUOUS', `Delete the ${devices[0]!.named.name} device on ${owner.label}, or take ${owner.label}'s send to ${sends[0]!.named.label} down to 0?`, [`delete ${phraseOf(view.ctx.index, devices[0]!.named)}`, `no ${sends[0]!.named.name} on ${phraseOf(view.ctx.index, owner)}`]);
  }
  if (devices.length > 1) refuse('AMBIGUOUS', `${owner.label} has ${devices.length} devices called that; which one?`);
  if (devices.length === 1) {
    const device = devices[0]!.named;
    return outcome([{ action: 'device.delete', target: device.id, args: {}, say: `Delete ${device.label}` }], 'delete', [device]);
  }
  if (sends.length === 1) {
    const shape = { destination: sends[0]!.named, sources: [owner] };
    return sendFrame(view, shape, { type: 'min' });
  }
  refuse('NO_MATCH', `${owner.label} has no device or send called "${view.slice(thing.from, thing.to)}". Nothing was deleted.`);
}

/** "duplicate the bass", "copy scene 2", "double the loop of the hook" (a clip's loop). */
export function duplicateFrame(view: ClauseView): ClauseOutcome {
  if (view.has('double') || view.has('loop')) {
    const clips = view.mentions().flatMap((m) => view.resolve(m, ['clip'], 'clip')).map((p) => p.named);
    if (clips.length === 0) refuse('NOT_UNDERSTOOD', 'Double the loop of which clip?');
    return outcome(clips.map((c) => ({ action: 'clip.duplicate_loop', target: c.id, args: {}, say: `Double the loop of ${c.label}` })), 'duplicate', clips);
  }
  const targets = targetsOf(view, ['track', 'return', 'scene'], 'track or scene').named;
  if (targets.length === 0) refuse('NOT_UNDERSTOOD', 'Duplicate what? A track or a scene.');
  if (view.has('all')) refuse('TOO_BROAD', 'Name what to duplicate.');
  return outcome(targets.map((t) => t.kind === 'scene'
    ? { action: 'scene.duplicate', target: t.id, args: {}, say: `Duplicate ${t.label}` }
    : { action: 'track.duplicate', target: t.id, args: {}, say: `Duplicate ${t.label}` }), 'duplicate', targets);
}

/**
 * "rename track 3 to Synth", "call the bass Sub", "name scene 2 Verse A". The new name is
 * the rest of the sentence as typed (so "to Drum and Bass" keeps its "and").
 */
export function renameFrame(view: ClauseView): ClauseOutcome & { endsSentence: true } {
  const to = view.items.find((i) => i.t === 'key' && (i.key === 'to' || i.key === 'into'));
  // "the bridge scene", "the chorus locator": a noun says which kind of thing is meant.
  const kinds = view.has('scene_word') ? (['scene'] as const) : view.has('marker') ? (['cue_point'] as const) : view.has('clip_word') ? (['clip'] as const) : view.has('track_word', 'return_word') ? (['track', 'return'] as const) : (['track', 'return', 'scene', 'clip', 'cue_point'] as const);
  let target: Named | undefined;
  let nameFrom: number;
  // The thing renamed comes after the verb: "rename track 3 to …", "call the bass …".
  const verb = view.items.find((i) => i.t === 'key' && i.key === 'rename')!;
  if (view.items.some((i) => (i.t === 'word' || i.t === 'name' || i.t === 'index' || i.t === 'num') && i.from < verb.from)) refuse('NOT_UNDERSTOOD', 'Say the renaming as "rename track 3 to Synth" or "call the bass Sub".');
  if (to) {
    const before = view.mentions().filter((m) => m.to <= to.from);
    const named = [...before.flatMap((m) => view.resolve(m, kinds, 'track, scene, clip or locator')).map((p) => p.named), ...view.indexes().filter((i) => i.to <= to.from).map((i) => view.byIndex(i))];
    if (named.length !== 1) refuse('NOT_UNDERSTOOD', 'Rename one thing at a time: "rename track 3 to Synth".');
    target = named[0];
    nameFrom = to.to;
  } else {
    const index = view.indexes()[0];
    if (index) { target = view.byIndex(index); nameFrom = index.to; } else {
      const mention = view.mentions()[0];
      if (!mention) refuse('NOT_UNDERSTOOD', 'Rename what, to what? "rename track 3 to Synth".');
      // "call the bass Sub Bass": the shortest start of the words that names something.
      const words = mention.parts.flatMap((p) => (p.t === 'word' ? [{ w: p.w, at: p.from }] : p.words.map((w, k) => ({ w, at: p.from + k }))));
      let found: { named: Named; end: number } | undefined;
      for (let end = 1; end < words.length && !found; end++) {
        const hit = view.ctx.matcher.match(words.slice(0, end).map((x) => x.w), new Set(kinds));
        if (hit.length > 0 && hit[0]!.score >= 92 && (hit.length === 1 || hit[1]!.score < hit[0]!.score - 4)) found = { named: hit[0]!.named, end: words[end]!.at };
      }
      if (!found) refuse('NOT_UNDERSTOOD', 'Rename what, to what? Say "rename the bass to Sub".');
      target = found.named;
      nameFrom = found.end;
    }
  }
  const name = restOfSentence(view, nameFrom).replace(/^["']|["']$/g, '').trim();
  if (!name) refuse('NOT_UNDERSTOOD', `Rename ${target!.label} to what?`);
  if (name.length > 128) refuse('NOT_UNDERSTOOD', 'Names in Live are at most 128 characters.');
  const t = target!;
  const action = t.kind === 'scene' ? 'scene.rename' : t.kind === 'clip' ? 'clip.rename' : t.kind === 'cue_point' ? 'cue_point.rename' : 'track.rename';
  if (t.kind === 'master') refuse('NOT_UNDERSTOOD', 'The master track keeps its name.');
  return { ...outcome([{ action, target: t.id, args: { name }, say: `Rename ${t.label} to "${name}"` }], 'rename', [t]), endsSentence: true };
}

function restOfSentence(view: ClauseView, fromToken: number): string {
  const start = view.ctx.tokens[fromToken];
  if (!start) return '';
  let end = view.ctx.text.length;
  for (let i = fromToken; i < view.ctx.tokens.length; i++) {
    const t = view.ctx.tokens[i]!;
    if (t.punct && (t.w === '.' || t.w === ';' || t.w === '!' || t.w === '?')) { end = t.start; break; }
  }
  return view.ctx.text.slice(start.start, end);
}

/** "make the drums red", "colour scene 2 blue", "paint the hook orange". */
export function colorFrame(view: ClauseView): ClauseOutcome {
  const colours = view.items.filter((i): i is Extract<typeof i, { t: 'key' }> => i.t === 'key' && i.key === 'color' && i.color !== undefined);
  if (colours.length !== 1) refuse('NOT_UNDERSTOOD', 'Which colour? Say "make the drums red".', ['make the drums red']);
  const colour = colours[0]!;
  const targets = targetsOf(view, ['track', 'return', 'scene', 'clip'], 'track, scene or clip').named;
  if (targets.length === 0) refuse('NOT_UNDERSTOOD', `Make what ${colour.word}?`);
  return outcome(targets.map((t) => ({
    action: t.kind === 'scene' ? 'scene.set_color' : t.kind === 'clip' ? 'clip.set_color' : 'track.set_color',
    target: t.id, args: { value: colour.color! }, say: `Colour ${t.label} ${colour.word}`,
  })), 'color', targets);
}

export function selectFrame(view: ClauseView): ClauseOutcome {
  const targets = targetsOf(view, ['track', 'return', 'master'], 'track').named;
  if (targets.length !== 1) refuse('NOT_UNDERSTOOD', 'Select one track: "select the bass".');
  return outcome([{ action: 'track.select', target: targets[0]!.id, args: {}, say: `Select ${targets[0]!.label} in Live` }], 'select', targets);
}

export function foldFrame(view: ClauseView): ClauseOutcome {
  const fold = view.has('fold');
  const targets = targetsOf(view, ['track'], 'group track').named;
  if (targets.length === 0) refuse('NOT_UNDERSTOOD', `${fold ? 'Fold' : 'Unfold'} which group?`, view.ctx.index.tracks.filter((t) => view.ctx.values.entity('track', t.id)?.get('isFoldable') === true).slice(0, 2).map((t) => `${fold ? 'fold' : 'unfold'} ${t.name}`));
  for (const t of targets) if (view.ctx.values.entity('track', t.id)?.get('isFoldable') !== true) refuse('NOT_UNDERSTOOD', `${t.label} is not a group track, so it does not fold.`);
  return outcome(targets.map((t) => ({ action: 'track.set_fold', target: t.id, args: { value: fold }, say: `${fold ? 'Fold' : 'Unfold'} ${t.label}` })), 'fold', targets);
}

/** "monitor in on the guitar", "set vocals monitoring to auto", "monitoring off for the bass". */
export function monitorFrame(view: ClauseView): ClauseOutcome {
  const value = view.has('auto') ? 'auto' : view.has('off') ? 'off' : view.has('in', 'on') ? 'in' : null;
  if (!value) refuse('NOT_UNDERSTOOD', 'Monitoring in, auto or off?', ['monitoring in on the vocals', 'monitoring auto on the vocals']);
  const targets = targetsOf(view, ['track'], 'track').named;
  if (targets.length === 0) refuse('NOT_UNDERSTOOD', 'Monitoring on which track?');
  for (const t of targets) if (view.ctx.values.entity('track', t.id)?.get('monitoring') === undefined) refuse('NOT_UNDERSTOOD', `${t.label} has no input monitoring (a group track).`);
  return outcome(targets.map((t) => ({ action: 'track.set_monitoring', target: t.id, args: { value }, say: `Monitoring ${value} on ${t.label}` })), 'monitor', targets);
}
