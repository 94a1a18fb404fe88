import type { ClauseView } from '../clauses/clause-view.ts';
import type { Named } from '../names/name-index.ts';
import { refuse, type ClauseOutcome, type Planned } from '../outcome.ts';
import { formatNumber } from './amounts.ts';

const none: Named[] = [];

/** Beats in one bar of the current time signature (Live counts positions in beats of a quarter note). */
export function beatsPerBar(view: ClauseView): number {
  const song = view.ctx.values.song();
  const n = song?.number('signatureNumerator') ?? 4;
  const d = song?.number('signatureDenominator') ?? 4;
  return (n * 4) / d;
}

/**
 * Places in the song: a locator by name ("go to the chorus"), a bar ("go to bar 17"),
 * the start, the next or previous locator, "from the top". With "play" (or "from the
 * top") it also starts playback. A name that is no locator but a scene launches the scene.
 */
export function placeFrame(view: ClauseView): ClauseOutcome {
  const play = view.has('play', 'from_top', 'play_from');
  if (view.has('next', 'previous') && view.has('scene_word')) refuse('NOT_UNDERSTOOD', 'Roomtone cannot tell which scene is next; name it or its number ("launch scene 4").');
  const sceneByIndex = view.indexes('scene')[0];
  if (sceneByIndex && !view.hasMentions()) {
    const scene = view.byIndex(sceneByIndex);
    return { commands: [{ action: 'scene.fire', target: scene.id, args: {}, say: `Launch ${scene.label}` }], say: `Launch ${scene.label}.`, memory: { family: 'launch', targets: [scene] } };
  }
  const commands: Planned[] = [];
  const bar = view.indexes('bar')[0];
  const beat = view.indexes('beat')[0];
  const cueByIndex = view.indexes('cue')[0];
  if ((bar || beat || cueByIndex || view.has('next', 'previous')) && view.hasMentions()) {
    refuse('NOT_UNDERSTOOD', `Go to a bar, the next locator, or a place by name, one at a time: what is "${view.slice(view.mentions()[0]!.from, view.mentions()[0]!.to)}" here?`);
  }
  if (view.has('next', 'previous') && !bar) {
    const next = view.has('next');
    commands.push({ action: next ? 'song.jump_to_next_cue' : 'song.jump_to_prev_cue', target: null, args: {}, say: `Jump to the ${next ? 'next' : 'previous'} locator` });
  } else if (bar || beat) {
    const beats = bar ? (bar.n - 1) * beatsPerBar(view) : beat!.n - 1;
    if (bar && bar.n < 1) refuse('NOT_UNDERSTOOD', 'Bars count from 1.');
    commands.push({ action: 'transport.set_position', target: null, args: { beats }, say: bar ? `Go to bar ${bar.n}` : `Go to beat ${beat!.n}` });
  } else if (view.has('start_pos', 'from_top') && !view.hasMentions()) {
    commands.push({ action: 'transport.set_position', target: null, args: { beats: 0 }, say: 'Go to the start' });
  } else if (cueByIndex) {
    const cue = view.byIndex(cueByIndex);
    commands.push({ action: 'cue_point.jump', target: cue.id, args: {}, say: `Jump to ${cue.label}` });
  } else if (view.hasMentions()) {
    const mentions = view.mentions();
    if (mentions.length > 1) refuse('NOT_UNDERSTOOD', 'One place at a time, please.');
    const mention = mentions[0]!;
    const cues = view.resolveLoose(mention, ['cue_point']);
    if (cues.picks.length === 1 && cues.rest.length === 0) {
      const cue = cues.picks[0]!.named;
      commands.push({ action: 'cue_point.jump', target: cue.id, args: {}, say: `Jump to ${cue.label}` });
    } else {
      const scene = view.resolve(mention, ['scene'], 'locator or scene');
      if (scene.length !== 1) refuse('NOT_UNDERSTOOD', 'One place at a time, please.');
      const named = scene[0]!.named;
      const say = view.ctx.index.cues.length > 0 ? `Launch ${named.label} (there is no locator by that name)` : `Launch ${named.label}`;
      return { commands: [{ action: 'scene.fire', target: named.id, args: {}, say }], say: `${say}.`, memory: { family: 'launch', targets: [named] } };
    }
  } else {
    refuse('NOT_UNDERSTOOD', 'Go where? Name a locator or a bar ("go to the chorus", "go to bar 17").', view.ctx.index.cues.slice(0, 2).map((c) => `go to ${c.name}`));
  }
  if (play) commands.push({ action: 'transport.play', target: null, args: {}, say: 'Play' });
  return { commands, say: `${commands.map((c) => c.say).join(' and ')}.`, memory: { family: 'place', targets: none } };
}

/** "loop bars 5 to 8", "loop the chorus", "loop on", "stop looping", "loop the hook". */
export function loopFrame(view: ClauseView): ClauseOutcome {
  const bars = view.indexes('bar')[0];
  if (!bars && view.numbers().length > 0) refuse('NOT_UNDERSTOOD', `Loop which bars? Say "loop bars 5 to 8"; "${view.slice(view.numbers()[0]!.from, view.numbers()[0]!.to)}" alone is not a place.`);
  if (bars) {
    const end = view.numbers().find((n) => n.from > bars.from && n.unit === null);
    const lastBar = end ? end.value : bars.n;
    if (lastBar < bars.n) refuse('NOT_UNDERSTOOD', `Bar ${lastBar} comes before bar ${bars.n}.`);
    const per = beatsPerBar(view);
    const start = (bars.n - 1) * per;
    const length = (lastBar - bars.n + 1) * per;
    return loopRegion(start, length, lastBar === bars.n ? `bar ${bars.n}` : `bars ${bars.n} to ${lastBar}`);
  }
  if (view.hasMentions()) {
    const mentions = view.mentions();
    const mention = mentions[0]!;
    const cues = view.resolveLoose(mention, ['cue_point']);
    if (mentions.length === 1 && cues.picks.length === 1 && cues.rest.length === 0) {
      const cue = cues.picks[0]!.named;
      const time = view.ctx.values.entity('cue_point', cue.id)?.number('time') ?? 0;
      const after = view.ctx.index.cues.map((c) => view.ctx.values.entity('cue_point', c.id)?.number('time') ?? 0).filter((t) => t > time).sort((a, b) => a - b)[0];
      if (after === undefined) refuse('NOT_UNDERSTOOD', `${cue.label} is the last locator, so its end is unknown; say "loop bars … to …".`);
      return loopRegion(time, after - time, `${cue.label} (to the next locator)`);
    }
    const clips = view.resolve(mention, ['clip'], 'locator or clip');
    const on = !view.has('off', 'stop', 'no');
    const commands = clips.map((p) => ({ action: 'clip.set_looping', target: p.named.id, args: { value: on }, say: `Loop ${on ? 'on' : 'off'} for ${p.named.label}` }));
    return { commands, say: `${commands.map((c) => c.say).join(', ')}.`, memory: { family: 'loop', targets: clips.map((p) => p.named) } };
  }
  const off = view.has('off', 'stop', 'no');
  return { commands: [{ action: 'song.set_loop', target: null, args: { value: !off }, say: `Arrangement loop ${off ? 'off' : 'on'}` }], say: `Arrangement loop ${off ? 'off' : 'on'}.`, memory: { family: 'loop', targets: none } };
}

function loopRegion(start: number, length: number, what: string): ClauseOutcome {
  const commands: Planned[] = [
    { action: 'song.set_loop_region', target: null, args: { start, length }, say: `Loop ${what} (beats ${formatNumber(start)} to ${formatNumber(start + length)})` },
    { action: 'song.set_loop', target: null, args: { value: true }, say: 'arrangement loop on' },
  ];
  return { commands, say: `${commands[0]!.say}, ${commands[1]!.say}.`, memory: { family: 'loop', targets: none } };
}
