import type { NameIndex, Named, NamedKind } from './name-index.ts';
import { canonical, wordFit } from './similarity.ts';

/** A thing in the set and how well the words fit it (0..100). */
export interface Candidate {
  named: Named;
  score: number;
}

/** Below this, words do not name a thing at all. */
export const MATCH_FLOOR = 65;
/** Exact, plural or synonym: what a destructive command needs. */
export const CONFIDENT = 92;
/** Two readings this close are a tie: ask, do not guess. */
export const TIE_MARGIN = 4;

/**
 * Scores every name that the words could mean. Each word must fit a word of the name,
 * in order and side by side; saying fewer words than the name has ("glue" for Glue
 * Compressor) costs a little, a prefix or a typo costs more.
 */
export class NameMatcher {
  /** Per word: the vocabulary words it fits, and how well. Kept for one parse. */
  private readonly fits = new Map<string, Map<string, number>>();
  private vocabulary: string[] | null = null;

  constructor(readonly index: NameIndex) {}

  match(words: readonly string[], kinds?: ReadonlySet<NamedKind>): Candidate[] {
    if (words.length === 0) return [];
    const best = new Map<Named, number>();
    for (const ref of this.aliasRefs(words)) {
      if (kinds && !kinds.has(ref.named.kind)) continue;
      const alias = ref.named.aliases[ref.alias]!;
      if (alias.whole && words.length !== alias.words.length) continue;
      const score = this.score(words, alias.words) * alias.weight;
      if (score >= MATCH_FLOOR && score > (best.get(ref.named) ?? 0)) best.set(ref.named, score);
    }
    return [...best].map(([named, score]) => ({ named, score })).sort((a, b) => b.score - a.score || a.named.index - b.named.index);
  }

  /** The aliases that share at least one fitting word with `words`. */
  private aliasRefs(words: readonly string[]): Set<{ named: Named; alias: number }> {
    const refs = new Set<{ named: Named; alias: number }>();
    for (const word of words) {
      for (const v of this.fitting(word).keys()) for (const ref of this.index.vocabulary.get(v) ?? []) refs.add(ref);
    }
    return refs;
  }

  private fitting(word: string): Map<string, number> {
    const cached = this.fits.get(word);
    if (cached) return cached;
    const found = new Map<string, number>();
    if (this.index.vocabulary.has(word)) found.set(word, 1);
    for (const ref of this.index.byCanonical.get(canonical(word)) ?? []) {
      for (const v of ref.named.aliases[ref.alias]!.words) if (!found.has(v) && canonical(v) === canonical(word)) found.set(v, wordFit(word, v));
    }
    // A word that is itself a word of some name is not a typo of another ("delay" is not "decay").
    if (word.length >= 3 && !/^\d/.test(word) && !this.index.vocabulary.has(word)) {
      this.vocabulary ??= [...this.index.vocabulary.keys()];
      for (const v of this.vocabulary) {
        if (found.has(v) || Math.abs(v.length - word.length) > 2 && !v.startsWith(word)) continue;
        const fit = wordFit(word, v);
        if (fit > 0) found.set(v, fit);
      }
    }
    this.fits.set(word, found);
    return found;
  }

  private score(said: readonly string[], name: readonly string[]): number {
    if (said.length > name.length) return 0;
    let best = 0;
    for (let offset = 0; offset + said.length <= name.length; offset++) {
      let sum = 0;
      let ok = true;
      for (let i = 0; i < said.length; i++) {
        const fit = this.fitting(said[i]!).get(name[offset + i]!) ?? 0;
        if (fit === 0) { ok = false; break; }
        sum += fit;
      }
      if (!ok) continue;
      const coverage = said.length / name.length;
      // Part of a name needs a real word in it: "2" alone is not "Chorus 2".
      if (coverage < 1 && !said.some((w) => w.length >= 2 && !/^\d+$/.test(w))) continue;
      const base = sum / said.length;
      best = Math.max(best, 100 * base * (coverage === 1 ? 1 : 0.82 + 0.1 * coverage));
    }
    return best;
  }
}

/** The best candidates, all within TIE_MARGIN of the first; more than one means ask. */
export function topTier(candidates: readonly Candidate[]): Candidate[] {
  const first = candidates[0];
  if (!first) return [];
  return candidates.filter((c) => c.score >= first.score - TIE_MARGIN);
}
