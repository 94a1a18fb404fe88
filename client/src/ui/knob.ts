import { LitElement, html, css, svg, nothing } from 'lit';
import { clamp } from '../state/format.ts';
import { DragController } from './drag-controller.ts';
import { WheelGesture } from './wheel.ts';

const START = -135;
const SWEEP = 270;

function arc(cx: number, cy: number, r: number, a0: number, a1: number): string {
  const p = (a: number) => {
    const rad = ((a - 90) * Math.PI) / 180;
    return `${(cx + r * Math.cos(rad)).toFixed(2)} ${(cy + r * Math.sin(rad)).toFixed(2)}`;
  };
  const large = Math.abs(a1 - a0) > 180 ? 1 : 0;
  const sweep = a1 > a0 ? 1 : 0;
  return `M ${p(a0)} A ${r} ${r} 0 ${large} ${sweep} ${p(a1)}`;
}

/**
 * A rotary knob (pan, sends, device parameters): vertical drag, relative, one pointer.
 * Value is normalised 0..1; `bipolar` draws the arc from the centre (pan).
 */
export class RtKnob extends LitElement {
  static override properties = {
    value: { type: Number },
    label: { type: String },
    valueText: { type: String, attribute: 'value-text' },
    caption: { type: String },
    disabled: { type: Boolean, reflect: true },
    held: { type: Boolean, reflect: true },
    snapping: { type: Boolean, reflect: true },
    bipolar: { type: Boolean },
    defaultValue: { type: Number, attribute: 'default-value' },
    color: { type: String },
    size: { type: Number },
    steps: { type: Number },
  };

  declare value: number;
  declare label: string;
  declare valueText: string;
  declare caption: string;
  declare disabled: boolean;
  declare held: boolean;
  declare snapping: boolean;
  declare bipolar: boolean;
  declare defaultValue: number | undefined;
  declare color: string;
  declare size: number;
  declare steps: number;

  private readonly drag = new DragController(this, {
    start: () => clamp(this.value, 0, 1),
    valueAt: (start, delta, fine) => this.quantize(clamp(start + delta.y / (fine ? 600 : 150), 0, 1)),
    disabled: () => this.disabled,
  });
  private readonly wheel = new WheelGesture(this, () => this.value, () => this.disabled, (v) => this.quantize(v));

  constructor() {
    super();
    this.value = 0;
    this.label = 'Knob';
    this.valueText = '';
    this.caption = '';
    this.disabled = false;
    this.held = false;
    this.snapping = false;
    this.bipolar = false;
    this.defaultValue = undefined;
    this.color = 'var(--accent)';
    this.size = 34;
    this.steps = 0;
  }

  static override styles = css`
    :host { display: inline-flex; flex-direction: column; align-items: center; gap: 2px; touch-action: none; user-select: none; -webkit-user-select: none; min-width: 0; }
    .dial { cursor: ns-resize; border-radius: 50%; display: block; }
    :host([disabled]) .dial { cursor: not-allowed; opacity: 0.5; }
    .dial:focus-visible { outline: none; box-shadow: var(--focus); }
    .bg { stroke: var(--bg-0); }
    .val { stroke: var(--fill); }
    .body { fill: var(--bg-3); stroke: var(--line); }
    .ptr { stroke: var(--text-0); stroke-linecap: round; }
    :host([held]) .body { stroke: var(--held); stroke-width: 2; }
    :host([snapping]) .body { animation: snap 0.9s ease-out; }
    @keyframes snap { 0%, 40% { stroke: var(--warn); stroke-width: 3; } }
    .cap { font: 10px/1.1 var(--font); color: var(--text-2); max-width: 72px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; text-align: center; }
    .val-text { font: 10px/1.1 var(--mono); color: var(--text-1); white-space: nowrap; }
  `;

  override render() {
    const v = clamp(this.value, 0, 1);
    const s = this.size;
    const c = s / 2;
    const r = s / 2 - 3;
    const a = START + v * SWEEP;
    const from = this.bipolar ? 0 : START;
    const vt = this.valueText || `${Math.round(v * 100)}%`;
    const rad = ((a - 90) * Math.PI) / 180;
    return html`
      <svg class="dial" width=${s} height=${s} viewBox="0 0 ${s} ${s}"
        role="slider" tabindex=${this.disabled ? -1 : 0}
        aria-label=${this.label} aria-valuemin="0" aria-valuemax="1" aria-valuenow=${v.toFixed(3)} aria-valuetext=${vt}
        aria-disabled=${this.disabled ? 'true' : 'false'}
        style="--fill:${this.color}"
        @pointerdown=${this.drag.down} @pointermove=${this.drag.move} @pointerup=${this.drag.up} @pointercancel=${this.drag.up}
        @lostpointercapture=${this.drag.up} @keydown=${this.onKey} @dblclick=${this.onDouble} @wheel=${this.wheel.onWheel}>
        <title>${this.held ? `${this.label}: someone else is moving this` : `${this.label}: ${vt}`}</title>
        ${svg`<path class="bg" d=${arc(c, c, r, START, START + SWEEP)} fill="none" stroke-width="3"></path>`}
        ${Math.abs(a - from) > 0.5 ? svg`<path class="val" d=${arc(c, c, r, Math.min(from, a), Math.max(from, a))} fill="none" stroke-width="3"></path>` : nothing}
        ${svg`<circle class="body" cx=${c} cy=${c} r=${r - 5}></circle>`}
        ${svg`<line class="ptr" x1=${c + (r - 13) * Math.cos(rad) * 0.2} y1=${c + (r - 13) * Math.sin(rad) * 0.2} x2=${c + (r - 6) * Math.cos(rad)} y2=${c + (r - 6) * Math.sin(rad)} stroke-width="2"></line>`}
      </svg>
      ${this.caption ? html`<span class="cap" title=${this.caption}>${this.caption}</span>` : nothing}
      <span class="val-text">${vt}</span>
    `;
  }

  private quantize(v: number): number {
    if (this.steps > 1) return Math.round(v * (this.steps - 1)) / (this.steps - 1);
    return v;
  }

  private onKey(e: KeyboardEvent): void {
    if (this.disabled) return;
    const step = this.steps > 1 ? 1 / (this.steps - 1) : e.shiftKey ? 0.002 : 0.01;
    const v = clamp(this.value, 0, 1);
    let next: number | null = null;
    if (e.key === 'ArrowUp' || e.key === 'ArrowRight') next = v + step;
    else if (e.key === 'ArrowDown' || e.key === 'ArrowLeft') next = v - step;
    else if (e.key === 'PageUp') next = v + Math.max(step, 0.1);
    else if (e.key === 'PageDown') next = v - Math.max(step, 0.1);
    else if (e.key === 'Home') next = 1;
    else if (e.key === 'End') next = 0;
    else if ((e.key === 'Delete' || e.key === 'Backspace') && this.defaultValue !== undefined) next = this.defaultValue;
    if (next === null) return;
    e.preventDefault();
    this.dispatchEvent(new CustomEvent('rt-set', { detail: { value: this.quantize(clamp(next, 0, 1)) }, bubbles: true, composed: true }));
  }

  private onDouble(): void {
    if (this.disabled || this.defaultValue === undefined) return;
    this.dispatchEvent(new CustomEvent('rt-set', { detail: { value: this.defaultValue }, bubbles: true, composed: true }));
  }
}
customElements.define('rt-knob', RtKnob);

declare global {
  interface HTMLElementTagNameMap { 'rt-knob': RtKnob }
}
