/**
 * What the meters line last said about every track and playing clip. The Remote Script
 * sends only what moved since its previous line, so a page that connects later (or
 * reconnects) would show silent meters and bar 1 until each value moved again; the server
 * keeps the merged frame and greets each new socket with it. Forgotten when Live or the
 * agent goes away: stale levels must not outlive the link that measured them.
 */
export interface MeterFrame {
  levels: Record<string, [number, number]>;
  position?: number;
  clips?: Record<string, number>;
}

export class MeterState {
  private levels = new Map<string, [number, number]>();
  private clips = new Map<string, number>();
  private position: number | undefined;

  merge(frame: MeterFrame): void {
    for (const [id, pair] of Object.entries(frame.levels)) this.levels.set(id, pair);
    if (frame.position !== undefined) this.position = frame.position;
    for (const [id, at] of Object.entries(frame.clips ?? {})) this.clips.set(id, at);
  }

  /** The whole frame, or null when nothing was measured since the last reset. */
  full(): MeterFrame | null {
    if (this.levels.size === 0 && this.position === undefined && this.clips.size === 0) return null;
    const frame: MeterFrame = { levels: Object.fromEntries(this.levels) };
    if (this.position !== undefined) frame.position = this.position;
    if (this.clips.size) frame.clips = Object.fromEntries(this.clips);
    return frame;
  }

  reset(): void {
    this.levels.clear();
    this.clips.clear();
    this.position = undefined;
  }
}
