import { LitElement, html, css } from 'lit';
import type { RoomLink } from '../state/room.ts';
import { cancelPaint, paintNextFrame } from './frame-painter.ts';

/**
 * A stereo level meter. Meter frames arrive ~20×/s over socket.io; this element writes
 * its styles in the shared meter frame (ui/frame-painter.ts) and never goes through a Lit render, so meters
 * cost nothing to the rest of the page.
 */
export class RtMeter extends LitElement {
  static override properties = { trackId: { type: String, attribute: 'track-id' } };
  declare trackId: string;
  link: RoomLink | null = null;
  private off: (() => void) | null = null;
  private readonly paintNow = (): void => this.paint();
  private peak = [0, 0];
  private peakAt = [0, 0];

  constructor() {
    super();
    this.trackId = '';
  }

  static override styles = css`
    :host { display: flex; gap: 2px; width: 10px; height: 100%; min-height: 40px; }
    .ch { position: relative; flex: 1; background: var(--bg-0); border-radius: 1px; overflow: hidden; }
    .lvl { position: absolute; inset: 0; clip-path: inset(100% 0 0 0);
      background: linear-gradient(to top, var(--meter-lo) 0%, var(--meter-lo) 68%, var(--meter-mid) 84%, var(--meter-hi) 97%); }
    /* The peak line is the top edge of a box as tall as the channel, hung just below it:
       moving it up by a share of its own height needs no measuring of the channel. */
    .pk { position: absolute; left: 0; right: 0; top: 100%; height: 100%; box-sizing: border-box; border-top: 1px solid var(--text-1); opacity: 0; }
  `;

  override render() {
    return html`<div class="ch"><div class="lvl"></div><div class="pk"></div></div><div class="ch"><div class="lvl"></div><div class="pk"></div></div>`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.setAttribute('aria-hidden', 'true');
    if (this.link) this.off = this.link.meterTick.subscribe(() => this.schedule());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
    this.off = null;
    cancelPaint(this.paintNow);
  }

  private schedule(): void {
    paintNextFrame(this.paintNow);
  }

  private paint(): void {
    const lv = this.link?.meters.levels[this.trackId] ?? [0, 0];
    const lvls = this.renderRoot.querySelectorAll<HTMLElement>('.lvl');
    const pks = this.renderRoot.querySelectorAll<HTMLElement>('.pk');
    const now = performance.now();
    for (let i = 0; i < 2; i++) {
      const v = Math.max(0, Math.min(1, lv[i] ?? 0));
      const el = lvls[i];
      if (el) el.style.clipPath = `inset(${((1 - v) * 100).toFixed(1)}% 0 0 0)`;
      if (v >= this.peak[i]! || now - this.peakAt[i]! > 1200) {
        this.peak[i] = v;
        this.peakAt[i] = now;
      }
      const pk = pks[i];
      if (pk) {
        // A percentage of the line's own box (the channel's height): reading the channel's
        // height here instead forced a layout in every meter's frame, one after another.
        const p = this.peak[i]!;
        pk.style.transform = `translateY(calc(${(-p * 100).toFixed(2)}% - ${(1 - p).toFixed(3)}px))`;
        pk.style.opacity = p > 0.001 ? '1' : '0';
      }
    }
  }
}
customElements.define('rt-meter', RtMeter);

declare global {
  interface HTMLElementTagNameMap { 'rt-meter': RtMeter }
}
