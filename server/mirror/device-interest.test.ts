import { describe, expect, it, vi } from 'vitest';
import { DeviceInterest } from './device-interest.ts';
import { OBSERVE_LIMIT } from '../../protocol/index.ts';

describe('DeviceInterest', () => {
  it('sends the union of every socket\'s devices once per burst of changes', () => {
    vi.useFakeTimers();
    try {
      const sent: string[][] = [];
      const interest = new DeviceInterest((d) => sent.push(d), 20);
      interest.set('a', ['d1-abc', 'd2-abc']);
      interest.set('b', ['d2-abc', 'd3-abc']);
      expect(sent).toEqual([]);
      vi.advanceTimersByTime(20);
      expect(sent).toEqual([['d1-abc', 'd2-abc', 'd3-abc']]);
      interest.set('a', ['d2-abc']);
      vi.advanceTimersByTime(20);
      expect(sent.at(-1)).toEqual(['d2-abc', 'd3-abc']);
      interest.remove('b');
      vi.advanceTimersByTime(20);
      expect(sent.at(-1)).toEqual(['d2-abc']);
      interest.set('a', []);
      vi.advanceTimersByTime(20);
      expect(sent.at(-1)).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not repeat an unchanged list, but resends it all to an agent that came back', () => {
    vi.useFakeTimers();
    try {
      const sent: string[][] = [];
      const interest = new DeviceInterest((d) => sent.push(d), 20);
      interest.set('a', ['d1-abc']);
      vi.advanceTimersByTime(20);
      interest.set('b', ['d1-abc']);
      vi.advanceTimersByTime(20);
      expect(sent).toHaveLength(1);
      interest.resend();
      expect(sent).toEqual([['d1-abc'], ['d1-abc']]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never names more than OBSERVE_LIMIT devices', () => {
    const sent: string[][] = [];
    const interest = new DeviceInterest((d) => sent.push(d), 0);
    for (let s = 0; s < 20; s++) interest.set(`s${s}`, Array.from({ length: 32 }, (_, i) => `d${s * 32 + i}-abc`));
    interest.resend();
    expect(sent.at(-1)).toHaveLength(OBSERVE_LIMIT);
    interest.close();
  });
});
