import type { ClauseView } from '../clauses/clause-view.ts';
import type { Named } from '../names/name-index.ts';
import { refuse, type ClauseOutcome, type Planned } from '../outcome.ts';
import { STEPS, amountOf, formatNumber } from './amounts.ts';
import { targetsOf } from './targets.ts';

const none: Named[] = [];

function one(command: Planned, family = 'song'): ClauseOutcome {
  return { commands: [command], say: `${command.say}.`, memory: { family, targets: none } };
}

function many(commands: Planned[], family = 'song'): ClauseOutcome {
  return { commands, say: `${commands.map((c) => c.say).join(', then ')}.`, memory: { family, targets: none } };
}

/** Whether the clause switches something on or off: "on", "off", "start", "stop", "no", "mute the click". */
function onOrOff(view: ClauseView, what: string): boolean {
  const on = view.has('on', 'play', 'unmute', 'unbypass');
  const off = view.has('off', 'stop', 'no', 'mute', 'bypass', 'pause');
  if (on && off) refuse('AMBIGUOUS', `${what} on or off? The words say both.`);
  if (!on && !off) refuse('NOT_UNDERSTOOD', `${what} on or off?`, [`${what.toLowerCase()} on`, `${what.toLowerCase()} off`]);
  return on;
}

export function simpleSongFrame(view: ClauseView): ClauseOutcome {
  if (view.has('undo')) return one({ action: 'song.undo', target: null, args: {}, say: 'Undo the last change in Live' });
  if (view.has('redo')) return one({ action: 'song.redo', target: null, args: {}, say: 'Redo' });
  if (view.has('tap')) return one({ action: 'song.tap_tempo', target: null, args: {}, say: 'Tap the tempo once' });
  return one({ action: 'song.capture_midi', target: null, args: {}, say: 'Capture the MIDI just played into a clip' });
}

export function tempoFrame(view: ClauseView): ClauseOutcome {
  const song = view.ctx.values.song();
  const scene = sceneMentioned(view);
  const current = scene ? view.ctx.values.entity('scene', scene.id)?.number('tempo') ?? song?.number('tempo') : song?.number('tempo');
  const numbers = view.numbers().filter((n) => n.unit === 'bpm' || n.unit === null);
  if (view.numbers().some((n) => n.unit !== null && n.unit !== 'bpm')) refuse('NOT_UNDERSTOOD', 'Tempo goes in BPM: say "tempo 96".');
  const sign = view.has('faster', 'up', 'more') ? 1 : view.has('slower', 'down', 'less') ? -1 : 0;
  let bpm: number;
  let relative = false;
  const num = numbers[numbers.length - 1];
  if (num) {
    if (sign !== 0 && (view.has('by') || num.signed || num.value < 20 || view.keyBefore(num) !== 'to')) { bpm = (current ?? 120) + sign * Math.abs(num.value); relative = true; } else bpm = num.value;
  } else if (view.has('double', 'double_time')) { bpm = (current ?? 120) * 2; relative = true; } else if (view.has('half', 'half_time')) { bpm = (current ?? 120) / 2; relative = true; } else if (sign !== 0) { bpm = (current ?? 120) + sign * STEPS.tempo[amountOf(view)]; relative = true; } else {
    refuse('NOT_UNDERSTOOD', 'What tempo? Say "tempo 96" or "a bit faster".', ['tempo 96', 'a bit faster']);
  }
  bpm = Math.round(bpm * 100) / 100;
  if (bpm < 20 || bpm > 999) refuse('NOT_UNDERSTOOD', `Live's tempo goes from 20 to 999 BPM; ${formatNumber(bpm)} is outside it.`);
  const from = current !== undefined && relative ? ` (from ${formatNumber(current)})` : '';
  if (scene) {
    const entity = view.ctx.values.entity('scene', scene.id);
    return one({ action: 'scene.set_tempo', target: scene.id, args: { value: bpm }, ...(relative && entity?.rev ? { baseRev: entity.rev } : {}), say: `${scene.label} tempo ${formatNumber(bpm)} BPM${from}` }, 'tempo');
  }
  return one({ action: 'song.set_tempo', target: null, args: { bpm }, ...(relative && song?.rev ? { baseRev: song.rev } : {}), say: `Tempo ${formatNumber(bpm)} BPM${from}` }, 'tempo');
}

function sceneMentioned(view: ClauseView): Named | undefined {
  const scenes = view.indexes('scene').map((i) => view.byIndex(i));
  for (const m of view.mentions()) scenes.push(...view.resolve(m, ['scene'], 'scene').map((p) => p.named));
  if (scenes.length > 1) refuse('NOT_UNDERSTOOD', 'One scene at a time, please.');
  return scenes[0];
}

export function timeSignatureFrame(view: ClauseView): ClauseOutcome {
  const frac = view.items.find((i) => i.t === 'frac');
  if (!frac) refuse('NOT_UNDERSTOOD', 'Which time signature? Say it like "3/4" or "6/8".', ['time signature 3/4', 'time signature 6/8']);
  if (![1, 2, 4, 8, 16].includes(frac.d) || frac.n < 1 || frac.n > 99) refuse('NOT_UNDERSTOOD', `Live cannot do ${frac.n}/${frac.d}: the top goes from 1 to 99, the bottom is 1, 2, 4, 8 or 16.`);
  return one({ action: 'song.set_time_signature', target: null, args: { numerator: frac.n, denominator: frac.d }, say: `Time signature ${frac.n}/${frac.d}` });
}

export function metronomeFrame(view: ClauseView): ClauseOutcome {
  const on = onOrOff(view, 'Metronome');
  return one({ action: 'song.set_metronome', target: null, args: { value: on }, say: `Metronome ${on ? 'on' : 'off'}` });
}

export function recordFrame(view: ClauseView): ClauseOutcome {
  const which = view.has('session_record') ? 'session_record' : view.has('overdub') ? 'overdub' : 'record';
  const action = { session_record: 'song.set_session_record', overdub: 'song.set_overdub', record: 'song.set_record' }[which];
  const name = { session_record: 'Session record', overdub: 'Overdub', record: 'Arrangement record' }[which];
  if (which === 'record' && view.hasMentions()) {
    refuse('NOT_UNDERSTOOD', 'Recording is for the whole set; arm the track first, then record.', [`arm ${view.slice(view.mentions()[0]!.from, view.mentions()[0]!.to)} and record`]);
  }
  const explicitOff = view.has('off', 'stop', 'no', 'pause');
  const on = !explicitOff;
  return one({ action, target: null, args: { value: on }, say: `${name} ${on ? 'on' : 'off'}` });
}

export function stopFrame(view: ClauseView): ClauseOutcome {
  if (view.has('stop_all') || (view.has('all') && view.has('clip_word'))) return one({ action: 'song.stop_all_clips', target: null, args: {}, say: 'Stop all clips' });
  if (!view.hasMentions() && view.indexes().length === 0) {
    if (view.has('pause')) return one({ action: 'transport.stop', target: null, args: {}, say: 'Stop (Live has no pause: "continue" plays on from here)' });
    return one({ action: 'transport.stop', target: null, args: {}, say: 'Stop playback' });
  }
  refuse('NOT_UNDERSTOOD', 'Stop what? Say "stop", "stop all clips" or "stop the drums".');
}

export function continueFrame(_view?: ClauseView): ClauseOutcome {
  return one({ action: 'transport.continue', target: null, args: {}, say: 'Continue playing from where it stopped' });
}

export function crossfaderFrame(view: ClauseView): ClauseOutcome {
  const side = crossfaderSide(view);
  // "crossfader B": the letters are the sides, not names.
  const mentions = view.mentions().filter((m) => !(m.to - m.from === 1 && /^[ab]$/.test(view.ctx.tokens[m.from]!.w)));
  const tracks = targetsOf(view, ['track', 'return'], 'track', { mentions }).named;
  if (tracks.length > 0) {
    const value = view.has('off', 'no') || view.has('center') ? 'none' : side;
    if (!value) refuse('NOT_UNDERSTOOD', 'Assign to A or B? Say "drums on crossfader A".');
    return many(tracks.map((t) => ({ action: 'track.set_crossfade_assign', target: t.id, args: { value }, say: value === 'none' ? `Take ${t.label} off the crossfader` : `Put ${t.label} on crossfader side ${value}` })), 'crossfader');
  }
  let value: number;
  if (view.has('center')) value = 0;
  else if (side === 'A') value = -1;
  else if (side === 'B') value = 1;
  else refuse('NOT_UNDERSTOOD', 'Crossfader to A, B or the center?', ['crossfader to A', 'crossfader to the center']);
  return one({ action: 'song.set_crossfader', target: null, args: { value }, say: value === 0 ? 'Crossfader to the center' : `Crossfader all the way to ${value < 0 ? 'A' : 'B'}` });
}

function crossfaderSide(view: ClauseView): 'A' | 'B' | null {
  if (view.has('left')) return 'A';
  if (view.has('right')) return 'B';
  const first = view.items[0]?.from ?? 0;
  const last = view.items[view.items.length - 1]?.to ?? 0;
  for (let i = first; i < last; i++) {
    const t = view.ctx.tokens[i]!;
    const prev = view.ctx.tokens[i - 1]?.w;
    if (t.w === 'b') return 'B';
    if (t.w === 'a' && (t.raw === 'A' || prev === 'to' || prev === 'side' || prev === 'crossfader' || prev === 'fader')) return 'A';
  }
  return null;
}
