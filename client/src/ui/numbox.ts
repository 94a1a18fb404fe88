import { LitElement, html, css } from 'lit';
import { clamp } from '../state/format.ts';
import { DragController } from './drag-controller.ts';

/**
 * A Live-style number box (tempo): drag up/down to change, double-click or Enter to type,
 * arrow keys to step. Emits the same rt-grab / rt-move / rt-release / rt-set events as
 * faders, with real values (not normalised).
 */
export class RtNumbox extends LitElement {
  static override properties = {
    value: { type: Number },
    min: { type: Number },
    max: { type: Number },
    step: { type: Number },
    decimals: { type: Number },
    label: { type: String },
    unit: { type: String },
    disabled: { type: Boolean, reflect: true },
    held: { type: Boolean, reflect: true },
    snapping: { type: Boolean, reflect: true },
    editing: { state: true },
  };
  declare value: number;
  declare min: number;
  declare max: number;
  declare step: number;
  declare decimals: number;
  declare label: string;
  declare unit: string;
  declare disabled: boolean;
  declare held: boolean;
  declare snapping: boolean;
  declare editing: boolean;
  private readonly drag = new DragController(this, {
    start: () => this.value,
    // 10 px per step (1 BPM), 100 px per step with Shift: a drag across the box is a few BPM, not a jump.
    valueAt: (start, delta, fine) => {
      const steps = (delta.y * (fine ? 0.01 : 0.1)) / this.step;
      const raw = start + (fine ? steps * this.step : Math.round(steps) * this.step);
      return clamp(Number(raw.toFixed(this.decimals)), this.min, this.max);
    },
    disabled: () => this.disabled,
  });

  constructor() {
    super();
    this.value = 0;
    this.min = 0;
    this.max = 1;
    this.step = 1;
    this.decimals = 2;
    this.label = '';
    this.unit = '';
    this.disabled = false;
    this.held = false;
    this.snapping = false;
    this.editing = false;
  }

  static override styles = css`
    :host { display: inline-block; touch-action: none; user-select: none; -webkit-user-select: none; }
    .box { display: inline-flex; align-items: center; gap: 4px; padding: 3px 8px; min-width: 74px; min-height: var(--hit, 0px); box-sizing: border-box; justify-content: center; cursor: ns-resize;
      background: var(--bg-0); border: 1px solid var(--line); border-radius: var(--radius-s); font: 600 14px var(--mono); color: var(--accent); font-variant-numeric: tabular-nums; }
    .box:focus-visible { outline: none; box-shadow: var(--focus); }
    :host([disabled]) .box { cursor: not-allowed; color: var(--text-2); }
    :host([held]) .box { border-color: var(--held); }
    :host([snapping]) .box { animation: snap 0.9s ease-out; }
    @keyframes snap { 0%, 40% { border-color: var(--warn); box-shadow: 0 0 0 3px color-mix(in srgb, var(--warn) 50%, transparent); } }
    .unit { font-size: 10px; color: var(--text-2); font-weight: 400; }
    input { width: 74px; font: 600 14px var(--mono); background: var(--bg-0); color: var(--text-0); border: 1px solid var(--select); border-radius: var(--radius-s); padding: 3px 6px; }
  `;

  override render() {
    if (this.editing) {
      return html`<input aria-label=${this.label} .value=${this.value.toFixed(this.decimals)} inputmode="decimal"
        @keydown=${this.onEditKey} @blur=${this.commit} />`;
    }
    return html`<span class="box" role="spinbutton" tabindex=${this.disabled ? -1 : 0} aria-label=${this.label}
      aria-valuemin=${this.min} aria-valuemax=${this.max} aria-valuenow=${this.value} aria-disabled=${this.disabled ? 'true' : 'false'}
      title=${this.held ? 'Someone else is changing this' : `${this.label}: drag, or double-click to type`}
      @pointerdown=${this.drag.down} @pointermove=${this.drag.move} @pointerup=${this.drag.up} @pointercancel=${this.drag.up} @lostpointercapture=${this.drag.up}
      @dblclick=${this.startEdit} @keydown=${this.onKey}>${this.value.toFixed(this.decimals)}<span class="unit">${this.unit}</span></span>`;
  }

  private fire(name: 'rt-set', value: number): void {
    this.dispatchEvent(new CustomEvent(name, { detail: { value }, bubbles: true, composed: true }));
  }

  private onKey(e: KeyboardEvent): void {
    if (this.disabled) return;
    let next: number | null = null;
    const s = e.shiftKey ? this.step / 10 : this.step;
    if (e.key === 'ArrowUp') next = this.value + s;
    else if (e.key === 'ArrowDown') next = this.value - s;
    else if (e.key === 'Enter') {
      e.preventDefault();
      this.startEdit();
      return;
    }
    if (next === null) return;
    e.preventDefault();
    this.fire('rt-set', clamp(Number(next.toFixed(this.decimals)), this.min, this.max));
  }

  private startEdit(): void {
    if (this.disabled) return;
    this.editing = true;
    void this.updateComplete.then(() => {
      const input = this.renderRoot.querySelector('input');
      input?.focus();
      input?.select();
    });
  }

  private onEditKey(e: KeyboardEvent): void {
    if (e.key === 'Enter') this.commit(e);
    else if (e.key === 'Escape') this.editing = false;
  }

  private commit(e: Event): void {
    if (!this.editing) return;
    const v = Number((e.target as HTMLInputElement).value.replace(',', '.'));
    this.editing = false;
    if (Number.isFinite(v)) this.fire('rt-set', clamp(v, this.min, this.max));
  }
}
customElements.define('rt-numbox', RtNumbox);
