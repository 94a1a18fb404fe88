import { describe, expect, it } from 'vitest';
import { MAX_UNANSWERED_MOVES, MoveGate } from './gesture-flow.ts';

describe('G6 MoveGate: at most the latest value per control waits in the browser', () => {
  it('G6 sends at once while fewer than two are unanswered', () => {
    const gate = new MoveGate<number>();
    expect(MAX_UNANSWERED_MOVES).toBe(2);
    expect(gate.offer(0.1)).toBe(0.1);
    expect(gate.offer(0.2)).toBe(0.2);
    expect(gate.pending).toBe(false);
  });

  it('G6 keeps only the newest value while two are unanswered, and sends it when an answer comes back', () => {
    const gate = new MoveGate<number>();
    gate.offer(0.1);
    gate.offer(0.2);
    expect(gate.offer(0.3)).toBeUndefined();
    expect(gate.offer(0.4)).toBeUndefined();
    expect(gate.pending).toBe(true);
    expect(gate.answered()).toBe(0.4);
    expect(gate.pending).toBe(false);
    // 0.2 and 0.4 are unanswered now: a new value waits again.
    expect(gate.offer(0.5)).toBeUndefined();
    expect(gate.answered()).toBe(0.5);
    expect(gate.answered()).toBeUndefined();
    expect(gate.offer(0.6)).toBe(0.6);
  });

  it('G6 a value that cannot be sent now (socket down) keeps waiting and is not counted', () => {
    const gate = new MoveGate<number>();
    gate.offer(0.1);
    gate.offer(0.2);
    gate.offer(0.3);
    expect(gate.answered(false)).toBeUndefined();
    expect(gate.pending).toBe(true);
    expect(gate.answered()).toBe(0.3);
    expect(gate.offer(0.4)).toBe(0.4);
  });

  it('G6 drop() forgets the waiting value (the end carries the release value); reset() starts a new gesture', () => {
    const gate = new MoveGate<number>();
    gate.offer(0.1);
    gate.offer(0.2);
    gate.offer(0.3);
    gate.drop();
    expect(gate.answered()).toBeUndefined();
    gate.reset();
    expect(gate.offer(0.7)).toBe(0.7);
    expect(gate.offer(0.8)).toBe(0.8);
  });
});
