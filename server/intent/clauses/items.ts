import type { Key } from '../text/lexicon.ts';
import type { Named } from '../names/name-index.ts';

export type Unit = 'db' | 'percent' | 'bpm' | 'hz' | 'khz' | 'ms' | 'seconds' | 'semitones';
export type IndexOf = 'track' | 'scene' | 'return' | 'clip' | 'slot' | 'macro' | 'bar' | 'beat' | 'cue';

/**
 * A sentence read into parts: words that carry meaning (keys), numbers with their unit,
 * references by position ("track 3", "the last scene", "return B"), names the set has
 * (claimed whole, "Chorus 2"), and the words left over, which must name something.
 * `from`/`to` are token positions, for slicing new names out of the text as typed.
 */
export type Item =
  | { t: 'key'; key: Key; word: string; color?: number; from: number; to: number }
  | { t: 'num'; value: number; signed: boolean; unit: Unit | null; from: number; to: number }
  | { t: 'frac'; n: number; d: number; from: number; to: number }
  | { t: 'index'; of: IndexOf; n: number; from: number; to: number }
  | { t: 'name'; words: string[]; named: Named[]; from: number; to: number }
  | { t: 'word'; w: string; raw: string; from: number; to: number }
  | { t: 'ord'; n: number; from: number; to: number };

export interface Clause {
  items: Item[];
  /** Ends in a question mark or starts like a question. */
  question: boolean;
}

