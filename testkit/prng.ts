/**
 * A small seeded PRNG (mulberry32) so every fuzz run and every benchmark mix can be
 * replayed from its seed. Not for anything secret.
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = Math.floor(this.next() * 256);
    return out;
  }

  /** A string of `n` characters drawn from a mix of ASCII, control and astral characters. */
  string(n: number): string {
    const pools = ['abcdefghijklmnopqrstuvwxyz0123456789', '{}[]":,\\/\n\r\t\0 ', 'éß漢字🎛️\u202e\ufeff\ud800'];
    let s = '';
    for (let i = 0; i < n; i++) s += this.pick(this.pick(pools).split(''));
    return s;
  }

  /** A child generator whose sequence depends only on this one's seed and `label`. */
  fork(label: string): Prng {
    let h = this.seed ^ 0x9e3779b9;
    for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
    return new Prng(h >>> 0);
  }
}
