/** Live's fader law lives in the protocol: the word parser on the server converts dB with the same curve. */
export { volumeToDb, dbToVolume } from '../../../protocol/browser.ts';

export function formatDb(db: number): string {
  if (!Number.isFinite(db)) return '-\u221e';
  const r = Math.round(db * 10) / 10;
  return `${r > 0 ? '+' : ''}${r.toFixed(1)}`;
}

export function formatPan(p: number): string {
  const v = Math.round(p * 50);
  if (v === 0) return 'C';
  return v < 0 ? `${-v}L` : `${v}R`;
}

/** Live colours are 0xRRGGBB integers. */
export function cssColor(color: number | undefined | null, fallback = '#5b6170'): string {
  if (typeof color !== 'number' || !Number.isFinite(color)) return fallback;
  return `#${(color & 0xffffff).toString(16).padStart(6, '0')}`;
}

/** Beats to "bar.beat.sixteenth", as Live's transport shows it. */
export function formatPosition(beats: number, numerator = 4, denominator = 4): string {
  if (!Number.isFinite(beats) || beats < 0) beats = 0;
  const beatLen = 4 / denominator;
  const beatsIn = beats / beatLen;
  const bar = Math.floor(beatsIn / numerator) + 1;
  const beat = Math.floor(beatsIn % numerator) + 1;
  const six = Math.floor(((beatsIn % 1) * 4) % 4) + 1;
  return `${bar}.${beat}.${six}`;
}

export function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

/** Compare revs `<epoch>.<counter>`: true when `a` is the same as or newer than `b`. */
export function revAtLeast(a: string | null | undefined, b: string | null | undefined): boolean {
  if (!b) return true;
  if (!a) return false;
  const da = a.lastIndexOf('.');
  const db = b.lastIndexOf('.');
  const ea = da < 0 ? '' : a.slice(0, da);
  const eb = db < 0 ? '' : b.slice(0, db);
  if (ea !== eb) return true; // a new epoch supersedes everything from the old one
  const ca = Number(a.slice(da + 1));
  const cb = Number(b.slice(db + 1));
  if (!Number.isFinite(ca) || !Number.isFinite(cb)) return a === b;
  return ca >= cb;
}

export function timeAgo(at: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 5) return 'now';
  if (s < 60) return `${s} s ago`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  return `${Math.round(m / 60)} h ago`;
}
