/** Longest display name kept, in user-perceived characters. */
export const NAME_MAX_CHARS = 32;

// Controls, format characters (bidi overrides and isolates, zero-width space and joiners,
// the BOM), line and paragraph separators, private use and lone surrogates: none of them
// draws a letter, and each can make one name look like another or break a log line.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cs}\u2028\u2029\u115F\u1160\u3164\uFFA0\u180E]/gu;
const SPACES = /[\p{Zs}\s]+/gu;
// More than two combining marks on one letter only stacks ink over the neighbours.
const MARK_PILES = /(\p{M}{2})\p{M}+/gu;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * A display name as the room shows it: NFC, no invisible characters, one space between
 * words, at most NAME_MAX_CHARS characters. Null when nothing visible is left. Names came
 * back unchanged in the console and the audit log: newlines, NUL, ANSI escapes, bidi
 * overrides, zero-width characters (H11).
 */
export function cleanDisplayName(raw: string): string | null {
  const text = raw.normalize('NFC').replace(INVISIBLE, '').replace(MARK_PILES, '$1').replace(SPACES, ' ').trim();
  const chars = [...graphemes.segment(text)].map((g) => g.segment);
  const name = chars.slice(0, NAME_MAX_CHARS).join('').trim();
  return name === '' ? null : name;
}

/**
 * `name`, or `name 2`, `name 3`… when another session's name would look the same: the
 * comparison ignores case, compatibility forms (fullwidth letters, ligatures), spacing,
 * and the Cyrillic and Greek letters that look like Latin ones, so nobody can pose as
 * "Teacher" with a lookalike.
 */
export function distinctName(name: string, taken: Iterable<string>): string {
  const seen = new Set([...taken].map(lookalikeKey));
  if (!seen.has(lookalikeKey(name))) return name;
  const base = [...graphemes.segment(name)].map((g) => g.segment).slice(0, NAME_MAX_CHARS - 4).join('').trim();
  for (let n = 2; ; n++) {
    const candidate = `${base} ${n}`;
    if (!seen.has(lookalikeKey(candidate))) return candidate;
  }
}

/** What a name looks like, for comparison only. */
export function lookalikeKey(name: string): string {
  const folded = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(SPACES, '');
  let out = '';
  for (const ch of folded) out += HOMOGLYPHS[ch] ?? ch;
  return out.replace(/rn/g, 'm').replace(/vv/g, 'w');
}

/** Cyrillic and Greek lowercase letters (and a few symbols) that draw like Latin ones. */
const HOMOGLYPHS: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', з: '3', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o', п: 'n', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ь: 'b', г: 'r',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ω: 'w', γ: 'y', μ: 'u',
  '0': 'o', l: 'i', '1': 'i', '|': 'i', ı: 'i', ӏ: 'i',
};
