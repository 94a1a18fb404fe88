import { volumeToDb } from '../../../protocol/index.ts';
import { andList, type ClauseView } from '../clauses/clause-view.ts';
import type { Named } from '../names/name-index.ts';
import { refuse, type ClauseOutcome } from '../outcome.ts';
import { formatDb, formatNumber, formatPan, formatPercent } from './amounts.ts';
import { findParameter } from './parameters.ts';
import { scopeOf } from './scope.ts';
import { sendShape } from './sends.ts';

const none: Named[] = [];

function say(text: string, targets: Named[] = none): ClauseOutcome {
  return { commands: [], say: text, memory: { family: 'question', targets } };
}

const EXAMPLES = ['what\'s the tempo?', 'how loud is the bass?', 'what\'s muted?', 'what\'s on the vocals?'];

/**
 * Questions get a spoken answer and no command: the tempo, a track's level, pan, sends,
 * buttons and devices, what is muted, soloed, armed or playing, and lists of names.
 */
export function questionFrame(view: ClauseView): ClauseOutcome {
  const { index, values } = view.ctx;
  const song = values.song();
  if (view.has('help')) return helpAnswer();
  const kind = view.keyItem('track_word') ?? view.keyItem('scene_word') ?? view.keyItem('return_word') ?? view.keyItem('marker') ?? view.keyItem('clip_word');
  if (!view.hasMentions() && view.indexes().length === 0) {
    if (view.has('tempo', 'bpm', 'faster', 'slower')) return say(`The tempo is ${formatNumber(song?.number('tempo') ?? 0)} BPM.`);
    if (view.has('timesig')) return say(`The time signature is ${song?.number('signatureNumerator') ?? 4}/${song?.number('signatureDenominator') ?? 4}.`);
    if (view.has('metronome')) return say(`The metronome is ${song?.get('metronome') === true ? 'on' : 'off'}.`);
    if (view.has('loop')) return say(`The arrangement loop is ${song?.get('loop') === true ? 'on' : 'off'}.`);
    if (view.has('record')) return say(`Arrangement record is ${song?.get('record') === true ? 'on' : 'off'}.`);
    if (view.has('mute', 'solo', 'arm')) {
      const prop = view.has('mute') ? 'mute' : view.has('solo') ? 'solo' : 'arm';
      const word = prop === 'mute' ? 'muted' : prop === 'solo' ? 'soloed' : 'armed';
      const on = [...index.tracks, ...index.returns].filter((t) => values.entity(t.kind === 'return' ? 'return' : 'track', t.id)?.get(prop) === true);
      return say(on.length === 0 ? `Nothing is ${word}.` : `${andList(on.map((t) => t.label))} ${on.length === 1 ? 'is' : 'are'} ${word}.`);
    }
    if (view.has('play') || (kind === undefined && view.has('launch'))) {
      const playing = index.tracks.map((t) => ({ t, i: values.entity('track', t.id)?.number('playingSlotIndex') ?? -1 })).filter((x) => x.i >= 0);
      if (playing.length === 0) return say(song?.get('isPlaying') === true ? 'The transport is running, but no clip is playing.' : 'Nothing is playing.');
      return say(`Playing: ${andList(playing.map(({ t, i }) => { const clip = index.clips.find((c) => c.trackId === t.id && c.sceneIndex === i); return clip?.name ? `${clip.name} on ${t.label}` : t.label; }))}.`);
    }
    const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
    if (kind?.key === 'track_word') return say(`${count(index.tracks.length, 'track')}: ${index.tracks.map((t) => t.name || `track ${t.index}`).join(', ')}.`);
    if (kind?.key === 'return_word') return say(index.returns.length === 0 ? 'The set has no return tracks.' : `${count(index.returns.length, 'return')}: ${index.returns.map((t) => t.name).join(', ')}.`);
    if (kind?.key === 'scene_word') return say(`${count(index.scenes.length, 'scene')}: ${index.scenes.map((s) => s.name || `scene ${s.index}`).join(', ')}.`);
    if (kind?.key === 'marker') return say(index.cues.length === 0 ? 'The set has no locators.' : `${count(index.cues.length, 'locator')}: ${index.cues.map((c) => c.name || `locator ${c.index}`).join(', ')}.`);
    refuse('NOT_UNDERSTOOD', 'Roomtone can answer questions about the tempo, a track\'s level, pan, sends and buttons, and what is muted, soloed or playing.', EXAMPLES);
  }
  const scope = scopeOf(view);
  if (scope.rest.length > 0 || scope.devices.length > 0) {
    const ref = findParameter(view, { tracks: scope.tracks, devices: scope.devices, rest: scope.rest, extraWords: [] });
    if (ref) return say(`${ref.param.name} of ${ref.device.label} is ${ref.param.display || formatNumber(ref.param.value)}.`, [ref.device]);
    if (scope.devices.length === 0) for (const m of view.mentions()) view.resolve(m, ['track', 'return', 'master'], 'track');
  }
  const shape = sendShape(view, scope.picks, undefined);
  if (shape) {
    const answers = shape.sources.map((s) => {
      const sends = values.entity(s.kind === 'return' ? 'return' : 'track', s.id)?.get('sends');
      const v = Array.isArray(sends) && typeof sends[shape.destination.index - 1] === 'number' ? (sends[shape.destination.index - 1] as number) : 0;
      return `${s.label} sends ${formatPercent(v)} to ${shape.destination.label}`;
    });
    return say(`${andList(answers)}.`, shape.sources);
  }
  const tracks = scope.tracks;
  if (tracks.length === 0) refuse('NOT_UNDERSTOOD', 'Which track?', EXAMPLES);
  const parts: string[] = [];
  for (const t of tracks) {
    const e = values.entity(t.kind === 'master' ? 'master' : t.kind === 'return' ? 'return' : 'track', t.id);
    if (!e) continue;
    if (view.has('pan', 'left', 'right', 'center')) { parts.push(`${t.label} is panned ${formatPan(e.number('pan') ?? 0)}`); continue; }
    if (view.has('mute')) { parts.push(`${t.label} is ${e.get('mute') === true ? '' : 'not '}muted`); continue; }
    if (view.has('solo')) { parts.push(`${t.label} is ${e.get('solo') === true ? '' : 'not '}soloed`); continue; }
    if (view.has('arm')) { parts.push(`${t.label} is ${e.get('arm') === true ? '' : 'not '}armed`); continue; }
    if (view.has('device_word') || (!view.has('it') && !view.has('volume', 'louder', 'quieter', 'up', 'down') && view.has('on_or_at', 'in'))) {
      const devices = index.devices.filter((d) => d.trackId === t.id);
      parts.push(devices.length === 0 ? `${t.label} has no devices` : `On ${t.label}: ${devices.map((d) => `${d.name}${values.entity('device', d.id)?.get('isActive') === false ? ' (off)' : ''}`).join(', ')}`);
      continue;
    }
    const states = [e.get('mute') === true ? 'muted' : '', e.get('solo') === true ? 'soloed' : '', e.get('arm') === true ? 'armed' : ''].filter(Boolean);
    parts.push(`${t.label} is at ${formatDb(volumeToDb(e.number('volume') ?? 0))}, panned ${formatPan(e.number('pan') ?? 0)}${states.length ? `, ${andList(states)}` : ''}`);
  }
  return say(`${parts.join('. ')}.`, tracks);
}

export function helpAnswer(): ClauseOutcome {
  return say('Say what you would say to the engineer: "bring the vocals up a touch", "mute drums and bass", "pan guitar hard left", "send 20% of keys to reverb", "tempo 96", "go to the chorus", "play the drums in the verse", "arm track 3", "turn off the compressor on the bass". Enter shows what will happen; Enter again does it.');
}
