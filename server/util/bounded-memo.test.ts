import { describe, expect, it } from 'vitest';
import { boundedMemo } from './bounded-memo.ts';

describe('boundedMemo', () => {
  it('computes a key once, and forgets everything when the limit is reached', () => {
    const computed: string[] = [];
    const upper = boundedMemo(2, (key) => { computed.push(key); return key.toUpperCase(); });
    expect([upper('a'), upper('b'), upper('a')]).toEqual(['A', 'B', 'A']);
    expect(computed).toEqual(['a', 'b']);
    expect(upper('c')).toBe('C'); // the third key: the first two are forgotten
    expect(upper('a')).toBe('A');
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });
});
