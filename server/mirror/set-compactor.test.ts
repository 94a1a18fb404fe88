import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { SetMirror } from './set-mirror.ts';
import { SetCompactor } from './set-compactor.ts';
import type { EntityChange } from '../../protocol/index.ts';

const snapshot: EntityChange[] = [
  { kind: 'song', id: 'song', rev: 'E1.1', props: { tempo: 120 } },
  ...Array.from({ length: 8 }, (_, t): EntityChange => ({ kind: 'track', id: `t${t}`, rev: 'E1.1', props: { name: `Track ${t}`, volume: 0.85, pan: 0 } })),
];

let tick = 0;
function moveFaders(mirror: SetMirror, writes: number): void {
  for (let i = 0; i < writes; i++) {
    tick++;
    mirror.applyChanges('E1', [{ kind: 'track', id: `t${tick % 8}`, rev: `E1.${tick}`, props: { volume: (tick % 100) / 100 } }]);
  }
}

const size = (mirror: SetMirror): number => Y.encodeStateAsUpdate(mirror.doc).byteLength;

describe('SetCompactor (M8)', () => {
  const lines: string[] = [];
  let compactor: SetCompactor | undefined;
  beforeEach(() => {
    vi.useFakeTimers();
    lines.length = 0;
  });
  afterEach(() => {
    compactor?.stop();
    vi.useRealTimers();
  });

  it('M8 takes its baseline at the first snapshot, rebuilds past 3 × the baseline on its timer, and logs sizes and time', () => {
    const mirror = new SetMirror('first');
    compactor = new SetCompactor(mirror, { ratio: 3, checkEveryMs: 1_000, minGapMs: 0, growthBytes: 1e9, log: (l) => lines.push(l) });
    vi.advanceTimersByTime(1_000);
    expect(compactor.baseline).toBeNull(); // an empty doc before the set arrived is no baseline
    mirror.applySnapshot('E1', snapshot);
    vi.advanceTimersByTime(1_000);
    const base = compactor.baseline!;
    expect(base).toBe(size(mirror));

    while (size(mirror) <= 3 * base) {
      moveFaders(mirror, 20);
      if (size(mirror) <= 3 * base) {
        vi.advanceTimersByTime(1_000);
        expect(mirror.compactions).toBe(0);
      }
    }
    const grown = size(mirror);
    vi.advanceTimersByTime(999);
    expect(mirror.compactions).toBe(0); // only the timer looks
    vi.advanceTimersByTime(1);
    expect(mirror.compactions).toBe(1);
    expect(mirror.instance).not.toBe('first');
    expect(compactor.baseline).toBe(size(mirror));
    expect(size(mirror)).toBeLessThan(base * 1.2);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`compacted the set doc ${(grown / 1024).toFixed(1)} KB → ${(size(mirror) / 1024).toFixed(1)} KB in [\\d.]+ ms`));
  });

  it('M8 rebuilds past baseline + growthBytes before 3 × is reached, and never twice within minGapMs', () => {
    const mirror = new SetMirror('first');
    mirror.applySnapshot('E1', snapshot);
    compactor = new SetCompactor(mirror, { ratio: 3, checkEveryMs: 1_000, minGapMs: 30_000, growthBytes: 2_000, log: (l) => lines.push(l) });
    vi.advanceTimersByTime(1_000);
    const base = compactor.baseline!;
    expect(base * 3).toBeGreaterThan(base + 2_000);
    moveFaders(mirror, 150);
    expect(size(mirror)).toBeGreaterThan(base + 2_000);
    vi.advanceTimersByTime(1_000);
    expect(mirror.compactions).toBe(1);

    moveFaders(mirror, 150);
    expect(size(mirror)).toBeGreaterThan(compactor.baseline! + 2_000);
    vi.advanceTimersByTime(29_000);
    expect(mirror.compactions).toBe(1); // 29 s after the last rebuild
    vi.advanceTimersByTime(1_000);
    expect(mirror.compactions).toBe(2);
    expect(lines).toHaveLength(2);
  });

  it('M8 leaves a doc alone that stays within its thresholds', () => {
    const mirror = new SetMirror('first');
    mirror.applySnapshot('E1', snapshot);
    compactor = new SetCompactor(mirror, { ratio: 3, checkEveryMs: 1_000, minGapMs: 0, growthBytes: 2_000, log: (l) => lines.push(l) });
    vi.advanceTimersByTime(1_000);
    moveFaders(mirror, 20);
    vi.advanceTimersByTime(10_000);
    expect(mirror.compactions).toBe(0);
    expect(mirror.instance).toBe('first');
    expect(lines).toEqual([]);
  });

  it('M8 leaves a doc alone that grew with the set\'s content (device panels opened on a big set), and measures from its new size', () => {
    const mirror = new SetMirror('content');
    mirror.applySnapshot('E1', snapshot);
    compactor = new SetCompactor(mirror, { ratio: 3, checkEveryMs: 1_000, minGapMs: 0, growthBytes: 2_000, log: (l) => lines.push(l) });
    vi.advanceTimersByTime(1_000);
    const base = compactor.baseline!;
    // Parameters of observed devices: new entities, nothing overwritten.
    mirror.applyChanges('E1', Array.from({ length: 400 }, (_, i): EntityChange => ({
      kind: 'parameter', id: `p${i}`, rev: 'E1.2', props: { deviceId: 'd1', name: `Param ${i}`, value: i / 400, min: 0, max: 1 },
    })));
    expect(size(mirror)).toBeGreaterThan(base * 3);
    vi.advanceTimersByTime(1_000);
    expect(mirror.compactions).toBe(0);
    expect(mirror.instance).toBe('content');
    expect(compactor.baseline).toBe(size(mirror));
    expect(lines).toEqual([expect.stringMatching(/grew to [\d.]+ KB with the set's content \(\d+ % tombstones\); not compacted/)]);
    // Fader traffic from there on leaves tombstones: once they are a good share of the
    // doc, it is rebuilt back to about the size of its content.
    const grown = compactor.baseline!;
    let rounds = 0;
    while (mirror.compactions === 0) {
      moveFaders(mirror, 100);
      vi.advanceTimersByTime(1_000);
      expect(++rounds).toBeLessThan(1_000);
    }
    expect(size(mirror)).toBeLessThan(grown * 1.2);
  });

  it('M8 does not encode the doc to measure it while the updates since the last measure cannot have crossed a limit', () => {
    const mirror = new SetMirror('cheap');
    compactor = new SetCompactor(mirror, { ratio: 3, checkEveryMs: 1_000, minGapMs: 0, growthBytes: 1e9, log: (l) => lines.push(l) });
    mirror.applySnapshot('E1', snapshot);
    vi.advanceTimersByTime(1_000);
    const base = compactor.baseline!;
    const measured = compactor.measures;
    moveFaders(mirror, 5);
    vi.advanceTimersByTime(5_000);
    expect(compactor.measures).toBe(measured); // five small updates: far under 3 × base
    while (size(mirror) <= 3 * base) moveFaders(mirror, 20);
    vi.advanceTimersByTime(1_000);
    expect(mirror.compactions).toBe(1); // a real crossing is still measured and acted on
  });

  it('M8 learns how much of the update bytes become doc bytes, so a busy doc is measured a few times per rebuild, not every check', () => {
    const mirror = new SetMirror('learning');
    compactor = new SetCompactor(mirror, { ratio: 4, checkEveryMs: 1_000, minGapMs: 0, growthBytes: 1e9, log: (l) => lines.push(l) });
    mirror.applySnapshot('E1', snapshot);
    vi.advanceTimersByTime(1_000);
    const base = compactor.baseline!;
    const measured = compactor.measures;
    let checks = 0;
    while (mirror.compactions === 0) {
      moveFaders(mirror, 2);
      vi.advanceTimersByTime(1_000);
      checks++;
      expect(checks).toBeLessThan(10_000);
    }
    expect(size(mirror)).toBeLessThan(base * 1.2);
    // Every check estimates; only a handful encode the doc.
    console.log(`[measure] ${checks} checks, ${compactor.measures - measured} encodes before the rebuild`);
    expect(compactor.measures - measured).toBeLessThanOrEqual(Math.max(4, checks / 10));
  });
});
