import { randomInt } from 'node:crypto';

/** Digits only: a join code is typed on tablets and read off a projector. */
export function newDigits(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += String(randomInt(10));
  return out;
}
