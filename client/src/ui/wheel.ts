import { clamp } from '../state/format.ts';

/** One wheel notch (100 px of deltaY) moves a control this much of its range… */
export const WHEEL_STEP = 0.02;
/** …and this much with Shift or Alt held (fine). */
export const WHEEL_FINE_STEP = 0.002;
/** A wheel gesture ends this long after its last notch (then the value is sent as final). */
export const WHEEL_IDLE_MS = 250;

/**
 * The mouse wheel on a fader or knob, as one gesture: the first notch grabs, each notch
 * moves, and a pause releases — the same rt-grab / rt-move / rt-release a drag sends, so
 * a wheel turn is one leased, coalesced gesture, not a command per notch.
 */
export class WheelGesture {
  private value: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly host: HTMLElement, private readonly current: () => number, private readonly disabled: () => boolean, private readonly quantize: (v: number) => number = (v) => v) {}

  readonly onWheel = (e: WheelEvent): void => {
    if (this.disabled()) return;
    const delta = Math.abs(e.deltaY) >= Math.abs(e.deltaX) ? e.deltaY : e.deltaX;
    if (delta === 0) return;
    e.preventDefault();
    const notches = (e.deltaMode === WheelEvent.DOM_DELTA_LINE ? delta / 3 : e.deltaMode === WheelEvent.DOM_DELTA_PAGE ? delta * 10 : delta / 100);
    const step = e.shiftKey || e.altKey ? WHEEL_FINE_STEP : WHEEL_STEP;
    if (this.value === null) {
      this.value = clamp(this.current(), 0, 1);
      this.fire('rt-grab');
    }
    const next = this.quantize(clamp(this.value - notches * step, 0, 1));
    if (next !== this.value) {
      this.value = next;
      this.fire('rt-move', next);
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.end(), WHEEL_IDLE_MS);
  };

  private end(): void {
    this.timer = null;
    if (this.value === null) return;
    const v = this.value;
    this.value = null;
    this.fire('rt-release', v);
  }

  private fire(name: string, value?: number): void {
    this.host.dispatchEvent(new CustomEvent(name, { detail: { value }, bubbles: true, composed: true }));
  }
}
