/**
 * Commands per session over the last minute, for the host's load view. Counts per
 * second bucket, so memory stays at 60 numbers a session whatever the rate.
 */
export class CommandRate {
  private readonly buckets = new Map<string, { second: number[]; count: number[] }>();

  constructor(private readonly now: () => number = Date.now) {}

  record(sessionId: string): void {
    const second = Math.floor(this.now() / 1000);
    const b = this.buckets.get(sessionId) ?? { second: [], count: [] };
    this.buckets.set(sessionId, b);
    if (b.second.at(-1) === second) b.count[b.count.length - 1]! += 1;
    else { b.second.push(second); b.count.push(1); }
    this.trim(b, second);
  }

  perMinute(sessionId: string): number {
    const b = this.buckets.get(sessionId);
    if (!b) return 0;
    this.trim(b, Math.floor(this.now() / 1000));
    return b.count.reduce((n, c) => n + c, 0);
  }

  forget(sessionId: string): void {
    this.buckets.delete(sessionId);
  }

  private trim(b: { second: number[]; count: number[] }, second: number): void {
    while (b.second.length && b.second[0]! <= second - 60) { b.second.shift(); b.count.shift(); }
  }
}
