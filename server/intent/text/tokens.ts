import { isNumberWord, ordinalDigits, ordinalWord, readNumberWords } from './numbers.ts';

/** One word, number or separator of what someone typed. */
export interface Token {
  /** Lower-cased word, a number's digits, or the punctuation mark. */
  w: string;
  /** As typed (for new names and an upper-case "A"). */
  raw: string;
  /** Offsets into the normalised text, for slicing out a new name as typed. */
  start: number;
  end: number;
  num?: number;
  /** The number carried an explicit + or - sign. */
  signed?: boolean;
  frac?: [number, number];
  ordinal?: number;
  punct?: boolean;
}

export interface Tokens {
  text: string;
  tokens: Token[];
}

/** Clitics that are words of their own ("what's" is "what is"); any other "'s" is a possessive. */
const CONTRACTIONS: Record<string, string[]> = {
  "what's": ['what', 'is'], "whats": ['what', 'is'], "where's": ['where', 'is'], "how's": ['how', 'is'],
  "who's": ['who', 'is'], "it's": ['it', 'is'], "that's": ['that', 'is'], "there's": ['there', 'is'],
  "here's": ['here', 'is'], "let's": ['let', 'us'], "lets": ['let', 'us'], "i'd": ['i', 'would'],
  "we'd": ['we', 'would'], "you'd": ['you', 'would'], "i'm": ['i', 'am'], "we're": ['we', 'are'],
  "you're": ['you', 'are'], "they're": ['they', 'are'], "i'll": ['i', 'will'], "we'll": ['we', 'will'],
  "can't": ['can', 'not'], "cant": ['can', 'not'], "won't": ['will', 'not'], "don't": ['do', 'not'],
  "dont": ['do', 'not'], "doesn't": ['does', 'not'], "isn't": ['is', 'not'], "aren't": ['are', 'not'],
  "shouldn't": ['should', 'not'], "wouldn't": ['would', 'not'], "couldn't": ['could', 'not'],
  "didn't": ['did', 'not'], "wasn't": ['was', 'not'], "'em": ['them'], "gimme": ['give', 'me'],
  "wanna": ['want', 'to'], "gonna": ['going', 'to'],
};

const PIECE = /(\d+(?:\.\d+)?(?:\s*\/\s*\d+)?(?![\p{L}\d]))|(%)|([\p{L}\p{M}\p{N}]+(?:'[\p{L}]+)*'?)|([,;.!?&+=])|(-)/gu;

/** Normalises quotes, dashes and spacing; keeps what the words mean. */
function normaliseText(input: string): string {
  return input
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc`\u00b4]/g, "'")
    .replace(/[\u201c\u201d\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u00d7/g, 'x')
    .replace(/\p{Cc}/gu, ' ');
}

export function tokenize(input: string): Tokens {
  const text = normaliseText(input);
  const raw: Token[] = [];
  for (const m of text.matchAll(PIECE)) {
    const start = m.index;
    const piece = m[0];
    const end = start + piece.length;
    if (m[1] !== undefined) {
      const sign = signBefore(text, start, raw);
      const frac = /^(\d+)\s*\/\s*(\d+)$/.exec(piece);
      if (frac) {
        raw.push({ w: `${frac[1]}/${frac[2]}`, raw: piece, start, end, frac: [Number(frac[1]), Number(frac[2])] });
      } else {
        const value = Number(piece) * (sign === '-' ? -1 : 1);
        raw.push({ w: String(value), raw: piece, start: sign ? start - 1 : start, end, num: value, ...(sign ? { signed: true } : {}) });
      }
      continue;
    }
    if (m[2] !== undefined) { raw.push({ w: '%', raw: piece, start, end }); continue; }
    if (m[4] !== undefined) {
      if ((piece === '+' || piece === '=') && /\d/.test(text[end] ?? '')) continue; // a sign, read with its number
      if (piece === '+') { raw.push({ w: 'and', raw: piece, start, end }); continue; }
      if (piece === '=') { raw.push({ w: 'to', raw: piece, start, end }); continue; }
      if (piece === '&') { raw.push({ w: 'and', raw: piece, start, end }); continue; }
      raw.push({ w: piece, raw: piece, start, end, punct: true });
      continue;
    }
    if (m[5] !== undefined) {
      // "5-8" is a range; a dash inside words ("A-Reverb", "hard-left") is a space; a
      // minus before a number is read with the number.
      const prev = text[start - 1] ?? '';
      const next = text[end] ?? '';
      if (/\d/.test(prev) && /\d/.test(next)) raw.push({ w: 'to', raw: piece, start, end });
      continue;
    }
    splitWord(piece, start, raw, /^\d/.test(piece) ? signBefore(text, start, raw) : null);
  }
  return { text, tokens: readNumbers(raw) };
}

function signBefore(text: string, start: number, tokens: Token[]): '-' | '+' | null {
  const c = text[start - 1];
  if (c !== '-' && c !== '+') return null;
  // "5-8" is a range, not minus eight.
  const before = text[start - 2];
  if (before !== undefined && /[\p{L}\p{N}]/u.test(before)) return null;
  const last = tokens[tokens.length - 1];
  if (last && last.end === start - 1 && last.num !== undefined) return null;
  return c;
}

/** Lower-cases, splits "96bpm" and "track3", expands contractions and drops possessives. */
function splitWord(piece: string, start: number, out: Token[], sign: '-' | '+' | null): void {
  const lower = piece.toLowerCase();
  const expanded = CONTRACTIONS[lower];
  if (expanded) {
    for (const w of expanded) out.push({ w, raw: piece, start, end: start + piece.length });
    return;
  }
  let word = lower;
  let rawWord = piece;
  if (word.endsWith("'s")) { word = word.slice(0, -2); rawWord = rawWord.slice(0, -2); } else if (word.endsWith("'")) { word = word.slice(0, -1); rawWord = rawWord.slice(0, -1); }
  if (word.endsWith("n't")) {
    out.push({ w: word.slice(0, -3), raw: rawWord.slice(0, -3), start, end: start + rawWord.length - 3 });
    out.push({ w: 'not', raw: "n't", start: start + rawWord.length - 3, end: start + rawWord.length });
    return;
  }
  if (word === '') return;
  const ord = ordinalDigits(word);
  if (ord !== undefined) {
    out.push({ w: word, raw: rawWord, start, end: start + rawWord.length, ordinal: ord });
    return;
  }
  // letters and digits glued together are separate words ("3db", "track3", "chorus2")
  const parts = word.match(/\p{N}+(?:\.\p{N}+)?|[^\p{N}]+/gu) ?? [word];
  let offset = start;
  for (const part of parts) {
    const rawPart = rawWord.slice(offset - start, offset - start + part.length);
    const token: Token = { w: part, raw: rawPart, start: offset, end: offset + part.length };
    if (/^\d+(\.\d+)?$/.test(part)) {
      token.num = Number(part);
      if (sign && offset === start) {
        token.num *= sign === '-' ? -1 : 1;
        token.w = String(token.num);
        token.signed = true;
        token.start -= 1;
      }
    }
    out.push(token);
    offset += part.length;
  }
}

/** Number words become numbers; ordinal words become ordinals. */
function readNumbers(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const ord = ordinalWord(t.w);
    if (ord !== undefined) {
      out.push({ ...t, ordinal: ord });
      continue;
    }
    if (t.num === undefined && (isNumberWord(t.w) || (t.w === 'a' && tokens[i + 1]?.w === 'hundred'))) {
      const words: string[] = [];
      for (let k = i; k < Math.min(tokens.length, i + 6) && tokens[k]!.num === undefined && !tokens[k]!.punct; k++) words.push(tokens[k]!.w);
      const read = readNumberWords(words);
      if (read && !(read.used === 1 && t.w === 'a')) {
        const last = tokens[i + read.used - 1]!;
        out.push({ w: String(read.value), raw: tokens.slice(i, i + read.used).map((x) => x.raw).join(' '), start: t.start, end: last.end, num: read.value });
        i += read.used - 1;
        continue;
      }
    }
    out.push(t);
  }
  return readSpokenSigns(out);
}

/** "minus three" and "plus 2" are signed numbers. */
function readSpokenSigns(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    if ((t.w === 'minus' || t.w === 'negative' || t.w === 'plus') && next?.num !== undefined && !next.signed) {
      const value = t.w === 'plus' ? next.num : -next.num;
      out.push({ ...next, w: String(value), num: value, signed: true, start: t.start, raw: `${t.raw} ${next.raw}` });
      i++;
      continue;
    }
    out.push(t);
  }
  return out;
}
