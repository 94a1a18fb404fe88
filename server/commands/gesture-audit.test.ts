import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../protocol/index.ts';
import { GestureAudit, type GestureStep } from './gesture-audit.ts';

const step = (n: number, extra: Partial<GestureStep> = {}): GestureStep => ({
  sessionId: 'A', name: 'Ada', ip: '127.0.0.1', gestureId: 'g1', phase: n === 0 ? 'start' : 'move',
  commandId: `cmd-${n}`, action: 'track.set_volume', target: 't1', answer: { ok: true, rev: 'e.1', value: n / 10 },
  superseded: false, replayed: false, ...extra,
});

describe('GestureAudit', () => {
  let entries: Array<Omit<AuditEntry, 'at'>>;
  let audit: GestureAudit;
  beforeEach(() => {
    vi.useFakeTimers();
    entries = [];
    audit = new GestureAudit({ audit: { record: (e) => entries.push(e) }, idleMs: 5_000, maxOpen: 3 });
  });
  afterEach(() => { audit.close(); vi.useRealTimers(); });

  it('writes one entry per gesture when its end is answered, with every command counted', () => {
    audit.add(step(0));
    audit.add(step(1, { superseded: true }));
    audit.add(step(2, { answer: { ok: false, error: { code: 'RATE_LIMITED', message: 'slow down' } } }));
    audit.add(step(3, { replayed: true }));
    expect(entries).toEqual([]);
    audit.add(step(4, { phase: 'end' }));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'gesture', sessionId: 'A', name: 'Ada', action: 'track.set_volume', target: 't1', ok: true });
    expect(entries[0]!.detail).toBe('gesture=g1 · 5 commands: 2 landed, 1 superseded by newer values, 1 replayed, refused RATE_LIMITED×1 · ids cmd-0 … cmd-4');
    expect(audit.openCount).toBe(0);
  });

  it('a refused end makes the entry a failure with its code', () => {
    audit.add(step(0, { answer: { ok: false, error: { code: 'HELD', message: 'held' } } }));
    audit.add(step(1, { phase: 'end', answer: { ok: false, error: { code: 'HELD', message: 'held' } } }));
    expect(entries[0]).toMatchObject({ ok: false, code: 'HELD' });
    expect(entries[0]!.detail).toContain('0 landed, refused HELD×2');
  });

  it('a gesture that never ends is written after it went quiet', () => {
    audit.add(step(0));
    vi.advanceTimersByTime(4_000);
    audit.add(step(1));
    vi.advanceTimersByTime(4_000);
    expect(entries).toEqual([]);
    vi.advanceTimersByTime(2_000);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.detail).toContain('2 commands');
  });

  it('stays bounded: past maxOpen the oldest open gesture is written at once', () => {
    for (const id of ['a', 'b', 'c', 'd']) audit.add(step(0, { gestureId: id }));
    expect(audit.openCount).toBe(3);
    expect(entries.map((e) => e.detail?.split(' ')[0])).toEqual(['gesture=a']);
    audit.close();
    expect(entries).toHaveLength(4);
  });
});
