import { JoinThrottle } from './join-throttle.ts';
import { PinBudget } from './pin-budget.ts';

/**
 * What stands between a guesser and the room. Wrong join codes and wrong PINs count
 * apart, so a PIN guesser never shuts out members who know the code (H3):
 *
 * - `codes`: per address. Sized for a class of 30 behind one school address that mistype
 *   now and then (20 wrong codes a minute before a pause), slow for a guesser of a
 *   6-digit code (years).
 * - `pins`: per address, 5 wrong PINs a minute; pauses only host joins from there.
 * - `pinBudget`: the whole room's wrong PINs, however many addresses they come from.
 */
export interface JoinGuards {
  codes: JoinThrottle;
  pins: JoinThrottle;
  pinBudget: PinBudget;
}

export function newJoinGuards(): JoinGuards {
  return { codes: new JoinThrottle({ maxFailures: 20 }), pins: new JoinThrottle({ maxFailures: 5 }), pinBudget: new PinBudget() };
}
