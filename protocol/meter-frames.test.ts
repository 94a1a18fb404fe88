import { describe, expect, it, vi } from 'vitest';
import { MeterRelay, MeterState, type MeterFrame } from './meter-frames.ts';

describe('MeterState', () => {
  it('merges the script’s deltas into the frame a new page is greeted with', () => {
    const m = new MeterState();
    expect(m.full()).toBeNull();
    m.merge({ levels: { t1: [0.5, 0.4], t2: [0.1, 0.1] }, position: 8 });
    m.merge({ levels: { t1: [0.6, 0.5] }, clips: { c1: 1.5 } });
    m.merge({ levels: {}, clips: { c1: 2 } });
    expect(m.full()).toEqual({ levels: { t1: [0.6, 0.5], t2: [0.1, 0.1] }, position: 8, clips: { c1: 2 } });
  });

  it('forgets everything when the link that measured it goes', () => {
    const m = new MeterState();
    m.merge({ levels: { t1: [0.5, 0.4] }, position: 3, clips: { c1: 1 } });
    m.reset();
    expect(m.full()).toBeNull();
  });
});

describe('MeterRelay', () => {
  it('sends the first frame after Live appears, and the whole frame once the stream pauses, reliably', () => {
    vi.useFakeTimers();
    try {
      const volatile: MeterFrame[] = [];
      const reliable: MeterFrame[] = [];
      const relay = new MeterRelay((f) => volatile.push(f), (f) => reliable.push(f), 300);
      relay.receive({ levels: { t1: [0.5, 0.5] }, position: 0 });
      expect(reliable).toEqual([{ levels: { t1: [0.5, 0.5] }, position: 0 }]);
      relay.receive({ levels: {}, position: 4 });
      relay.receive({ levels: {}, position: 8 });
      expect(volatile).toHaveLength(2);
      vi.advanceTimersByTime(299);
      expect(reliable).toHaveLength(1);
      vi.advanceTimersByTime(1);
      expect(reliable[1]).toEqual({ levels: { t1: [0.5, 0.5] }, position: 8 });
      relay.reset();
      relay.receive({ levels: { t2: [0.1, 0.1] } });
      expect(reliable[2]).toEqual({ levels: { t2: [0.1, 0.1] } });
      relay.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
