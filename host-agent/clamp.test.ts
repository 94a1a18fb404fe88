import { describe, expect, it } from 'vitest';
import { clampArgs } from './clamp.ts';

describe('clampArgs (the agent’s defence in depth)', () => {
  it('clamps continuous values into the catalogue range', () => {
    expect(clampArgs('track.set_volume', { value: 1.0000001 })).toEqual({ args: { value: 1 }, clamped: ['value'] });
    expect(clampArgs('track.set_pan', { value: -3 })).toEqual({ args: { value: -1 }, clamped: ['value'] });
    expect(clampArgs('song.set_tempo', { bpm: 5000 })).toEqual({ args: { bpm: 999 }, clamped: ['bpm'] });
    expect(clampArgs('track.set_send', { index: 2, value: 7 })).toEqual({ args: { index: 2, value: 1 }, clamped: ['value'] });
    expect(clampArgs('scene.set_tempo', { value: 10 })).toEqual({ args: { value: 20 }, clamped: ['value'] });
    expect(clampArgs('track.set_volume', { value: 0.5 })).toEqual({ args: { value: 0.5 }, clamped: [] });
  });

  it('never clamps an integer such as an index: it refuses INVALID', () => {
    expect(clampArgs('track.set_send', { index: 40, value: 0.5 })).toMatchObject({ code: 'INVALID' });
  });

  it('refuses unknown actions and arguments that do not fit the schema', () => {
    expect(clampArgs('track.explode', {})).toMatchObject({ code: 'INVALID' });
    expect(clampArgs('track.set_volume', { value: 'loud' })).toMatchObject({ code: 'INVALID' });
    expect(clampArgs('track.set_volume', { value: 0.5, extra: 1 })).toMatchObject({ code: 'INVALID' });
    expect(clampArgs('clip.set_loop', { start: 4, end: 2 })).toMatchObject({ code: 'INVALID' });
  });
});
