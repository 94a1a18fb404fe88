import { describe, expect, it } from 'vitest';
import { MeterState } from './meter-state.ts';

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
