import { boundedMemo } from '../../util/bounded-memo.ts';

/**
 * How alike two words are, the way a person means them: plurals ("drum" is Drums),
 * studio synonyms ("vox" is Vocals), prefixes ("voc") and small typos ("gutiar").
 */

const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['vocal', 'vox', 'voice', 'singer', 'singing', 'vocalist', 'vocs'],
  ['guitar', 'gtr', 'gtrs', 'git'],
  ['drum', 'kit', 'drumkit'],
  ['keyboard', 'key', 'keyboards', 'keys', 'rhodes'],
  ['percussion', 'perc', 'percs'],
  ['fx', 'effect', 'effects', 'sfx', 'efx'],
  ['reverb', 'verb', 'rev', 'reverberation'],
  ['delay', 'echo', 'dly'],
  ['synth', 'synthesizer', 'synthesiser'],
  ['bv', 'bvs', 'backing', 'backings'],
  ['compressor', 'comp', 'compression'],
  ['eq', 'equalizer', 'equaliser', 'equalization', 'equalisation'],
  ['saturator', 'saturation'],
  ['utility', 'util'],
  ['frequency', 'freq', 'cutoff', 'cut-off'],
  ['resonance', 'res', 'reso', 'q'],
  ['threshold', 'thresh'],
  ['wet', 'mix'],
  ['master', 'main', 'mains'],
  ['piano', 'pno'],
  ['bass', 'bassline'],
  ['sample', 'sampler'],
  ['instrument', 'inst'],
];

const SYNONYM_OF = new Map<string, string>();
for (const group of SYNONYM_GROUPS) for (const word of group) SYNONYM_OF.set(word, group[0]!);

/** Words repeat within and across parses: their singular and canonical forms are kept (bounded). */
const MEMO_LIMIT = 20_000;

/** Plural to singular, for words where an "s" is only a plural ("drums", not "bass" or "chorus"). */
const singular = boundedMemo(MEMO_LIMIT, singularOf);

function singularOf(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (/(ss|us|is|ous)$/.test(word)) return word;
  if (/(ches|shes|xes|sses)$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}

/** The word a studio synonym stands for, after plurals. */
export const canonical = boundedMemo(MEMO_LIMIT, (word) => {
  const s = singular(word);
  return SYNONYM_OF.get(word) ?? SYNONYM_OF.get(s) ?? s;
});

/** One buffer for every distance: words are at most 40 characters here. */
let grid = new Int32Array(42 * 42);

/** Optimal string alignment distance (Damerau-Levenshtein without repeated edits), capped. */
function editDistance(a: string, b: string, cap = 3): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  if (a.length > 40 || b.length > 40) return cap + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d = grid.length >= rows * cols ? grid : (grid = new Int32Array(rows * cols * 2));
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    let rowMin = Infinity;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[(i - 1) * cols + j]! + 1, d[i * cols + j - 1]! + 1, d[(i - 1) * cols + j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > cap) return cap + 1;
  }
  return d[rows * cols - 1]!;
}

/** Whether two words are one slip of the keyboard apart (a letter added, lost, changed or swapped). */
export function oneEditApart(a: string, b: string): boolean {
  return a !== b && editDistance(a, b, 1) === 1;
}

/** Typos allowed for a word of this length: none for short words ("pan" is not "pad"). */
function typoBudget(length: number): number {
  if (length <= 3) return 0;
  if (length <= 7) return 1;
  return 2;
}

/**
 * How well a word someone said fits a word of a name, from 0 (not at all) to 1 (the
 * same word). Prefixes need three letters; typos follow typoBudget.
 */
export function wordFit(said: string, name: string): number {
  if (said === name) return 1;
  const s = singular(said);
  const n = singular(name);
  if (s === n) return 0.97;
  if (canonical(said) === canonical(name)) return 0.92;
  if (said.length >= 3 && name.startsWith(said) && !/\d/.test(said)) return 0.8;
  if (/\d/.test(said) || /\d/.test(name)) return 0;
  const budget = typoBudget(Math.min(said.length, name.length));
  if (budget > 0) {
    // As said and as singulars: "baes" is one edit from "bass", though its singular "bae" is two.
    const d = Math.min(editDistance(said, name, budget), editDistance(s, n, budget));
    if (d <= budget) return d === 1 ? 0.75 : 0.7;
  }
  return 0;
}
