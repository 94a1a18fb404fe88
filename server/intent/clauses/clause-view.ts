import type { Key } from '../text/lexicon.ts';
import type { Token } from '../text/tokens.ts';
import { phraseOf, type NameIndex, type Named, type NamedKind } from '../names/name-index.ts';
import { CONFIDENT, NameMatcher, topTier, type Candidate } from '../names/match-names.ts';
import type { SetValues } from '../set-values.ts';
import { refuse, type Memory } from '../outcome.ts';
import type { Clause, IndexOf, Item } from './items.ts';

export interface ParseContext {
  /** The sentence as normalised (token offsets point into it). */
  text: string;
  tokens: Token[];
  index: NameIndex;
  matcher: NameMatcher;
  values: SetValues;
}

const PREPOSITIONS: ReadonlySet<Key> = new Set(['to', 'of', 'on_or_at', 'in', 'at', 'from', 'for', 'into', 'with', 'by']);

/** A run of words (and claimed names) that must name things, with the preposition before it. */
export interface Mention {
  parts: Array<Extract<Item, { t: 'word' } | { t: 'name' }>>;
  prep: Key | null;
  from: number;
  to: number;
}

/** One thing a mention named, with the words that named it. */
export interface Pick {
  named: Named;
  from: number;
  to: number;
  /** Matched by an exact name, a plural or a synonym (not a prefix or a typo). */
  confident: boolean;
}

interface Segment { words: string[]; from: number; to: number; candidates: Candidate[] }

/** What the interpreters ask of a clause: its keys, numbers and names, resolved against the set. */
export class ClauseView {
  readonly keySet: Set<Key>;
  readonly clause: Clause;

  constructor(clause: Clause, readonly ctx: ParseContext, readonly previous: Memory | null) {
    this.clause = { ...clause, items: readOn(clause.items) };
    this.keySet = new Set(this.clause.items.filter((i) => i.t === 'key').map((i) => (i as { key: Key }).key));
  }

  get items(): Item[] {
    return this.clause.items;
  }

  has(...keys: Key[]): boolean {
    return keys.some((k) => this.keySet.has(k));
  }

  keyItem(key: Key): Extract<Item, { t: 'key' }> | undefined {
    return this.items.find((i): i is Extract<Item, { t: 'key' }> => i.t === 'key' && i.key === key);
  }

  numbers(): Array<Extract<Item, { t: 'num' }>> {
    return this.items.filter((i): i is Extract<Item, { t: 'num' }> => i.t === 'num');
  }

  indexes(of?: IndexOf): Array<Extract<Item, { t: 'index' }>> {
    return this.items.filter((i): i is Extract<Item, { t: 'index' }> => i.t === 'index' && (of === undefined || i.of === of));
  }

  /** The key that comes directly before an item, fillers skipped. */
  keyBefore(item: Item): Key | null {
    const at = this.items.indexOf(item);
    for (let i = at - 1; i >= 0; i--) {
      const it = this.items[i]!;
      if (it.t === 'key' && it.key === 'filler') continue;
      return it.t === 'key' ? it.key : null;
    }
    return null;
  }

  mentions(): Mention[] {
    const out: Mention[] = [];
    let run: Mention | null = null;
    let lastKey: Key | null = null;
    for (const item of this.items) {
      if (item.t === 'word' || item.t === 'name') {
        if (!run) {
          run = { parts: [], prep: lastKey && PREPOSITIONS.has(lastKey) ? lastKey : null, from: item.from, to: item.to };
          out.push(run);
        }
        run.parts.push(item);
        run.to = item.to;
        continue;
      }
      run = null;
      if (item.t === 'key' && item.key === 'filler') continue;
      lastKey = item.t === 'key' ? item.key : null;
    }
    return out;
  }

  /** Words nothing explains: a mention nobody resolved. */
  hasMentions(): boolean {
    return this.items.some((i) => i.t === 'word' || i.t === 'name');
  }

  /**
   * Resolves a mention to the things it names among `kinds`: one per segment ("bass
   * compressor" is Bass and a Compressor). Words that name nothing of those kinds are
   * refused NO_MATCH with the nearest names; a tie is refused AMBIGUOUS.
   */
  resolve(mention: Mention, kinds: readonly NamedKind[], what: string): Pick[] {
    const wanted = new Set(kinds);
    const segments = this.segments(mention, wanted);
    const picks: Pick[] = [];
    for (const segment of segments) {
      if (segment.candidates.length === 0) this.noMatch(segment, wanted, what);
      const tier = topTier(segment.candidates);
      if (tier.length > 1) this.ambiguous(segment, tier);
      const best = tier[0]!;
      picks.push({ named: best.named, from: segment.from, to: segment.to, confident: best.score >= CONFIDENT });
    }
    return picks;
  }

  /** Like resolve, but words that fit none of `kinds` are returned instead of refused. */
  resolveLoose(mention: Mention, kinds: readonly NamedKind[]): { picks: Pick[]; rest: Segment[] } {
    const segments = this.segments(mention, new Set(kinds));
    const picks: Pick[] = [];
    const rest: Segment[] = [];
    for (const segment of segments) {
      if (segment.candidates.length === 0) { rest.push(segment); continue; }
      const tier = topTier(segment.candidates);
      if (tier.length > 1) this.ambiguous(segment, tier);
      picks.push({ named: tier[0]!.named, from: segment.from, to: segment.to, confident: tier[0]!.score >= CONFIDENT });
    }
    return { picks, rest };
  }

  /** Every kind, never refusing: for saying which words were known. */
  resolveLooseQuiet(mention: Mention): { picks: Pick[]; rest: Segment[] } {
    const segments = this.segments(mention, new Set(['track', 'return', 'master', 'scene', 'clip', 'cue_point', 'device']));
    const picks: Pick[] = [];
    const rest: Segment[] = [];
    for (const s of segments) {
      const best = s.candidates[0];
      if (best) picks.push({ named: best.named, from: s.from, to: s.to, confident: best.score >= CONFIDENT });
      else rest.push(s);
    }
    return { picks, rest };
  }

  /** The thing a position names ("track 3", "the last scene", "return B"). */
  byIndex(item: Extract<Item, { t: 'index' }>): Named {
    const list = item.of === 'track' ? this.ctx.index.tracks : item.of === 'scene' ? this.ctx.index.scenes : item.of === 'return' ? this.ctx.index.returns : item.of === 'cue' ? this.ctx.index.cues : null;
    if (!list) refuse('NOT_UNDERSTOOD', `"${this.slice(item.from, item.to)}" is not something Roomtone can point at by number here.`);
    const n = item.n === -1 ? list.length : item.n;
    const named = list[n - 1];
    if (!named) {
      const noun = item.of === 'cue' ? 'locator' : item.of;
      refuse('NO_MATCH', `There is no ${noun} ${item.of === 'return' ? String.fromCharCode(64 + n) : n}: the set has ${list.length} ${noun}${list.length === 1 ? '' : 's'}.`, list.slice(0, 4).map((x) => this.substitute(item.from, item.to, phraseOf(this.ctx.index, x))));
    }
    return named;
  }

  /** The sentence as typed between two token positions. */
  slice(from: number, to: number): string {
    const first = this.ctx.tokens[from];
    const last = this.ctx.tokens[to - 1];
    if (!first || !last) return '';
    return this.ctx.text.slice(first.start, last.end);
  }

  /** The whole sentence with the words between two token positions replaced. */
  substitute(from: number, to: number, words: string): string {
    const first = this.ctx.tokens[from];
    const last = this.ctx.tokens[to - 1];
    if (!first || !last) return words;
    let head = this.ctx.text.slice(0, first.start);
    // A suggestion is a whole name ("Drums", "the master", "Lead in Chorus"): the "the" before it goes.
    head = head.replace(/\bthe\s*$/i, '');
    return `${head}${words}${this.ctx.text.slice(last.end)}`.replace(/\s+/g, ' ').trim();
  }

  private segments(mention: Mention, kinds: ReadonlySet<NamedKind>): Segment[] {
    const out: Segment[] = [];
    let words: Array<{ w: string; at: number }> = [];
    const flush = (): void => {
      if (words.length > 0) out.push(...this.split(words, kinds));
      words = [];
    };
    for (const part of mention.parts) {
      if (part.t === 'word') { words.push({ w: part.w, at: part.from }); continue; }
      const named = part.named.filter((n) => kinds.has(n.kind));
      if (named.length > 0) {
        flush();
        out.push({ words: part.words, from: part.from, to: part.to, candidates: named.map((n) => ({ named: n, score: 100 })) });
        continue;
      }
      // A name of another kind ("Bass Chorus" is a clip): its words may still name a track and a scene.
      part.words.forEach((w, k) => words.push({ w, at: part.from + k }));
    }
    flush();
    return out;
  }

  /** Best split of a run of words into names: fewest pieces, most words named, best fits. */
  private split(words: Array<{ w: string; at: number }>, kinds: ReadonlySet<NamedKind>): Segment[] {
    const n = Math.min(words.length, 12);
    const best: Array<{ value: number; segs: Segment[] }> = [{ value: 0, segs: [] }];
    for (let i = 1; i <= n; i++) {
      let top: { value: number; segs: Segment[] } | null = null;
      for (let j = Math.max(0, i - 6); j < i; j++) {
        const span = words.slice(j, i);
        const candidates = this.ctx.matcher.match(span.map((x) => x.w), kinds);
        const segValue = candidates.length > 0 ? candidates[0]!.score * (i - j) : 0;
        const value = best[j]!.value + segValue - 1;
        if (!top || value > top.value) {
          top = { value, segs: [...best[j]!.segs, { words: span.map((x) => x.w), from: span[0]!.at, to: span[span.length - 1]!.at + 1, candidates }] };
        }
      }
      best.push(top!);
    }
    // unknown neighbours read as one unknown phrase ("the trumpet section")
    const segs: Segment[] = [];
    for (const s of best[n]!.segs) {
      const last = segs[segs.length - 1];
      if (last && last.candidates.length === 0 && s.candidates.length === 0) {
        last.words.push(...s.words);
        last.to = s.to;
      } else segs.push(s);
    }
    return segs;
  }

  private noMatch(segment: Segment, kinds: ReadonlySet<NamedKind>, what: string): never {
    const said = this.slice(segment.from, segment.to) || segment.words.join(' ');
    // The words may name something of another kind: say so.
    const elsewhere = this.ctx.matcher.match(segment.words).filter((c) => !kinds.has(c.named.kind));
    const { close, some } = nearest(this.ctx.index, segment.words, kinds);
    const suggestions = close.map((n) => this.substitute(segment.from, segment.to, phraseOf(this.ctx.index, n)));
    const other = elsewhere[0];
    const otherText = other ? ` (${other.named.name || said} is ${article(kindWord(other.named.kind))}, not ${article(what)})` : '';
    const hint = close.length > 0
      ? ` Did you mean ${orList(close.map((x) => x.name || phraseOf(this.ctx.index, x)))}?`
      : some.length > 0 ? ` The set has ${andList(some.map((x) => x.name || phraseOf(this.ctx.index, x)))}${some.length === 8 ? ' and more' : ''}.` : '';
    refuse('NO_MATCH', `No ${what} called "${said}"${otherText}.${hint}`, suggestions);
  }

  private ambiguous(segment: Segment, tier: Candidate[]): never {
    const said = this.slice(segment.from, segment.to) || segment.words.join(' ');
    const labels = tier.slice(0, 5).map((c) => c.named.label);
    refuse('AMBIGUOUS', `"${said}" could be ${orList(labels)}. Which one?`, tier.slice(0, 5).map((c) => this.substitute(segment.from, segment.to, phraseOf(this.ctx.index, c.named))));
  }
}

/**
 * "on" is a state at the end of a clause ("turn the drums back on", "metronome on") and a
 * preposition before a name ("reverb on the vocals").
 */
function readOn(items: Item[]): Item[] {
  return items.map((item, i) => {
    if (item.t !== 'key' || item.key !== 'on_or_at') return item;
    const after = items.slice(i + 1).filter((x) => !(x.t === 'key' && x.key === 'filler'));
    return after.length === 0 ? { ...item, key: 'on' } : item;
  });
}

/**
 * Names of the wanted kinds close to the words, for "did you mean" (and sentences to say
 * instead); when none is close, a few of the names there are, so the person sees what
 * the set calls things without being offered a guess.
 */
function nearest(index: NameIndex, words: readonly string[], kinds: ReadonlySet<NamedKind>): { close: Named[]; some: Named[] } {
  const said = words.join(' ');
  const named = index.all().filter((n) => kinds.has(n.kind) && n.name && n.kind !== 'clip' && n.kind !== 'device');
  const scored = named
    .map((n) => ({ n, d: closeness(said, n.name.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.n.index - b.n.index);
  const close = scored.filter((s) => s.d <= 0.5).slice(0, 3).map((s) => s.n);
  return { close, some: close.length > 0 ? [] : named.slice(0, 8) };
}

/** 0 = same, 1 = nothing in common: edit distance over the longer length. */
function closeness(a: string, b: string): number {
  const longest = Math.max(a.length, b.length, 1);
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prev = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const row = [i];
    for (let j = 1; j < cols; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[cols - 1]! / longest;
}

function kindWord(kind: NamedKind): string {
  switch (kind) {
    case 'cue_point': return 'locator';
    case 'return': return 'return track';
    case 'master': return 'master track';
    default: return kind;
  }
}

function article(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
