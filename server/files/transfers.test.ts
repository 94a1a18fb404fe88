import { afterEach, describe, expect, it, vi } from 'vitest';
import { TransferCounter } from './transfers.ts';

describe('TransferCounter', () => {
  afterEach(() => { vi.useRealTimers(); });

  it('counts an upload across its chunks and drops it after the linger', () => {
    vi.useFakeTimers();
    const t = new TransferCounter(3_000);
    const changes: number[] = [];
    t.onChange(() => changes.push(t.count('uploads')));
    const end1 = t.begin('ada', 'uploads', 'u1');
    end1();
    vi.advanceTimersByTime(1_000);
    const end2 = t.begin('ada', 'uploads', 'u1'); // the next chunk
    expect(t.bySession().get('ada')).toEqual({ uploads: 1, downloads: 0 });
    end2();
    vi.advanceTimersByTime(2_999);
    expect(t.count('uploads')).toBe(1);
    vi.advanceTimersByTime(2);
    expect(t.count('uploads')).toBe(0);
    expect(changes).toEqual([1, 0]);
  });

  it('ends a download at once and forgets a finished upload at once', () => {
    const t = new TransferCounter(3_000);
    const end = t.begin('bob', 'downloads', 'd1');
    t.begin('bob', 'uploads', 'u2');
    expect(t.bySession().get('bob')).toEqual({ uploads: 1, downloads: 1 });
    end();
    end(); // twice is once
    t.forget('uploads', 'u2');
    expect(t.bySession().size).toBe(0);
    t.close();
  });
});
