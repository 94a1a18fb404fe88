import { describe, expect, it } from 'vitest';
import { SHORTCUTS } from './shortcuts.ts';

const key = (init: KeyboardEventInit & { key: string; code?: string }) => init as unknown as KeyboardEvent;
const find = (e: KeyboardEvent) => SHORTCUTS.filter((s) => s.matches(e)).map((s) => s.what);

describe('keyboard shortcuts', () => {
  it('each key does one thing', () => {
    const keys = [
      key({ key: ' ', code: 'Space' }), key({ key: ' ', code: 'Space', shiftKey: true }), key({ key: '1', code: 'Digit1' }), key({ key: '0', code: 'Digit0' }),
      key({ key: 't', code: 'KeyT' }), key({ key: '+', code: 'Equal', shiftKey: true }), key({ key: 'c', code: 'KeyC' }), key({ key: 'm', code: 'KeyM' }),
      key({ key: 'z', code: 'KeyZ', ctrlKey: true }), key({ key: 'z', code: 'KeyZ', ctrlKey: true, shiftKey: true }), key({ key: '?', code: 'Slash', shiftKey: true }),
    ];
    for (const e of keys) expect(find(e), JSON.stringify(e)).toHaveLength(1);
  });

  it('leaves the browser its own combinations', () => {
    expect(find(key({ key: 't', code: 'KeyT', ctrlKey: true }))).toEqual([]);
    expect(find(key({ key: '1', code: 'Digit1', altKey: true }))).toEqual([]);
    expect(find(key({ key: 'c', code: 'KeyC', metaKey: true }))).toEqual([]);
  });

  it('lists every shortcut with keys and words (the overlay reads this table)', () => {
    for (const s of SHORTCUTS) {
      expect(s.keys.length).toBeGreaterThan(0);
      expect(s.what.length).toBeGreaterThan(5);
    }
  });
});
