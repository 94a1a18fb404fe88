import type { Token } from '../text/tokens.ts';
import { AUXILIARIES, lookupPhrase, MAX_PHRASE_WORDS, NOUN_KEYS, SEPARATORS, SEPARATOR_PAIRS, type Key } from '../text/lexicon.ts';
import type { NameIndex, Named } from '../names/name-index.ts';
import { canonical, wordFit } from '../names/similarity.ts';
import type { Clause, IndexOf, Item, Unit } from './items.ts';

const UNIT_OF: Partial<Record<Key, Unit>> = { db: 'db', percent: 'percent', bpm: 'bpm', hz: 'hz', khz: 'khz', ms: 'ms', seconds: 'seconds', semitones: 'semitones' };
const INDEX_OF: Partial<Record<Key, IndexOf>> = { track_word: 'track', scene_word: 'scene', return_word: 'return', clip_word: 'clip', slot_word: 'slot', macro_word: 'macro', bar: 'bar', beat: 'beat', marker: 'cue' };
/** Keys that make a clause more than a list of names. */
const WEAK: ReadonlySet<Key> = new Set(['filler', 'set', 'it', 'all', 'track_word', 'scene_word', 'return_word', 'clip_word', 'again', 'in', 'on_or_at', 'of', 'for', 'with', 'only']);

type Sep = { t: 'sep' };

/**
 * Splits a sentence into clauses of items. Names the set has that span several words
 * ("Chorus 2", "Glue Compressor", even "Drum and Bass") are claimed before anything
 * else, so an "and" inside a name does not split it; a clause that is only names
 * ("… and bass") joins the clause before it, or the one after it when it comes first.
 */
export function readSentence(tokens: readonly Token[], index: NameIndex): Clause[] {
  const asked = tokens.some((t) => t.w === '?');
  const claimed = claimNames(tokens, index);
  const flat: Array<Item | Sep> = [];
  let sawAll = false;
  for (let i = 0; i < tokens.length;) {
    const name = claimed.get(i);
    if (name) {
      flat.push(name);
      i = name.to;
      continue;
    }
    const t = tokens[i]!;
    if (t.w === '?') { i++; continue; }
    if (t.punct || SEPARATORS.has(t.w)) { flat.push({ t: 'sep' }); i++; continue; }
    const pair = `${t.w} ${tokens[i + 1]?.w ?? ''}`;
    if (SEPARATOR_PAIRS.has(pair)) { flat.push({ t: 'sep' }); i += 2; continue; }
    if (t.frac) { flat.push({ t: 'frac', n: t.frac[0], d: t.frac[1], from: i, to: i + 1 }); i++; continue; }
    if (t.num !== undefined) { flat.push({ t: 'num', value: t.num, signed: !!t.signed, unit: null, from: i, to: i + 1 }); i++; continue; }
    if (t.ordinal !== undefined) { flat.push({ t: 'ord', n: t.ordinal, from: i, to: i + 1 }); i++; continue; }
    if (t.w === 'last' || t.w === 'final') { flat.push({ t: 'ord', n: -1, from: i, to: i + 1 }); i++; continue; }
    const prev = flat[flat.length - 1];
    if (AUXILIARIES.has(t.w) && (!prev || prev.t === 'sep' || (prev.t === 'key' && prev.key === 'filler' && flat.every((x) => x.t === 'key' && x.key === 'filler')))) {
      flat.push({ t: 'key', key: 'question', word: t.w, from: i, to: i + 1 });
      i++;
      continue;
    }
    if (t.w === 'but') {
      flat.push(sawAll ? { t: 'key', key: 'except', word: 'but', from: i, to: i + 1 } : { t: 'word', w: t.w, raw: t.raw, from: i, to: i + 1 });
      i++;
      continue;
    }
    const phrase = longestPhrase(tokens, i, claimed);
    if (phrase) {
      if (phrase.t === 'key' && phrase.key === 'all') sawAll = true;
      flat.push(phrase);
      i = phrase.to;
      continue;
    }
    flat.push({ t: 'word', w: t.w, raw: t.raw, from: i, to: i + 1 });
    i++;
  }
  const clauses = dropAddress(mergeNameOnly(splitAtSeparators(readIndexes(attachUnits(flat), tokens))));
  return clauses.map((items, k) => ({ items, question: startsAsQuestion(items) || (asked && k === clauses.length - 1 && !politeRequest(items)) }));
}

/** Words that address the room rather than ask for anything: "ok everyone, from the top", "right, …". */
const ADDRESS = new Set(['everyone', 'everybody']);

/**
 * Drops clauses that only address people ("ok everyone", "alright", a leading "right")
 * when something else was said: they carry no command, and read alone they are "all".
 */
function dropAddress(clauses: Item[][]): Item[][] {
  const addressOnly = (clause: Item[], k: number): boolean => clause.every((i) => i.t === 'key' && (i.key === 'filler' || (i.key === 'all' && ADDRESS.has(i.word)) || (k === 0 && i.key === 'right' && i.word === 'right')));
  const kept = clauses.filter((clause, k) => !addressOnly(clause, k));
  return kept.length > 0 ? kept : clauses;
}

/** Openers of a request, not a question: "can you turn the bass up a bit?" wants it done. */
const POLITE = new Set(['can', 'could', 'would', 'will', 'may', 'can we', 'could we']);

function politeRequest(items: readonly Item[]): boolean {
  const first = items[0];
  return first?.t === 'key' && first.key === 'filler' && POLITE.has(first.word);
}

function startsAsQuestion(items: readonly Item[]): boolean {
  const first = items.find((i) => !(i.t === 'key' && i.key === 'filler'));
  return first?.t === 'key' && first.key === 'question';
}

function longestPhrase(tokens: readonly Token[], at: number, claimed: ReadonlyMap<number, Item>): Item | null {
  for (let len = Math.min(MAX_PHRASE_WORDS, tokens.length - at); len >= 1; len--) {
    const span = tokens.slice(at, at + len);
    if (span.some((t, k) => t.punct || t.num !== undefined || t.frac || (k > 0 && claimed.has(at + k)))) continue;
    const entry = lookupPhrase(span.map((t) => t.w).join(' '));
    if (!entry) continue;
    return { t: 'key', key: entry.key, word: span.map((t) => t.w).join(' '), ...(entry.color !== undefined ? { color: entry.color } : {}), from: at, to: at + len };
  }
  // "%" is punctuation-like but a unit
  if (tokens[at]?.w === '%') return { t: 'key', key: 'percent', word: '%', from: at, to: at + 1 };
  return null;
}

/**
 * Names of two words or more, said exactly (plurals and synonyms allowed), and one-word
 * names that would otherwise read as a noun of the lexicon (a track called "Click").
 */
function claimNames(tokens: readonly Token[], index: NameIndex): Map<number, Item> {
  const claimed = new Map<number, Item>();
  for (let i = 0; i < tokens.length; i++) {
    const first = tokens[i]!;
    if (first.punct) continue;
    // "a reverb" is an article and a word, unless someone typed the letter: "A-Reverb", "A Reverb".
    if ((first.w === 'a' && first.raw !== 'A') || first.w === 'the' || first.w === 'an') continue;
    let bestLen = 0;
    let best: Named[] = [];
    for (const ref of index.byCanonical.get(canonical(first.w)) ?? []) {
      const words = ref.named.aliases[ref.alias]!.words;
      const single = words.length === 1 && NOUN_KEYS.has(lookupPhrase(first.w)?.key ?? 'filler') && words[0] === first.w;
      if (words.length < 2 && !single) continue;
      if (i + words.length > tokens.length || words.length < bestLen) continue;
      let ok = true;
      for (let k = 0; k < words.length; k++) {
        const t = tokens[i + k]!;
        if (t.punct || wordFit(t.w, words[k]!) < 0.92) { ok = false; break; }
      }
      if (!ok) continue;
      if (words.length > bestLen) { bestLen = words.length; best = []; }
      if (!best.includes(ref.named)) best.push(ref.named);
    }
    if (bestLen > 0) {
      claimed.set(i, { t: 'name', words: tokens.slice(i, i + bestLen).map((t) => t.w), named: best, from: i, to: i + bestLen });
      i += bestLen - 1;
    }
  }
  return claimed;
}

function attachUnits(flat: Array<Item | Sep>): Array<Item | Sep> {
  const out: Array<Item | Sep> = [];
  for (let i = 0; i < flat.length; i++) {
    const item = flat[i]!;
    const next = flat[i + 1];
    if (item.t === 'num' && next?.t === 'key' && UNIT_OF[next.key]) {
      out.push({ ...item, unit: UNIT_OF[next.key]!, to: next.to });
      i++;
      continue;
    }
    out.push(item);
  }
  return out;
}

/** "track 3", "scene two", "the third track", "last scene", "return B", "the A return", "macro 2", "bar 17". */
function readIndexes(flat: Array<Item | Sep>, tokens: readonly Token[]): Array<Item | Sep> {
  const out: Array<Item | Sep> = [];
  for (let i = 0; i < flat.length; i++) {
    const item = flat[i]!;
    const next = flat[i + 1];
    if (item.t === 'key' && INDEX_OF[item.key]) {
      const of = INDEX_OF[item.key]!;
      if (next?.t === 'num' && next.unit === null && !next.signed && Number.isInteger(next.value) && next.value >= 1) {
        out.push({ t: 'index', of, n: next.value, from: item.from, to: next.to });
        i++;
        continue;
      }
      // After "return", a lone "a" is the letter, not an article ("turn down return a").
      if (of === 'return' && next && (next.t === 'word' || next.t === 'key') && isLetter(next, tokens, true)) {
        out.push({ t: 'index', of, n: letterIndex(next, tokens), from: item.from, to: next.to });
        i++;
        continue;
      }
    }
    if (item.t === 'ord' && next?.t === 'key' && INDEX_OF[next.key]) {
      out.push({ t: 'index', of: INDEX_OF[next.key]!, n: item.n, from: item.from, to: next.to });
      i++;
      continue;
    }
    if ((item.t === 'word' || item.t === 'key') && isLetter(item, tokens) && next?.t === 'key' && next.key === 'return_word') {
      out.push({ t: 'index', of: 'return', n: letterIndex(item, tokens), from: item.from, to: next.to });
      i++;
      continue;
    }
    out.push(item);
  }
  return out;
}

/**
 * A single letter naming a return: b–l as typed, or "A" in capitals (a lower-case "a" is
 * an article), except straight after "return", where an article has no place.
 */
function isLetter(item: Item, tokens: readonly Token[], afterReturn = false): boolean {
  if (item.to - item.from !== 1) return false;
  const t = tokens[item.from]!;
  if (!/^[a-l]$/.test(t.w)) return false;
  return t.w !== 'a' || t.raw === 'A' || afterReturn;
}

function letterIndex(item: Item, tokens: readonly Token[]): number {
  return tokens[item.from]!.w.charCodeAt(0) - 96;
}

function splitAtSeparators(flat: Array<Item | Sep>): Item[][] {
  const out: Item[][] = [[]];
  for (const item of flat) {
    if (item.t === 'sep') {
      if (out[out.length - 1]!.length > 0) out.push([]);
      continue;
    }
    out[out.length - 1]!.push(item);
  }
  return out.filter((c) => c.length > 0);
}

/** A clause of names only: "mute drums and bass" → the "bass" joins "mute drums". */
function mergeNameOnly(clauses: Item[][]): Item[][] {
  const out: Item[][] = [];
  let carry: Item[] = [];
  for (const clause of clauses) {
    if (isNameOnly(clause)) {
      const last = out[out.length - 1];
      if (last) last.push(boundary(clause), ...clause);
      else carry = carry.length > 0 ? [...carry, boundary(clause), ...clause] : [...clause];
      continue;
    }
    out.push(carry.length > 0 ? [...carry, boundary(clause), ...clause] : clause);
    carry = [];
  }
  if (carry.length > 0) out.push(carry);
  return out;
}

/** Keeps two joined names apart ("drums" "bass" is not the name "drums bass"). */
function boundary(next: Item[]): Item {
  const at = next[0]?.from ?? 0;
  return { t: 'key', key: 'filler', word: 'and', from: at, to: at };
}

function isNameOnly(clause: Item[]): boolean {
  let names = 0;
  for (const item of clause) {
    if (item.t === 'word' || item.t === 'name' || (item.t === 'index' && item.of !== 'bar' && item.of !== 'beat')) { names++; continue; }
    if (item.t === 'key' && WEAK.has(item.key)) continue;
    return false;
  }
  return names > 0;
}
