import { describe, expect, it } from 'vitest';
import { contrastRatio, inkFor, INK_DARK } from './contrast.ts';
import { LIVE_PALETTE } from '../../../protocol/browser.ts';

const hex = (s: string): number => parseInt(s.slice(1), 16);

describe('text on any clip colour', () => {
  it('matches WCAG’s figures for known pairs', () => {
    expect(contrastRatio(0x000000, 0xffffff)).toBeCloseTo(21, 5);
    expect(contrastRatio(0x777777, 0xffffff)).toBeCloseTo(4.48, 2);
  });

  it('reaches 4.5:1 on every one of Live’s 70 colours', () => {
    for (const colour of LIVE_PALETTE) expect(contrastRatio(colour, hex(inkFor(colour))), colour.toString(16)).toBeGreaterThanOrEqual(4.5);
  });

  it('reaches 4.5:1 on every 24-bit colour a plugin or an old set may carry (sampled on a grid)', () => {
    let worst = 21;
    for (let r = 0; r < 256; r += 5) for (let g = 0; g < 256; g += 5) for (let b = 0; b < 256; b += 5) {
      const c = (r << 16) | (g << 8) | b;
      worst = Math.min(worst, contrastRatio(c, hex(inkFor(c))));
    }
    expect(worst).toBeGreaterThanOrEqual(4.5);
  });

  it('writes dark ink on Live’s white and light ink on its darkest grey', () => {
    expect(inkFor(0xffffff)).toBe(INK_DARK);
    expect(inkFor(0x3c3c3c)).not.toBe(INK_DARK);
  });
});
