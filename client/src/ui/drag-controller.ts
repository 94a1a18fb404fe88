import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What rt-move, rt-release and rt-set carry (rt-grab carries nothing). */
export interface ValueDetail { value: number }

/** A control's intent event, as its owner's template receives it. */
export type ValueEvent = CustomEvent<ValueDetail>;

export interface DragOptions {
  /** The value the drag starts from (the control's value at pointer-down). */
  start(): number;
  /**
   * The value for a pointer `delta` px from where it went down (x to the right, y up),
   * `fine` while Shift is held. The drag is relative: the value never jumps to the finger.
   */
  valueAt(start: number, delta: { x: number; y: number }, fine: boolean): number;
  disabled(): boolean;
  /** Told when a drag begins and ends (a fader lights its cap). */
  onActive?(active: boolean): void;
}

type Host = ReactiveControllerHost & EventTarget;

/**
 * One drag for every continuous control (fader, knob, number box): one pointer per
 * control (setPointerCapture by pointer id, so ten fingers can hold ten faders), relative
 * movement, fine mode with Shift, and the same intent events: `rt-grab`, then `rt-move`
 * { value } for each new value, then `rt-release` { value }. The owner decides what to
 * send and what to show (state/gesture.ts).
 */
export class DragController implements ReactiveController {
  private pointerId: number | null = null;
  private origin = { x: 0, y: 0 };
  private startValue = 0;
  private current = 0;

  constructor(private readonly host: Host, private readonly options: DragOptions) {
    host.addController(this);
  }

  get dragging(): boolean {
    return this.pointerId !== null;
  }

  hostConnected(): void {}

  hostDisconnected(): void {
    // A control removed mid-drag (its track deleted) still ends its gesture.
    if (this.pointerId !== null) this.finish();
  }

  readonly down = (e: PointerEvent): void => {
    if (this.options.disabled() || this.pointerId !== null) return;
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const target = e.currentTarget;
    if (!(target instanceof Element)) return;
    e.preventDefault();
    target.setPointerCapture(e.pointerId);
    if (target instanceof HTMLElement || target instanceof SVGElement) target.focus({ preventScroll: true });
    this.pointerId = e.pointerId;
    this.origin = { x: e.clientX, y: e.clientY };
    this.startValue = this.options.start();
    this.current = this.startValue;
    this.options.onActive?.(true);
    this.emit('rt-grab');
  };

  readonly move = (e: PointerEvent): void => {
    if (e.pointerId !== this.pointerId) return;
    e.preventDefault();
    const next = this.options.valueAt(this.startValue, { x: e.clientX - this.origin.x, y: this.origin.y - e.clientY }, e.shiftKey);
    if (next === this.current) return;
    this.current = next;
    this.emit('rt-move', next);
  };

  /** pointerup, pointercancel and lostpointercapture all end the drag, once. */
  readonly up = (e: PointerEvent): void => {
    if (e.pointerId !== this.pointerId) return;
    this.finish();
  };

  private finish(): void {
    this.pointerId = null;
    this.options.onActive?.(false);
    this.emit('rt-release', this.current);
  }

  private emit(name: 'rt-grab' | 'rt-move' | 'rt-release', value?: number): void {
    this.host.dispatchEvent(new CustomEvent(name, { detail: value === undefined ? {} : { value }, bubbles: true, composed: true }));
  }
}
