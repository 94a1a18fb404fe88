import { describe, expect, it } from 'vitest';
import { ACTIONS, ERROR_CODES, ERRORS, findAction, CommandSchema } from './index.ts';

describe('action catalogue', () => {
  it('covers at least 60 actions with unique noun.verb names', () => {
    const names = ACTIONS.map((a) => a.name);
    expect(names.length).toBeGreaterThanOrEqual(60);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z_]+\.[a-z_]+$/);
  });

  it('gives every continuous action a prop for coalescing and conflicts', () => {
    for (const a of ACTIONS.filter((x) => x.mode === 'continuous')) expect(a.prop, a.name).toBeTruthy();
  });

  it('rejects arguments outside Live’s ranges', () => {
    expect(findAction('song.set_tempo')!.args.safeParse({ bpm: 19 }).success).toBe(false);
    expect(findAction('song.set_tempo')!.args.safeParse({ bpm: 1000 }).success).toBe(false);
    expect(findAction('song.set_tempo')!.args.safeParse({ bpm: 128 }).success).toBe(true);
    expect(findAction('track.set_volume')!.args.safeParse({ value: 1.01 }).success).toBe(false);
    expect(findAction('track.set_pan')!.args.safeParse({ value: -1 }).success).toBe(true);
    expect(findAction('track.set_mute')!.args.safeParse({ value: 'yes' }).success).toBe(false);
    expect(findAction('track.set_mute')!.args.safeParse({ value: true, extra: 1 }).success).toBe(false);
  });

  it('accepts a target as a bare id or as { id }', () => {
    expect(CommandSchema.safeParse({ id: 'abcdefgh-1', action: 'track.set_mute', target: 't1', args: { value: true } }).success).toBe(true);
    expect(CommandSchema.safeParse({ id: 'abcdefgh-1', action: 'track.set_mute', target: { id: 't1' }, args: { value: true } }).success).toBe(true);
    expect(CommandSchema.safeParse({ id: 'abcdefgh-1', action: 'track.set_mute', target: 7, args: {} }).success).toBe(false);
  });
});

describe('error registry', () => {
  it('gives every code an HTTP status and a summary', () => {
    for (const code of ERROR_CODES) {
      expect(ERRORS[code].status).toBeGreaterThanOrEqual(400);
      expect(ERRORS[code].summary.length).toBeGreaterThan(10);
    }
  });
});
