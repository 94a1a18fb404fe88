/** Exponential backoff with full jitter, so agents restarted together don't reconnect in lockstep. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly baseMs = 200, private readonly maxMs = 5_000, private readonly random: () => number = Math.random) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(ceiling / 2 + (ceiling / 2) * this.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
