/**
 * Live's mixer fader law: the `volume` of a track (0..1 in the Live API) against the
 * dB Live shows. Ableton does not publish the curve. From -18 dB up it is a straight
 * line, 40 dB per unit: 0.4 = -18 dB, 0.85 = 0 dB, 1.0 = +6 dB. Below -18 dB it bends
 * down to -inf at 0. The points below are Live's own display read back in 3 dB steps
 * through the Live API (the measurements published with Fadebender,
 * github.com/mantisbikr/fadebender, agree with the Max for Live community's points this
 * client used before: 0.7 = -6, 0.55 = -12, 0.302 = -24, 0.187 = -36, 0.035 = -60),
 * rounded to four places; between them we interpolate linearly, well inside 0.1 dB.
 *
 * Free of zod and of Node: the browser's faders and the server's word parser share it.
 */
const BENT: ReadonlyArray<readonly [value: number, db: number]> = [
  [0.0213, -63], [0.0346, -60], [0.051, -57], [0.0678, -54], [0.0852, -51], [0.1035, -48],
  [0.1227, -45], [0.1429, -42], [0.1642, -39], [0.187, -36], [0.2116, -33], [0.2384, -30],
  [0.2683, -27], [0.3024, -24], [0.3437, -21], [0.4, -18],
];

/** The straight part: dB = (value - UNITY) / PER_DB. */
const UNITY = 0.85;
const PER_DB = 0.025;
const LINE_FROM = 0.4;

/** The top of Live's fader. */
const MAX_VOLUME_DB = 6;
/** The volume at 0 dB. */
export const UNITY_VOLUME = UNITY;

export function volumeToDb(value: number): number {
  if (!(value > 0)) return -Infinity;
  if (value >= 1) return MAX_VOLUME_DB;
  if (value >= LINE_FROM) return (value - UNITY) / PER_DB;
  const first = BENT[0]!;
  // Under the lowest measured point the fader is an amplitude control like any other.
  if (value < first[0]) return first[1] + 20 * Math.log10(value / first[0]);
  for (let i = 1; i < BENT.length; i++) {
    const [x1, y1] = BENT[i]!;
    if (value <= x1) {
      const [x0, y0] = BENT[i - 1]!;
      return y0 + ((value - x0) / (x1 - x0)) * (y1 - y0);
    }
  }
  return (value - UNITY) / PER_DB;
}

export function dbToVolume(db: number): number {
  if (Number.isNaN(db) || db === -Infinity) return 0;
  if (db >= MAX_VOLUME_DB) return 1;
  if (db >= -18) return UNITY + db * PER_DB;
  const first = BENT[0]!;
  if (db < first[1]) return first[0] * 10 ** ((db - first[1]) / 20);
  for (let i = 1; i < BENT.length; i++) {
    const [x1, y1] = BENT[i]!;
    if (db <= y1) {
      const [x0, y0] = BENT[i - 1]!;
      return x0 + ((db - y0) / (y1 - y0)) * (x1 - x0);
    }
  }
  return UNITY + db * PER_DB;
}
