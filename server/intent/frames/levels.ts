import type { ClauseView } from '../clauses/clause-view.ts';
import type { Named } from '../names/name-index.ts';
import { refuse, type ClauseOutcome } from '../outcome.ts';
import type { Change } from './direction.ts';
import { findParameter, paramFrame } from './parameters.ts';
import { MIXER_KINDS, scopeOf } from './scope.ts';
import { sendFrame, sendShape } from './sends.ts';
import { volumeFrame } from './volume.ts';

/**
 * Everything that goes up and down: a fader, a send ("more reverb on the vocals"), or a
 * device's control ("bass compressor threshold to -20 dB"). Which one follows from what
 * the words name.
 */
export function levelsFrame(view: ClauseView, forced?: { send?: Change }): ClauseOutcome {
  let scope = scopeOf(view);
  const parameterish = scope.devices.length > 0 || scope.rest.length > 0 || view.has('device_word', 'macro_word', 'param_word') || view.indexes('macro').length > 0;
  if (parameterish) {
    // "… to one shot": what follows "to" may be one of the parameter's named steps.
    scope = scopeOf(view, { valueAfterTo: true });
    const extra = view.items.filter((i) => i.t === 'key' && i.key === 'volume').map((i) => (i as { word: string }).word);
    const ref = findParameter(view, { tracks: scope.tracks, devices: scope.devices, rest: scope.rest, extraWords: extra });
    if (ref) return paramFrame(view, ref, scope.valueWords);
    // The leftover words name nothing: let the mixer resolution say so, with suggestions.
    for (const mention of view.mentions()) view.resolve(mention, MIXER_KINDS, 'track');
    refuse('NOT_UNDERSTOOD', 'Which control? Name a track, or a device and its control ("bass compressor threshold to -20 dB").');
  }
  const inheritedDest = view.previous?.family === 'send' ? view.previous.destination : undefined;
  const shape = sendShape(view, scope.picks, view.has('send') || scope.picks.length > 0 ? inheritedDest : undefined);
  if (shape) return sendFrame(view, shape, forced?.send);
  if (view.has('send')) {
    const returns = view.ctx.index.returns;
    refuse('NOT_UNDERSTOOD', `Send which track to which return? Say "send 20% of keys to ${returns[0]?.name ?? 'reverb'}".`, returns.slice(0, 2).map((r) => `send 20% of ${view.ctx.index.tracks[0]?.name ?? 'keys'} to ${r.name}`));
  }
  let targets: Named[] = scope.tracks;
  if (targets.length === 0 && view.has('all')) {
    refuse('AMBIGUOUS', 'Every fader, or the master? Name the tracks, or say "the master".', [view.ctx.text.replace(/\b(everything|everyone|everybody|all)\b/i, 'the master')]);
  }
  if (targets.length === 0 && view.previous && view.has('it')) targets = view.previous.targets.filter((t) => t.kind === 'track' || t.kind === 'return' || t.kind === 'master');
  if (targets.length === 0) {
    refuse('NOT_UNDERSTOOD', 'Which track? Say its name, e.g. "bass down 3 dB".', view.ctx.index.tracks.slice(0, 2).map((t) => `${t.name} down 3 dB`));
  }
  return volumeFrame(view, targets);
}
