import type { MetersBody } from './agent-messages.ts';

/**
 * Meter frames (track levels, the song position, playing clips' positions) on their way
 * from the Remote Script to every page: a plain merge and a relay, used by the host agent
 * (script → server) and the server (server → pages), both of which send them volatile.
 *
 * What the meters line last said about every track and playing clip. The Remote Script
 * sends only what moved since its previous line, so a page that connects later (or
 * reconnects) would show silent meters and bar 1 until each value moved again; the server
 * keeps the merged frame and greets each new socket with it. Forgotten when Live or the
 * agent goes away: stale levels must not outlive the link that measured them.
 */
export type MeterFrame = MetersBody;

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

/** How long the meter stream must pause before the last frame is sent again, reliably. */
export const METERS_QUIET_MS = 300;

/**
 * Relays meter frames onward: each delta at once and volatile (a late level is worth
 * nothing), plus the whole merged frame reliably when it matters — the first frame after
 * Live (re)appears, and once the stream pauses (a stopped song sends nothing more). The
 * script sends only what moved, so one dropped volatile frame (a snapshot filling the
 * socket right when Live comes back) would otherwise leave a stale position for good.
 */
export class MeterRelay {
  readonly state = new MeterState();
  private fresh = true;
  private quiet: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly emitVolatile: (frame: MeterFrame) => void,
    private readonly emitReliable: (frame: MeterFrame) => void,
    private readonly quietMs = METERS_QUIET_MS,
  ) {}

  receive(frame: MeterFrame): void {
    this.state.merge(frame);
    if (this.fresh) {
      this.fresh = false;
      const full = this.state.full();
      if (full) this.emitReliable(full);
    } else {
      this.emitVolatile(frame);
    }
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = setTimeout(() => {
      this.quiet = null;
      const full = this.state.full();
      if (full) this.emitReliable(full);
    }, this.quietMs);
    (this.quiet as { unref?: () => void }).unref?.();
  }

  /** Live or the agent went away. */
  reset(): void {
    this.state.reset();
    this.fresh = true;
    if (this.quiet) clearTimeout(this.quiet);
    this.quiet = null;
  }

  close(): void {
    this.reset();
  }
}
