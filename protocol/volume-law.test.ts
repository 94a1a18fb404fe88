import { describe, expect, it } from 'vitest';
import { dbToVolume, volumeToDb } from './volume-law.ts';

describe("Live's fader law", () => {
  it('meets the points Live shows', () => {
    const points: Array<[number, number]> = [[1, 6], [0.925, 3], [0.85, 0], [0.775, -3], [0.7, -6], [0.55, -12], [0.4, -18], [0.3024, -24], [0.2384, -30], [0.187, -36], [0.1035, -48], [0.0346, -60]];
    for (const [value, db] of points) {
      expect(volumeToDb(value)).toBeCloseTo(db, 1);
      expect(dbToVolume(db)).toBeCloseTo(value, 3);
    }
    expect(volumeToDb(0)).toBe(-Infinity);
    expect(dbToVolume(-Infinity)).toBe(0);
    expect(dbToVolume(-100)).toBeLessThan(0.001);
    expect(dbToVolume(12)).toBe(1);
  });

  it('is monotonic and round-trips across the whole fader', () => {
    let last = -Infinity;
    for (let v = 0.001; v <= 1; v += 0.001) {
      const db = volumeToDb(v);
      expect(db).toBeGreaterThan(last);
      last = db;
      expect(dbToVolume(db)).toBeCloseTo(v, 6);
    }
  });
});
