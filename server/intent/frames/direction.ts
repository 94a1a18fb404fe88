import type { ClauseView } from '../clauses/clause-view.ts';
import type { Item } from '../clauses/items.ts';
import { refuse } from '../outcome.ts';
import { amountOf, type Amount } from './amounts.ts';

/**
 * What a level change asks for, before it knows the control: an exact value, a change
 * by a measured amount, or a step of a size said in words.
 */
export type Change =
  | { type: 'absolute'; value: number; unit: Extract<Item, { t: 'num' }>['unit'] }
  | { type: 'relative'; delta: number; unit: Extract<Item, { t: 'num' }>['unit'] }
  | { type: 'step'; sign: 1 | -1; amount: Amount }
  | { type: 'max' }
  | { type: 'min' }
  | { type: 'reset' }
  | { type: 'half' }
  /** "half way": the middle of the control's travel, not half its value. */
  | { type: 'halfway' }
  | { type: 'double' };

/** Up or down, from "up", "louder", "more", "boost", "down", "quieter", "less", "cut … by", "drop". */
function directionOf(view: ClauseView): 1 | -1 | 0 {
  const up = view.has('up', 'louder', 'more');
  const down = view.has('down', 'quieter', 'less', 'cut', 'drop');
  if (up && down) refuse('AMBIGUOUS', 'Up or down? The words say both.');
  return up ? 1 : down ? -1 : 0;
}

/**
 * Reads the change a clause asks for. `numbers` are the clause's values for this
 * control (units already checked by the caller). Signed numbers without "to" or a
 * direction are asked about: "bass -3 dB" might be "to -3 dB" or "down 3 dB".
 */
export function changeOf(view: ClauseView, numbers: Array<Extract<Item, { t: 'num' }>>, example: { to: string; by: string }): Change {
  const sign = directionOf(view);
  const num = numbers[numbers.length - 1];
  if (numbers.length > 1) refuse('NOT_UNDERSTOOD', `Which value: ${numbers.map((n) => String(n.value)).join(' or ')}?`);
  if (num) {
    const before = view.keyBefore(num);
    // "down to -10 dB", "up to 0": the number after "to" is where it goes; "down 3", "up by 2" how far.
    if (before === 'to' || before === 'at') return { type: 'absolute', value: num.value, unit: num.unit };
    if (sign !== 0) return { type: 'relative', delta: sign * Math.abs(num.value), unit: num.unit };
    if (before === 'set' || view.has('to', 'at')) return { type: 'absolute', value: num.value, unit: num.unit };
    if (before === 'by') refuse('NOT_UNDERSTOOD', `Up or down by ${Math.abs(num.value)}? Say "${example.by}".`);
    const said = view.slice(num.from, num.to);
    refuse('AMBIGUOUS', `"${said}": set it to that, or change it by that?`, [
      view.substitute(num.from, num.to, `to ${said}`),
      view.substitute(num.from, num.to, `${num.value < 0 ? 'down' : 'up'} ${said.replace(/^[-+]\s*/, '').replace(/^(minus|plus)\s+/i, '')}`),
    ]);
  }
  if (view.has('max')) return { type: 'max' };
  if (view.has('min')) return { type: 'min' };
  if (view.has('reset', 'unity')) return { type: 'reset' };
  if (view.has('halfway')) return { type: 'halfway' };
  if (view.has('half')) return { type: 'half' };
  if (view.has('double')) return { type: 'double' };
  if (sign !== 0) return { type: 'step', sign, amount: amountOf(view) };
  refuse('NOT_UNDERSTOOD', `To what, or by how much? Say "${example.to}" or "${example.by}".`, [example.to, example.by]);
}
