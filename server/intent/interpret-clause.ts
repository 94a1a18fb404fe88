import { andList, type ClauseView } from './clauses/clause-view.ts';
import type { Key } from './text/lexicon.ts';
import type { Item } from './clauses/items.ts';
import { refuse, type ClauseOutcome } from './outcome.ts';
import { levelsFrame } from './frames/levels.ts';
import { panFrame } from './frames/pan.ts';
import { toggleFrame } from './frames/toggles.ts';
import { onOffFrame } from './frames/on-off.ts';
import { launchFrame } from './frames/launch.ts';
import { loopFrame, placeFrame } from './frames/places.ts';
import { continueFrame, crossfaderFrame, metronomeFrame, recordFrame, simpleSongFrame, stopFrame, tempoFrame, timeSignatureFrame } from './frames/transport.ts';
import { colorFrame, createFrame, deleteFrame, duplicateFrame, foldFrame, monitorFrame, renameFrame, selectFrame } from './frames/structure.ts';
import { helpAnswer, questionFrame } from './frames/questions.ts';
import { sendShape, sendFrame } from './frames/sends.ts';
import { scopeOf } from './frames/scope.ts';
import { targetsOf } from './frames/targets.ts';

/**
 * Every clause may use these without them meaning anything by themselves.
 */
const COMMON: readonly Key[] = ['filler', 'set', 'it', 'again', 'to', 'of', 'on_or_at', 'in', 'at', 'from', 'for', 'with', 'into', 'by', 'track_word', 'return_word', 'group_word', 'master_ref'];

const LEVEL_KEYS: Key[] = ['goto', 'volume', 'up', 'down', 'louder', 'quieter', 'more', 'less', 'cut', 'drop', 'max', 'min', 'reset', 'unity', 'half', 'halfway', 'double', 'tiny', 'small', 'large', 'some', 'send', 'no', 'mute', 'device_word', 'macro_word', 'param_word', 'on', 'off', 'all', 'hard', 'hear'];

interface Route {
  what: string;
  when(view: ClauseView): boolean;
  /** The keys this frame uses, besides COMMON. Any other key means the clause was not understood. */
  keys: readonly Key[];
  /** Numbers it takes (not counting positions like "track 3", which every frame with names takes). */
  numbers: number;
  /** Whether names ("the bass") belong in it at all. */
  names: boolean;
  /** The items the check looks at; all by default (a new name after "rename … to" may say anything). */
  checked?(view: ClauseView): Item[];
  run(view: ClauseView): ClauseOutcome & { endsSentence?: boolean };
}

/**
 * What a clause is about, most specific first ("tempo" before "up", "send" before
 * "more"). Before a frame runs, every key word and number of the clause must be one that
 * frame uses: "mute the drums for 4 bars", "3/4 left 625" or "send plate delete" are not
 * understood, rather than read as the part that made sense. The first route that matches
 * decides; there is no second guess.
 */
const ROUTES: Route[] = [
  { what: 'undo, redo, tap or capture', when: (v) => v.has('undo', 'redo', 'tap', 'capture'), keys: ['undo', 'redo', 'tap', 'capture'], numbers: 0, names: false, run: simpleSongFrame },
  { what: 'set the time signature', when: (v) => v.has('timesig') || v.items.some((i) => i.t === 'frac'), keys: ['timesig', 'goto', 'song_word'], numbers: 0, names: false, run: timeSignatureFrame },
  { what: 'set the tempo', when: (v) => v.has('tempo', 'faster', 'slower', 'half_time', 'double_time', 'bpm') || v.numbers().some((n) => n.unit === 'bpm'), keys: ['tempo', 'faster', 'slower', 'bpm', 'up', 'down', 'more', 'less', 'double', 'half', 'half_time', 'double_time', 'tiny', 'small', 'large', 'scene_word', 'go', 'song_word'], numbers: 1, names: true, run: tempoFrame },
  { what: 'switch the metronome', when: (v) => v.has('metronome'), keys: ['metronome', 'on', 'off', 'play', 'stop', 'no', 'mute', 'unmute', 'bypass', 'unbypass'], numbers: 0, names: false, run: metronomeFrame },
  { what: 'move the crossfader', when: (v) => v.has('crossfader'), keys: ['crossfader', 'left', 'right', 'center', 'on', 'off', 'no', 'hard', 'all'], numbers: 0, names: true, run: crossfaderFrame },
  { what: 'set input monitoring', when: (v) => v.has('monitor'), keys: ['monitor', 'auto', 'on', 'off'], numbers: 0, names: true, run: monitorFrame },
  { what: 'rename', when: (v) => v.has('rename'), keys: ['rename', 'scene_word', 'clip_word', 'marker'], numbers: 0, names: true, run: renameFrame, checked: beforeNewName },
  { what: 'delete one named thing', when: (v) => v.has('delete'), keys: ['delete', 'all', 'clip_word', 'scene_word', 'device_word', 'marker', 'slot_word'], numbers: 0, names: true, run: deleteFrame },
  { what: 'duplicate', when: (v) => v.has('duplicate') || (v.has('double') && v.has('loop')), keys: ['duplicate', 'double', 'loop', 'clip_word', 'scene_word', 'all'], numbers: 0, names: true, run: duplicateFrame },
  { what: 'add things to the set', when: (v) => v.has('create', 'load') || (v.keyItem('set')?.word === 'put' && v.has('on_or_at', 'into') && !levelWords(v) && !v.has('send', 'pan', 'left', 'right', 'center')), keys: ['create', 'load', 'scene_word', 'marker', 'clip_word', 'audio_word', 'midi_word', 'bar', 'beat', 'device_word'], numbers: 1, names: true, run: createFrame },
  { what: 'colour things', when: (v) => v.has('color') && !v.has('volume', 'up', 'down'), keys: ['color', 'scene_word', 'clip_word'], numbers: 0, names: true, run: colorFrame },
  { what: 'select a track', when: (v) => v.has('select'), keys: ['select'], numbers: 0, names: true, run: selectFrame },
  { what: 'fold a group', when: (v) => v.has('fold', 'unfold'), keys: ['fold', 'unfold'], numbers: 0, names: true, run: foldFrame },
  { what: 'switch recording', when: (v) => v.has('session_record', 'overdub', 'record'), keys: ['record', 'session_record', 'overdub', 'on', 'off', 'stop', 'no', 'play', 'pause'], numbers: 0, names: true, run: recordFrame },
  { what: 'loop', when: (v) => v.has('loop'), keys: ['loop', 'on', 'off', 'stop', 'no', 'clip_word', 'marker', 'play'], numbers: 1, names: true, run: loopFrame },
  { what: 'go somewhere in the song', when: (v) => (v.has('goto', 'next', 'previous', 'start_pos', 'from_top', 'marker', 'play_from') && !(levelWords(v) && v.hasMentions())) || v.indexes('bar').length > 0 || v.indexes('beat').length > 0 || (v.has('from') && v.has('play')), keys: ['goto', 'go', 'next', 'previous', 'marker', 'start_pos', 'from_top', 'play', 'play_from', 'launch', 'scene_word', 'song_word'], numbers: 0, names: true, run: placeFrame },
  { what: 'set a send', when: (v) => v.has('send'), keys: LEVEL_KEYS, numbers: 1, names: true, run: (v) => levelsFrame(v) },
  { what: 'pan', when: (v) => v.has('pan', 'left', 'right') || v.has('center'), keys: ['pan', 'left', 'right', 'center', 'hard', 'half', 'halfway', 'more', 'tiny', 'small', 'large', 'up', 'down', 'reset'], numbers: 1, names: true, run: (v) => panFrame(v, panTargets(v)) },
  { what: 'take a send away', when: (v) => v.has('no'), keys: ['no', 'solo', 'unsolo', 'send', 'all'], numbers: 0, names: true, run: noFrame },
  { what: 'let people hear something alone', when: (v) => v.has('hear', 'hear_only') && !levelWords(v), keys: ['hear', 'hear_only', 'only', 'all', 'except'], numbers: 0, names: true, run: hearFrame },
  { what: 'mute, solo or arm', when: (v) => toggleVerb(v) !== null, keys: ['mute', 'unmute', 'solo', 'unsolo', 'arm', 'disarm', 'cut', 'drop', 'out', 'on', 'off', 'all', 'except', 'only'], numbers: 0, names: true, run: (v) => mixerToggle(v, toggleVerb(v)!) },
  { what: 'stop all clips', when: (v) => v.has('stop_all'), keys: ['stop_all', 'stop', 'all', 'clip_word'], numbers: 0, names: false, run: stopFrame },
  { what: 'stop', when: (v) => v.has('stop', 'pause'), keys: ['stop', 'pause', 'clip_word', 'scene_word', 'slot_word', 'all', 'play', 'song_word'], numbers: 0, names: true, run: (v) => (v.hasMentions() || v.indexes().length > 0 ? launchFrame(v, 'stop') : stopFrame(v)) },
  { what: 'continue playing', when: (v) => v.has('continue'), keys: ['continue', 'play', 'song_word'], numbers: 0, names: false, run: continueFrame },
  { what: 'launch clips and scenes', when: (v) => v.has('launch', 'play') || (v.has('go') && !v.has('up', 'down')) || (v.has('drop') && !levelWords(v)), keys: ['launch', 'play', 'go', 'drop', 'clip_word', 'slot_word', 'scene_word', 'song_word'], numbers: 0, names: true, run: (v) => (v.hasMentions() || v.indexes().some((i) => i.of === 'scene' || i.of === 'track') ? launchFrame(v, 'fire') : transportPlay()) },
  { what: 'switch things on and off', when: (v) => v.has('on', 'off', 'bypass', 'unbypass'), keys: ['on', 'off', 'bypass', 'unbypass', 'device_word', 'param_word', 'all'], numbers: 0, names: true, run: onOffFrame },
  { what: 'change a level', when: levelWords, keys: LEVEL_KEYS, numbers: 1, names: true, run: (v) => levelsFrame(v) },
];

export function interpretClause(view: ClauseView): ClauseOutcome & { endsSentence?: boolean } {
  if (view.has('not')) refuse('NOT_UNDERSTOOD', 'Roomtone does not act on "not" or "don\'t": say what should happen instead.');
  if (view.has('help') && !view.hasMentions()) return helpAnswer();
  if (view.clause.question) return questionFrame(view);
  const route = ROUTES.find((r) => r.when(view));
  if (!route) return inherit(view);
  uses(view, route);
  return route.run(view);
}

/** "rename track 3 to Drum and Bass": only what comes before the new name is checked. */
function beforeNewName(view: ClauseView): Item[] {
  const to = view.items.findIndex((i) => i.t === 'key' && (i.key === 'to' || i.key === 'into'));
  if (to >= 0) return view.items.slice(0, to);
  // "call the bass Sub Bass": up to the words after the verb, which hold the old and the new name.
  const verb = view.items.findIndex((i) => i.t === 'key' && i.key === 'rename');
  return view.items.slice(0, verb + 1);
}

/** Refuses a clause with words the frame has no use for. */
function uses(view: ClauseView, route: Route): void {
  const items = route.checked ? route.checked(view) : view.items;
  const stray = items.find((i) => i.t === 'key' && !COMMON.includes(i.key) && !route.keys.includes(i.key));
  if (stray) refuse('NOT_UNDERSTOOD', `Roomtone can ${route.what}, but does not know what "${view.slice(stray.from, stray.to)}" has to do with it here, so it did nothing.`);
  const numbers: Item[] = items.filter((i) => i.t === 'num' || (i.t === 'index' && (i.of === 'bar' || i.of === 'beat') && !route.keys.includes('bar') && route.what !== 'go somewhere in the song' && route.what !== 'loop'));
  if (numbers.length > route.numbers) {
    const extra = numbers[route.numbers]!;
    refuse('NOT_UNDERSTOOD', `Roomtone can ${route.what}, but not "${view.slice(extra.from, view.items[view.items.length - 1]!.to)}"; nothing was done.`);
  }
  // "time" is part of "3/4 time"; any other name in a frame that takes none was not understood.
  const names = view.mentions().filter((m) => items.some((i) => i.from === m.from) && view.slice(m.from, m.to).toLowerCase() !== 'time');
  if (!route.names && names.length > 0) {
    refuse('NOT_UNDERSTOOD', `Roomtone can ${route.what}, but does not know what ${names.map((m) => `"${view.slice(m.from, m.to)}"`).join(' and ')} has to do with it, so it did nothing.`);
  }
}

function transportPlay(): ClauseOutcome {
  return { commands: [{ action: 'transport.play', target: null, args: {}, say: 'Play' }], say: 'Play.', memory: { family: 'song', targets: [] } };
}

/** Words that move a level: up, down, louder, "to -6 dB", "max". */
function levelWords(view: ClauseView): boolean {
  if (view.has('volume', 'up', 'down', 'louder', 'quieter', 'more', 'less', 'max', 'min', 'reset', 'unity', 'half', 'halfway', 'double', 'drop')) return true;
  if (view.has('cut') && (view.numbers().length > 0 || view.has('tiny', 'small', 'large', 'by'))) return true;
  return view.numbers().some((n) => n.unit === 'db' || n.unit === 'percent' || (n.signed && view.hasMentions())) || (view.numbers().length > 0 && view.has('to', 'at', 'set'));
}

type Toggle = 'mute' | 'unmute' | 'solo' | 'unsolo' | 'arm' | 'disarm';

/** "Take the bass out", "leave the keys out", "cut the drums out": out of the mix is muted. */
const OUT_VERBS = new Set(['take', 'pull', 'leave']);

function toggleVerb(view: ClauseView): Toggle | null {
  const found: Toggle[] = [];
  const out = view.has('out') && (view.has('cut', 'drop') || OUT_VERBS.has(view.keyItem('set')?.word ?? ''));
  if (view.has('mute') || out || (view.has('cut') && !levelWords(view))) found.push('mute');
  for (const t of ['unmute', 'solo', 'unsolo', 'arm', 'disarm'] as const) if (view.has(t)) found.push(t);
  if (found.length > 1) refuse('NOT_UNDERSTOOD', `${found.join(' and ')} at once? Say them one after the other ("mute drums and solo bass").`);
  return found[0] ?? null;
}

/** "kill the reverb on the vocals" is the send, not the return's mute. */
function mixerToggle(view: ClauseView, verb: Toggle): ClauseOutcome {
  if (verb === 'mute' || verb === 'unmute') {
    const scope = scopeOf(view);
    const shape = scope.rest.length === 0 && scope.picks.some((p) => p.named.kind === 'track') ? sendShape(view, scope.picks, undefined) : null;
    if (shape && verb === 'mute') return sendFrame(view, shape, { type: 'min' });
  }
  return toggleFrame(view, verb);
}

/**
 * "Let's hear just the drums and bass", "can we hear the keys on their own": those tracks
 * soloed, every other solo cleared. "Let me hear the bass" alone could be a solo or a
 * louder bass: ask.
 */
function hearFrame(view: ClauseView): ClauseOutcome {
  if (view.has('hear_only', 'only')) return toggleFrame(view, 'solo');
  const names = targetsOf(view, ['track', 'return'], 'track').named;
  const name = names[0]?.name ?? 'the bass';
  refuse('AMBIGUOUS', `Hear ${names.length > 0 ? andList(names.map((n) => n.label)) : 'it'} alone, or louder?`, [`solo ${name} only`, `${name} up 3 dB`]);
}

/** "no reverb on the vocals" (send to 0), "no solos" (unsolo all), "no click". */
function noFrame(view: ClauseView): ClauseOutcome {
  if (view.has('solo')) return toggleFrame(view, 'unsolo');
  const scope = scopeOf(view);
  const shape = sendShape(view, scope.picks, undefined);
  if (shape) return sendFrame(view, shape, { type: 'min' });
  refuse('NOT_UNDERSTOOD', 'Say what should happen instead of "no …": "mute the drums", "no reverb on the vocals".');
}

function panTargets(view: ClauseView) {
  const targets = targetsOf(view, ['track', 'return', 'master'], 'track').named;
  if (targets.length > 0) return targets;
  if (view.previous && (view.previous.family === 'pan' || view.has('it'))) return view.previous.targets;
  refuse('NOT_UNDERSTOOD', 'Pan which track? "pan guitar hard left".', ['pan guitar hard left']);
}

/** No verb: reuse the previous clause's ("… and 30% of pad", "… and bass to -3 dB"). */
function inherit(view: ClauseView): ClauseOutcome {
  const previous = view.previous;
  const stray = view.items.find((i) => i.t === 'key' && !COMMON.includes(i.key));
  if (stray) notUnderstood(view);
  if (view.numbers().length > 1) notUnderstood(view);
  if (previous && view.hasMentions()) {
    if (previous.family === 'send') return levelsFrame(view);
    if (previous.family === 'pan') return panFrame(view, panTargets(view));
    if (previous.family === 'volume' && view.numbers().length > 0) return levelsFrame(view);
    if (previous.family === 'toggle' && previous.key) return toggleFrame(view, previous.key as Toggle);
  }
  notUnderstood(view);
}

const EXAMPLES = ['bring the vocals up a touch', 'mute drums and bass', 'tempo 96', 'go to the chorus'];

/** Says which words were known and which were not. */
function notUnderstood(view: ClauseView): never {
  const known: string[] = [];
  const unknown: string[] = [];
  for (const mention of view.mentions()) {
    const loose = view.resolveLooseQuiet(mention);
    known.push(...loose.picks.map((p) => p.named.name || p.named.label));
    unknown.push(...loose.rest.map((r) => view.slice(r.from, r.to)));
  }
  if (known.length > 0 && unknown.length === 0) {
    const name = known[0]!;
    refuse('NOT_UNDERSTOOD', `What should happen to ${known.join(' and ')}? For example "mute ${name}" or "${name} down 3 dB".`, [`mute ${name}`, `${name} down 3 dB`, `solo ${name}`]);
  }
  if (unknown.length > 0) refuse('NOT_UNDERSTOOD', `Roomtone does not know what "${unknown.join('", "')}" means here, so it did nothing.`, EXAMPLES);
  refuse('NOT_UNDERSTOOD', 'Roomtone did not understand that as a command, so it did nothing.', EXAMPLES);
}


