import type { ClauseView } from './clauses/clause-view.ts';
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
 * Picks what a clause is about from the words that carry meaning, most specific first
 * ("tempo" before "up", "send" before "more"), and hands it to that frame. A clause with
 * no such word takes the previous clause's frame ("send 20% of keys to reverb and 30% of
 * pad") or is not understood.
 */
export function interpretClause(view: ClauseView): ClauseOutcome & { endsSentence?: boolean } {
  if (view.has('not')) refuse('NOT_UNDERSTOOD', 'Roomtone does not act on "not" or "don\'t": say what should happen instead.');
  if (view.has('help') && !view.hasMentions()) return helpAnswer();
  if (view.clause.question) return questionFrame(view);
  if (view.has('undo', 'redo', 'tap', 'capture')) return bare(view, 'undo, redo, tap or capture', simpleSongFrame);
  if (view.has('timesig') || view.items.some((i) => i.t === 'frac')) return bare(view, 'set the time signature', timeSignatureFrame, true, ['time']);
  if (view.has('tempo', 'faster', 'slower', 'half_time', 'double_time') || view.numbers().some((n) => n.unit === 'bpm') || view.has('bpm')) return tempoFrame(view);
  if (view.has('metronome')) return bare(view, 'switch the metronome', metronomeFrame);
  if (view.has('crossfader')) return crossfaderFrame(view);
  if (view.has('monitor')) return monitorFrame(view);
  if (view.has('rename')) return renameFrame(view);
  if (view.has('delete')) return deleteFrame(view);
  if (view.has('duplicate') || (view.has('double') && view.has('loop'))) return duplicateFrame(view);
  if (view.has('create', 'load')) return createFrame(view);
  if (view.has('color') && !view.has('volume', 'up', 'down')) return colorFrame(view);
  if (view.has('select')) return counted(view, 'select a track', selectFrame);
  if (view.has('fold', 'unfold')) return counted(view, 'fold a group', foldFrame);
  if (view.has('session_record', 'overdub', 'record')) return counted(view, 'switch recording', recordFrame);
  if (view.has('loop')) return loopFrame(view);
  if (view.has('set') && view.keyItem('set')!.word === 'put' && view.has('on_or_at', 'into') && !levelWords(view) && !view.has('send')) return createFrame(view);
  if ((view.has('goto', 'next', 'previous', 'start_pos', 'from_top', 'marker') && !(levelWords(view) && view.hasMentions())) || view.indexes('bar').length > 0 || view.indexes('beat').length > 0 || (view.has('from') && view.has('play'))) return placeFrame(view);
  if (view.has('send')) return levelsFrame(view);
  if (view.has('pan', 'left', 'right') || (view.has('center') && !view.has('crossfader'))) return panFrame(view, panTargets(view));
  if (view.has('no')) return noFrame(view);
  const toggle = toggleVerb(view);
  if (toggle) {
    noLeftoverNumbers(view, `${toggle} a track`);
    return mixerToggle(view, toggle);
  }
  if (view.has('stop_all')) return bare(view, 'stop all clips', stopFrame);
  if (view.has('stop') || view.has('pause')) return counted(view, 'stop', (v) => (v.hasMentions() || v.indexes().length > 0 ? launchFrame(v, 'stop') : stopFrame(v)));
  if (view.has('continue')) return bare(view, 'continue playing', continueFrame);
  if (view.has('launch') || view.has('play') || (view.has('go') && !view.has('up', 'down')) || (view.has('drop') && !levelWords(view))) {
    return counted(view, 'launch clips and scenes', (v) => (v.hasMentions() || v.indexes().some((i) => i.of === 'scene' || i.of === 'track') ? launchFrame(v, 'fire') : transportPlay()));
  }
  if (view.has('on', 'off', 'bypass', 'unbypass')) {
    noLeftoverNumbers(view, 'switch things on and off');
    return onOffFrame(view);
  }
  if (levelWords(view)) return levelsFrame(view);
  return inherit(view);
}

/** A frame that takes no numbers. */
function counted(view: ClauseView, what: string, frame: (view: ClauseView) => ClauseOutcome): ClauseOutcome {
  noLeftoverNumbers(view, what);
  return frame(view);
}

/** A frame that takes no names and (unless `numbers`) no numbers: "metronome on", "undo". */
function bare(view: ClauseView, what: string, frame: (view: ClauseView) => ClauseOutcome, numbers = false, allowed: string[] = []): ClauseOutcome {
  if (!numbers) noLeftoverNumbers(view, what);
  const extra = view.mentions().filter((m) => !allowed.includes(view.slice(m.from, m.to).toLowerCase()));
  if (extra.length > 0) {
    const words = extra.map((m) => `"${view.slice(m.from, m.to)}"`).join(' and ');
    refuse('NOT_UNDERSTOOD', `Roomtone can ${what}, but does not know what ${words} has to do with it, so it did nothing.`);
  }
  return frame(view);
}

function transportPlay(): ClauseOutcome {
  return { commands: [{ action: 'transport.play', target: null, args: {}, say: 'Play' }], say: 'Play.', memory: { family: 'song', targets: [] } };
}

/** Words that move a level: up, down, louder, "to -6 dB", "max". */
function levelWords(view: ClauseView): boolean {
  if (view.has('volume', 'up', 'down', 'louder', 'quieter', 'more', 'less', 'max', 'min', 'reset', 'unity', 'half', 'double', 'drop')) return true;
  if (view.has('cut') && (view.numbers().length > 0 || view.has('tiny', 'small', 'large', 'by'))) return true;
  return view.numbers().some((n) => n.unit === 'db' || n.unit === 'percent' || (n.signed && view.hasMentions())) || (view.numbers().length > 0 && view.has('to', 'at', 'set'));
}

type Toggle = 'mute' | 'unmute' | 'solo' | 'unsolo' | 'arm' | 'disarm';

function toggleVerb(view: ClauseView): Toggle | null {
  const found: Toggle[] = [];
  if (view.has('mute') || (view.has('cut') && !levelWords(view))) found.push('mute');
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

/** Frames that take no numbers: a number left over means words were not understood ("mute the drums for 4 bars"). */
export function noLeftoverNumbers(view: ClauseView, what: string): void {
  const extra = view.numbers();
  const bars = view.indexes('bar').concat(view.indexes('beat'));
  const first = extra[0] ?? bars[0];
  if (first) refuse('NOT_UNDERSTOOD', `Roomtone can ${what}, but not "${view.slice(first.from, view.items[view.items.length - 1]!.to)}"; nothing was done.`);
}
