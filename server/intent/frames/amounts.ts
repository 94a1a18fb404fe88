import type { ClauseView } from '../clauses/clause-view.ts';

/** "a touch", "a bit", nothing said, "a lot". */
export type Amount = 'tiny' | 'small' | 'normal' | 'large';

export function amountOf(view: ClauseView): Amount {
  if (view.has('tiny')) return 'tiny';
  if (view.has('large')) return 'large';
  if (view.has('small')) return 'small';
  return 'normal';
}

/** How far an unmeasured step goes, per kind of control. */
export const STEPS = {
  /** Faders in dB: a touch is 1 dB, a bit 2, unsaid 3, a lot 6. */
  db: { tiny: 1, small: 2, normal: 3, large: 6 },
  /** Sends, 0..1. */
  send: { tiny: 0.03, small: 0.05, normal: 0.1, large: 0.2 },
  /** Pan, -1..1 (0.1 is 5 in Live's display of 50L..50R). */
  pan: { tiny: 0.1, small: 0.2, normal: 0.3, large: 0.5 },
  /** Tempo in BPM. */
  tempo: { tiny: 1, small: 2, normal: 5, large: 10 },
  /** Device parameters, as a share of their range. */
  param: { tiny: 0.02, small: 0.05, normal: 0.1, large: 0.25 },
} as const satisfies Record<string, Record<Amount, number>>;

export function formatDb(db: number): string {
  if (!Number.isFinite(db)) return '-inf dB';
  const r = Math.round(db * 10) / 10;
  const text = Number.isInteger(r) ? String(r) : r.toFixed(1);
  return `${r > 0 ? '+' : ''}${text === '-0' ? '0' : text} dB`;
}

/** Live's own way: 50L .. C .. 50R. */
export function formatPan(value: number): string {
  const v = Math.round(value * 50);
  if (v === 0) return 'center';
  return v < 0 ? `${-v}L` : `${v}R`;
}

export function formatPercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}

export function formatNumber(value: number, decimals = 2): string {
  const r = Math.round(value * 10 ** decimals) / 10 ** decimals;
  return String(r);
}

export function clamp(value: number, lo: number, hi: number): number {
  return value < lo ? lo : value > hi ? hi : value;
}

/** Volume and sends are written with four decimals: finer than Live's fader resolves. */
export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
