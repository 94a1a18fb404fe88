import type { WireError } from '../../protocol/index.ts';
import { tokenize } from './text/tokens.ts';
import { AUXILIARIES, MEANING_WORDS, SEPARATORS, lookupPhrase } from './text/lexicon.ts';
import { isNumberWord, ordinalWord } from './text/numbers.ts';
import { oneEditApart } from './names/similarity.ts';
import type { NameIndex } from './names/name-index.ts';

/** Words the sentence reader knows besides the lexicon's ("and" is not a slip of "any"). */
const STRUCTURE = new Set(['but', 'last', 'final', 'minus', 'plus', 'negative', 'let']);

/** How many corrected sentences are tried: each costs one parse, on the refusal path only. */
const MAX_TRIES = 4;

/**
 * "kil the drums": a word that is neither a command word nor a name, one slip away from a
 * command word, is never acted on as that word. The sentence with the word corrected is
 * offered as a suggestion, and only when that sentence parses to something that is not a
 * delete (`understood` says so). The person reads it and chooses.
 */
export function withSpellingSuggestion(text: string, error: WireError, index: NameIndex, understood: (sentence: string) => boolean): WireError {
  if (error.code !== 'NOT_UNDERSTOOD' && error.code !== 'NO_MATCH') return error;
  const { text: normalised, tokens } = tokenize(text);
  let tries = 0;
  for (const token of tokens) {
    const word = token.w;
    if (token.punct || token.num !== undefined || !/^[a-z]{3,}$/.test(word)) continue;
    if (lookupPhrase(word) || index.vocabulary.has(word) || STRUCTURE.has(word) || SEPARATORS.has(word) || AUXILIARIES.has(word) || isNumberWord(word) || ordinalWord(word) !== undefined) continue;
    for (const meant of MEANING_WORDS) {
      if (Math.abs(meant.length - word.length) > 1 || !oneEditApart(word, meant)) continue;
      if (tries++ >= MAX_TRIES) return error;
      const sentence = `${normalised.slice(0, token.start)}${meant}${normalised.slice(token.end)}`;
      if (!understood(sentence)) continue;
      const suggestions = [sentence, ...(error.suggestions ?? [])].slice(0, 6);
      return { ...error, message: `${error.message} Did you mean "${meant}"?`, suggestions };
    }
  }
  return error;
}
