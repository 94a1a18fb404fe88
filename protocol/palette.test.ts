import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIVE_PALETTE } from './palette.ts';

describe('Live’s colour palette', () => {
  it('is the simulator’s palette, colour for colour', () => {
    const py = readFileSync(new URL('../remote-script/sim/livesim/params.py', import.meta.url), 'utf8');
    const block = /PALETTE = \[([\s\S]*?)\]/.exec(py)?.[1] ?? '';
    const sim = [...block.matchAll(/0x([0-9A-Fa-f]{6})/g)].map((m) => parseInt(m[1]!, 16));
    expect(sim).toHaveLength(70);
    expect([...LIVE_PALETTE]).toEqual(sim);
  });
});
