/** Number words as people say them: "ninety six", "a hundred and twenty", "one twenty". */

const UNITS: Record<string, number> = {
  zero: 0, oh: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9,
  ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16,
  seventeen: 17, eighteen: 18, nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

const ORDINAL_WORDS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9,
  tenth: 10, eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, sixteenth: 16,
};

export function ordinalWord(word: string): number | undefined {
  return ORDINAL_WORDS[word];
}

/** "3rd", "21st" → 3, 21. */
export function ordinalDigits(word: string): number | undefined {
  const m = /^(\d{1,4})(st|nd|rd|th)$/.exec(word);
  return m ? Number(m[1]) : undefined;
}

export function isNumberWord(word: string): boolean {
  return word in UNITS || word in TENS || word === 'hundred';
}

/**
 * Reads a number spelled in words starting at `words[0]`; returns the value and how many
 * words it used, or null. "and" is consumed only inside "hundred and …", so "mute one and
 * two" stays two numbers.
 */
export function readNumberWords(words: readonly string[]): { value: number; used: number } | null {
  let i: number;
  let value: number;
  const at = (k: number): string | undefined => words[k];
  // "a hundred"
  if (at(0) === 'a' && at(1) === 'hundred') {
    value = 100;
    i = 2;
  } else {
    const small = readBelowHundred(words, 0);
    if (!small) return null;
    value = small.value;
    i = small.used;
    if (at(i) === 'hundred') {
      value *= 100;
      i++;
    } else if (small.value >= 1 && small.value <= 9 && small.used === 1) {
      // "one twenty" (a tempo): a digit followed by a tens or teens word.
      const rest = readBelowHundred(words, i);
      if (rest && rest.value >= 10) return { value: small.value * 100 + rest.value, used: i + rest.used };
      return { value, used: i };
    } else {
      return { value, used: i };
    }
  }
  // after "hundred": optional "and", then below-hundred
  let j = i;
  if (at(j) === 'and') j++;
  const tail = readBelowHundred(words, j);
  if (tail) return { value: value + tail.value, used: j + tail.used };
  return { value, used: i };
}

function readBelowHundred(words: readonly string[], from: number): { value: number; used: number } | null {
  const w = words[from];
  if (w === undefined) return null;
  if (w in TENS) {
    const next = words[from + 1];
    if (next !== undefined && next in UNITS && UNITS[next]! >= 1 && UNITS[next]! <= 9) return { value: TENS[w]! + UNITS[next]!, used: 2 };
    return { value: TENS[w]!, used: 1 };
  }
  if (w in UNITS && w !== 'oh') return { value: UNITS[w]!, used: 1 };
  return null;
}
