import { describe, expect, it } from 'vitest';
import { cleanDisplayName, distinctName, lookalikeKey } from './display-name.ts';

describe('display names (H11)', () => {
  it('keeps ordinary names of every script as they are', () => {
    for (const name of ['Ada', 'José', 'Zoë', 'Σοφία', 'Алёна', '美咲', 'أحمد', 'Sam O\u2019Neil', '🎸 Jo']) expect(cleanDisplayName(name)).toBe(name.normalize('NFC'));
    expect(distinctName('Алёна', ['Alena'])).toBe('Алёна'); // ё is not e: different people
    expect(distinctName('Sam', ['Sam', 'Sam 2'])).toBe('Sam 3');
  });

  it('folds lookalikes for comparison only', () => {
    expect(lookalikeKey('T\u0435acher')).toBe(lookalikeKey('teacher'));
    expect(lookalikeKey('\uff34eacher')).toBe(lookalikeKey('Teacher')); // fullwidth T
    expect(lookalikeKey('Iris')).toBe(lookalikeKey('lris'));
    expect(lookalikeKey('Ada')).not.toBe(lookalikeKey('Ava'));
  });

  it('caps a name at 32 characters without splitting one', () => {
    expect(Array.from(cleanDisplayName('\u{1F3B8}'.repeat(40))!)).toHaveLength(32);
    expect(cleanDisplayName('e\u0301\u0301\u0301\u0301x')).toBe('\u00e9\u0301\u0301x');
  });
});
