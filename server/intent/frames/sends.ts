import { INTENT_COMMANDS_MAX } from '../../../protocol/index.ts';
import { andList, type ClauseView, type Pick } from '../clauses/clause-view.ts';
import type { Named } from '../names/name-index.ts';
import { refuse, type ClauseOutcome, type Planned } from '../outcome.ts';
import { STEPS, clamp, formatPercent, round4 } from './amounts.ts';
import { changeOf, type Change } from './direction.ts';
import { dedupe } from './targets.ts';

/** Which return a send goes to, and from which tracks. */
export interface SendShape {
  destination: Named;
  sources: Named[];
}

/**
 * Finds a send in what a clause names: one return and one or more tracks ("20% of keys
 * to reverb", "more reverb on the vocals", "vocals reverb up"). Two returns: the one
 * after "to" is where it goes. Returns null when the names are not that shape.
 */
export function sendShape(view: ClauseView, picks: Pick[], inherited: Named | undefined): SendShape | null {
  const letters = view.indexes('return').map((i) => view.byIndex(i));
  const returns = dedupe([...picks.filter((p) => p.named.kind === 'return').map((p) => p.named), ...letters]);
  const tracks = dedupe(picks.filter((p) => p.named.kind === 'track').map((p) => p.named));
  let destination: Named | undefined;
  let sources = tracks;
  if (returns.length === 1) destination = returns[0];
  else if (returns.length === 2 && tracks.length === 0) {
    const to = picks.find((p) => p.named.kind === 'return' && view.mentions().some((m) => m.from <= p.from && m.to >= p.to && (m.prep === 'to' || m.prep === 'into')));
    if (!to) return null;
    destination = to.named;
    sources = returns.filter((r) => r !== to.named);
  } else if (returns.length === 0 && inherited) destination = inherited;
  if (!destination || sources.length === 0) return null;
  return { destination, sources };
}

/** Send levels in percent (0..100% of the knob), absolute or relative. */
export function sendFrame(view: ClauseView, shape: SendShape, forced?: Change): ClauseOutcome {
  const numbers = view.numbers();
  for (const n of numbers) {
    if (n.unit === 'db') refuse('NOT_UNDERSTOOD', 'Sends go in percent: say "send 20% of keys to reverb" or "more reverb on the vocals".');
    if (n.unit !== null && n.unit !== 'percent') refuse('NOT_UNDERSTOOD', `A send does not go in ${n.unit}; say a percentage.`);
  }
  const dest = shape.destination;
  const sendIndex = dest.index - 1;
  let change = forced;
  if (!change) {
    // "send 20% of keys to reverb", "… and 30% of pad": a percentage of a track is where it goes.
    const pct = numbers[0];
    const ofAfter = pct ? view.items[view.items.indexOf(pct) + 1] : undefined;
    const some = !pct && view.has('some') && !view.has('up', 'down', 'more', 'less', 'louder', 'quieter', 'max', 'min', 'reset', 'half', 'halfway', 'double');
    if (some) change = { type: 'step', sign: 1, amount: 'normal' };
    else change = pct && (view.has('send') || pct.unit === 'percent' || (ofAfter?.t === 'key' && ofAfter.key === 'of')) && !view.has('up', 'down', 'more', 'less', 'louder', 'quieter')
      ? { type: 'absolute', value: pct.value, unit: pct.unit }
      : changeOf(view, numbers, { to: `send 20% of ${shape.sources[0]?.name ?? 'keys'} to ${dest.name}`, by: `more ${dest.name} on ${shape.sources[0]?.name ?? 'the keys'}` });
  }
  const commands: Planned[] = [];
  const says: string[] = [];
  for (const source of shape.sources) {
    const entity = view.ctx.values.entity(source.kind === 'return' ? 'return' : 'track', source.id);
    const sends = entity?.get('sends');
    if (!Array.isArray(sends) || sends.length <= sendIndex) refuse('NOT_UNDERSTOOD', `${source.label} has no send to ${dest.label}.`);
    const current = typeof sends[sendIndex] === 'number' ? (sends[sendIndex]) : 0;
    const { value, relative } = apply(change, current);
    const say = describe(change, source.label, dest.label, current, value);
    commands.push({ action: 'track.set_send', target: source.id, args: { index: sendIndex, value }, ...(relative && entity?.rev ? { baseRev: entity.rev } : {}), say });
    says.push(say);
  }
  if (commands.length > INTENT_COMMANDS_MAX) refuse('TOO_BROAD', `That would be ${commands.length} commands at once; name fewer tracks.`);
  return { commands, say: `${andList(says)}.`, memory: { family: 'send', targets: shape.sources, destination: dest } };
}

function apply(change: Change, current: number): { value: number; relative: boolean } {
  switch (change.type) {
    case 'absolute': {
      const fraction = change.value / 100;
      if (change.value < 0 || change.value > 100) refuse('NOT_UNDERSTOOD', 'A send goes from 0% to 100%.');
      return { value: round4(fraction), relative: false };
    }
    case 'relative': return { value: round4(clamp(current + change.delta / 100, 0, 1)), relative: true };
    case 'step': return { value: round4(clamp(current + change.sign * STEPS.send[change.amount], 0, 1)), relative: true };
    case 'half': return { value: round4(current / 2), relative: true };
    case 'halfway': return { value: 0.5, relative: false };
    case 'double': return { value: round4(clamp(current * 2, 0, 1)), relative: true };
    case 'max': return { value: 1, relative: false };
    case 'min': return { value: 0, relative: false };
    case 'reset': return { value: 0, relative: false };
  }
}

function describe(change: Change, source: string, dest: string, before: number, after: number): string {
  if (change.type === 'absolute' || change.type === 'max' || change.type === 'min' || change.type === 'reset' || change.type === 'halfway') {
    return after === 0 ? `No ${dest} on ${source} (send 0%)` : `Send ${formatPercent(after)} of ${source} to ${dest}`;
  }
  return `${after >= before ? 'More' : 'Less'} ${dest} on ${source} (send ${formatPercent(before)} to ${formatPercent(after)})`;
}
