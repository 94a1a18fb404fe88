import { INTENT_COMMANDS_MAX } from '../../../protocol/index.ts';
import { andList, type ClauseView } from '../clauses/clause-view.ts';
import type { Named } from '../names/name-index.ts';
import { refuse, type ClauseOutcome, type Planned } from '../outcome.ts';
import { STEPS, amountOf, clamp, formatPan, round4 } from './amounts.ts';

/**
 * Pan as people say it: "hard left", "center", "30% right", "25 left" (Live's own
 * display runs 50L..C..50R, so 25 left is halfway), "a bit more to the right".
 */
export function panFrame(view: ClauseView, targets: Named[]): ClauseOutcome {
  const left = view.has('left');
  const right = view.has('right');
  if (left && right) refuse('AMBIGUOUS', 'Left or right? The words say both.');
  const side = left ? -1 : right ? 1 : 0;
  const numbers = view.numbers();
  for (const n of numbers) if (n.unit !== null && n.unit !== 'percent') refuse('NOT_UNDERSTOOD', `Pan does not go in ${n.unit}; say "30% left" or "hard right".`);
  if (numbers.length > 1) refuse('NOT_UNDERSTOOD', 'Which value? Say one pan position, e.g. "pan guitar 30% left".');
  const num = numbers[0];
  const relative = view.has('more', 'tiny', 'small', 'large', 'up', 'down') && !view.has('hard');
  const commands: Planned[] = [];
  const says: string[] = [];
  for (const target of targets) {
    const kind = target.kind === 'master' ? 'master' : target.kind === 'return' ? 'return' : 'track';
    const entity = view.ctx.values.entity(kind, target.id);
    const current = entity?.number('pan');
    if (current === undefined) refuse('NO_MATCH', `${target.label} has no pan in the set right now.`);
    let value: number;
    let isRelative = false;
    if (view.has('center', 'reset')) value = 0;
    else if (num) {
      const magnitude = Math.abs(num.value);
      if (magnitude > 100) refuse('NOT_UNDERSTOOD', 'Pan goes from 100% left to 100% right (50L to 50R in Live).');
      const fraction = num.unit === 'percent' || magnitude > 50 ? magnitude / 100 : magnitude / 50;
      const dir = side !== 0 ? side : num.signed && num.value < 0 ? -1 : num.signed ? 1 : 0;
      if (dir === 0) refuse('AMBIGUOUS', `Pan ${magnitude} left or right?`, [view.substitute(num.from, num.to, `${num.value} left`), view.substitute(num.from, num.to, `${num.value} right`)]);
      if (relative) { value = current + dir * fraction; isRelative = true; } else value = dir * fraction;
    } else if (side !== 0) {
      if (relative) { value = current + side * STEPS.pan[amountOf(view)]; isRelative = true; } else if (view.has('half', 'halfway')) value = side * 0.5;
      else value = side;
    } else refuse('NOT_UNDERSTOOD', 'Pan where? Say "hard left", "center" or "30% right".', [`pan ${target.name} hard left`, `pan ${target.name} center`]);
    value = round4(clamp(value, -1, 1));
    const say = `Pan ${target.label} ${describe(value, view.has('hard') || (!num && !isRelative && Math.abs(value) === 1))}`;
    commands.push({ action: 'track.set_pan', target: target.id, args: { value }, ...(isRelative && entity?.rev ? { baseRev: entity.rev } : {}), say });
    says.push(say);
  }
  if (commands.length > INTENT_COMMANDS_MAX) refuse('TOO_BROAD', `That would be ${commands.length} commands at once; name fewer tracks.`);
  return { commands, say: `${andList(says)}.`, memory: { family: 'pan', targets } };
}

function describe(value: number, hard: boolean): string {
  if (value === 0) return 'to the center';
  if (hard && Math.abs(value) === 1) return `hard ${value < 0 ? 'left' : 'right'} (${formatPan(value)})`;
  return `to ${formatPan(value)}`;
}
