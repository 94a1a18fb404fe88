import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { latestOnly } from './latest-only.ts';

describe('latestOnly', () => {
  beforeEach(() => { vi.useFakeTimers(); });
  afterEach(() => { vi.useRealTimers(); });

  it('sends the first value at once and a burst as its last value after the gap', () => {
    const sent: number[] = [];
    const push = latestOnly((v: number) => sent.push(v), 50);
    push(1);
    expect(sent).toEqual([1]);
    push(2); push(3); push(4);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(49);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1, 4]);
    vi.advanceTimersByTime(500);
    expect(sent).toEqual([1, 4]); // nothing new, nothing sent
    push(5);
    expect(sent).toEqual([1, 4, 5]); // after a quiet gap: at once again
  });

  it('close drops what waits', () => {
    const sent: number[] = [];
    const push = latestOnly((v: number) => sent.push(v), 50);
    push(1); push(2);
    push.close();
    vi.advanceTimersByTime(1000);
    expect(sent).toEqual([1]);
  });
});
