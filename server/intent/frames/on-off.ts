import { andList, orList, type ClauseView } from '../clauses/clause-view.ts';
import { phraseOf } from '../names/name-index.ts';
import { refuse, type ClauseOutcome, type Planned } from '../outcome.ts';
import type { Named } from '../names/name-index.ts';
import { findParameter, paramFrame } from './parameters.ts';
import { devicesNamed, scopeOf } from './scope.ts';
import { toggleFrame } from './toggles.ts';

/**
 * "Turn off the compressor on the bass", "bypass the glue", "switch the drums back on",
 * "turn on ping pong on the delay". A device is switched (bypass = off); a track's on/off
 * is its Track Activator, which is Live's mute; a two-step parameter is set. Where the
 * words fit a track and a device equally ("turn off the reverb"), Roomtone asks.
 */
export function onOffFrame(view: ClauseView): ClauseOutcome {
  const on = view.has('on', 'unbypass');
  const off = view.has('off', 'bypass');
  if (on && off) refuse('AMBIGUOUS', 'On or off? The words say both.');
  const bypass = view.has('bypass', 'unbypass');
  const scope = scopeOf(view);
  if (scope.rest.length > 0) {
    const ref = findParameter(view, { tracks: scope.tracks, devices: scope.devices, rest: scope.rest, extraWords: [] });
    if (ref) return paramFrame(view, ref);
    for (const mention of view.mentions()) view.resolve(mention, ['track', 'return', 'master', 'device'], 'track or device');
  }
  let devices = scope.devices;
  let tracks = scope.tracks.filter((t) => !devices.some((d) => d.trackId === t.id));
  if (devices.length === 0 && tracks.length > 0) {
    // The words named a track: do they name a device just as well ("reverb")?
    const sameWords = scope.picks.flatMap((p) => devicesNamed(view, { words: view.slice(p.from, p.to).toLowerCase().split(/\s+/), from: p.from, to: p.to }, []).filter((c) => c.score >= 92).map((c) => c.named));
    if (bypass && sameWords.length > 0) {
      devices = sameWords;
      tracks = [];
    } else if (bypass) {
      refuse('NOT_UNDERSTOOD', `Bypass works on devices; ${andList(tracks.map((t) => t.label))} ${tracks.length === 1 ? 'is a track' : 'are tracks'}. Did you mean to mute ${tracks.length === 1 ? 'it' : 'them'}?`, tracks.map((t) => `mute ${phraseOf(view.ctx.index, t)}`));
    } else if (sameWords.length > 0) {
      refuse('AMBIGUOUS', `"${tracks[0]!.name}" is a track and a device. Which one?`, readingsOf(view, tracks, sameWords, off));
    }
  }
  if (devices.length > 0) {
    if (devices.length > 1 && devices.some((d, i) => devices.findIndex((x) => x.name === d.name) !== i)) {
      refuse('AMBIGUOUS', `Which one: ${orList(devices.map((d) => d.label))}?`, devices.map((d) => `turn ${on ? 'on' : 'off'} ${phraseOf(view.ctx.index, d)}`));
    }
    const commands: Planned[] = devices.map((d) => ({ action: 'device.set_active', target: d.id, args: { value: on }, say: `${on ? 'Switch on' : bypass ? 'Bypass' : 'Switch off'} ${d.label}` }));
    return { commands, say: `${andList(commands.map((c) => c.say))}.`, memory: { family: 'device', targets: devices } };
  }
  if (tracks.length > 0 || view.has('all') || view.has('it')) return toggleFrame(view, on ? 'unmute' : 'mute');
  refuse('NOT_UNDERSTOOD', `Turn ${on ? 'on' : 'off'} what? Name a track or a device ("turn off the compressor on the bass").`);
}

/**
 * The readings of "turn off the delay", to say instead. With another track named ("… on
 * the lead"), the readings are on that track: its device of that name, or its send to
 * the return of that name; otherwise the track's mute and each device of that name.
 */
function readingsOf(view: ClauseView, tracks: Named[], sameWords: Named[], off: boolean): string[] {
  const { index } = view.ctx;
  const [named, ...places] = tracks;
  const onPlaces = sameWords.filter((d) => places.some((p) => p.id === d.trackId));
  if (named && named.kind === 'return' && places.length > 0) {
    const sends = off ? places.filter((p) => p.kind === 'track').map((p) => `no ${phraseOf(index, named)} on ${phraseOf(index, p)}`) : [];
    const there = [...onPlaces.slice(0, 3).map((d) => `turn ${off ? 'off' : 'on'} ${phraseOf(index, d)}`), ...sends.slice(0, 2)];
    if (there.length > 0) return there;
  }
  return [`${off ? 'mute' : 'unmute'} ${phraseOf(index, named!)}`, ...sameWords.slice(0, 3).map((d) => `turn ${off ? 'off' : 'on'} ${phraseOf(index, d)}`)];
}
