import { INTENT_COMMANDS_MAX, UNITY_VOLUME, dbToVolume, volumeToDb } from '../../../protocol/index.ts';
import { andList, type ClauseView } from '../clauses/clause-view.ts';
import type { Named } from '../names/name-index.ts';
import { refuse, type ClauseOutcome, type Planned } from '../outcome.ts';
import { STEPS, clamp, formatDb, round4 } from './amounts.ts';
import { changeOf, type Change } from './direction.ts';

/** The quietest a relative step starts from when the fader is all the way down. */
const FLOOR_DB = -60;

/**
 * Faders in dB, on Live's own curve (protocol/volume-law.ts). Relative changes start from
 * where the fader is now and carry its rev, so a fader that moved after the preview is
 * refused CONFLICT instead of jumping.
 */
export function volumeFrame(view: ClauseView, targets: Named[]): ClauseOutcome {
  const numbers = view.numbers();
  for (const n of numbers) {
    if (n.unit === 'percent') refuse('NOT_UNDERSTOOD', 'Faders go in dB: say "to -6 dB" or "down 3 dB" (0 dB is where Live\'s fader rests).', [view.substitute(n.from, n.to, '-6 dB')]);
    if (n.unit !== null && n.unit !== 'db') refuse('NOT_UNDERSTOOD', `A fader does not go in ${n.unit}; say dB.`);
  }
  const example = { to: `${targets[0]?.name ?? 'bass'} to -6 dB`, by: `${targets[0]?.name ?? 'bass'} down 3 dB` };
  const change = changeOf(view, numbers, example);
  if (change.type === 'halfway') {
    // The fader's middle is about -14 dB, which is not what most people mean by "half way" ("half as loud"?): ask.
    const name = targets[0]?.name ?? 'bass';
    refuse('AMBIGUOUS', `Half way up the fader is ${formatDb(volumeToDb(0.5))}; did you mean that, or a step down? Say it in dB.`, [`${name} to ${formatDb(volumeToDb(0.5))}`, `${name} down 6 dB`]);
  }
  const commands: Planned[] = [];
  const sayParts: string[] = [];
  for (const target of targets) {
    const kind = target.kind === 'master' ? 'master' : target.kind === 'return' ? 'return' : 'track';
    const entity = view.ctx.values.entity(kind, target.id);
    const current = entity?.number('volume');
    if (current === undefined) refuse('NO_MATCH', `${target.label} has no volume in the set right now.`);
    const next = apply(change, current);
    const say = describe(target.label, change, current, next.value, next.clamped);
    commands.push({ action: 'track.set_volume', target: target.id, args: { value: next.value }, ...(next.relative && entity?.rev ? { baseRev: entity.rev } : {}), say });
    sayParts.push(say);
  }
  if (commands.length > INTENT_COMMANDS_MAX) refuse('TOO_BROAD', `That would move ${commands.length} faders at once; name fewer.`);
  return { commands, say: `${andList(sayParts)}.`, memory: { family: 'volume', targets } };
}

function apply(change: Change, current: number): { value: number; relative: boolean; clamped: boolean } {
  const now = Math.max(volumeToDb(current), FLOOR_DB);
  const fromDb = (db: number, relative: boolean): { value: number; relative: boolean; clamped: boolean } => {
    const clamped = db > 6 || db < -70;
    return { value: round4(dbToVolume(clamp(db, -Infinity, 6))), relative, clamped };
  };
  switch (change.type) {
    case 'absolute': {
      if (change.value > 6) refuse('NOT_UNDERSTOOD', `Live's fader goes up to +6 dB; ${change.value} dB is past the top.`);
      return fromDb(change.value, false);
    }
    case 'relative': return fromDb(now + change.delta, true);
    case 'step': return fromDb(now + change.sign * STEPS.db[change.amount], true);
    case 'half': return fromDb(now - 6, true);
    case 'halfway': return { value: 0.5, relative: false, clamped: false };
    case 'double': return fromDb(now + 6, true);
    case 'max': return { value: 1, relative: false, clamped: false };
    case 'min': return { value: 0, relative: false, clamped: false };
    case 'reset': return { value: UNITY_VOLUME, relative: false, clamped: false };
  }
}

function describe(label: string, change: Change, before: number, after: number, clamped: boolean): string {
  const from = formatDb(volumeToDb(before));
  const to = formatDb(volumeToDb(after));
  const edge = clamped ? (after >= 1 ? ', the top of the fader' : ', the bottom of the fader') : '';
  switch (change.type) {
    case 'absolute': return `${label} to ${to}`;
    case 'max': return `${label} all the way up (${to})`;
    case 'min': return `${label} all the way down (off)`;
    case 'reset': return `${label} back to 0 dB`;
    default: {
      if (after === 0) return `${label} all the way down (off, from ${from})`;
      const delta = Math.round((volumeToDb(after) - Math.max(volumeToDb(before), FLOOR_DB)) * 10) / 10;
      const dir = delta >= 0 ? 'up' : 'down';
      return `${label} ${dir} ${formatDb(Math.abs(delta)).replace('+', '')} (${from} to ${to}${edge})`;
    }
  }
}
