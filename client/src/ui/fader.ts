import { LitElement, html, css, nothing } from 'lit';
import { clamp } from '../state/format.ts';
import { DragController } from './drag-controller.ts';
import { WheelGesture } from './wheel.ts';

export interface FaderMark { at: number; label: string }

/**
 * A fader: relative drag (the cap never jumps to the finger), one pointer per fader
 * (setPointerCapture by pointer id, so ten fingers can hold ten faders), keyboard steps,
 * double-click resets. It only reports intent (rt-grab / rt-move / rt-release / rt-set);
 * the owner decides what to send and what value to show.
 */
export class RtFader extends LitElement {
  static override properties = {
    value: { type: Number },
    label: { type: String },
    valueText: { type: String, attribute: 'value-text' },
    disabled: { type: Boolean, reflect: true },
    held: { type: Boolean, reflect: true },
    snapping: { type: Boolean, reflect: true },
    size: { type: String, reflect: true },
    marks: { attribute: false },
    defaultValue: { type: Number, attribute: 'default-value' },
    color: { type: String },
    horizontal: { type: Boolean, reflect: true },
    active: { type: Boolean, reflect: true },
  };

  declare value: number;
  declare label: string;
  declare valueText: string;
  declare disabled: boolean;
  declare held: boolean;
  declare snapping: boolean;
  declare size: 'm' | 'l';
  declare marks: FaderMark[];
  declare defaultValue: number | undefined;
  declare color: string;
  declare horizontal: boolean;
  declare active: boolean;

  private readonly drag = new DragController(this, {
    start: () => clamp(this.value, 0, 1),
    valueAt: (start, delta, fine) => clamp(start + ((this.horizontal ? delta.x : delta.y) / this.length()) * (fine ? 0.2 : 1), 0, 1),
    disabled: () => this.disabled,
    onActive: (active) => { this.active = active; },
  });
  private readonly wheel = new WheelGesture(this, () => this.value, () => this.disabled);

  constructor() {
    super();
    this.value = 0;
    this.label = 'Fader';
    this.valueText = '';
    this.disabled = false;
    this.held = false;
    this.snapping = false;
    this.size = 'm';
    this.marks = [];
    this.defaultValue = undefined;
    this.color = 'var(--accent)';
    this.horizontal = false;
    this.active = false;
  }

  static override styles = css`
    :host { display: block; position: relative; touch-action: none; user-select: none; -webkit-user-select: none; --cap: var(--text-0); }
    :host(:not([horizontal])) { width: 100%; height: 100%; min-height: 80px; }
    :host([horizontal]) { height: 28px; width: 100%; }
    .wrap { position: absolute; inset: 0; cursor: ns-resize; border-radius: var(--radius-s); }
    :host([horizontal]) .wrap { cursor: ew-resize; }
    :host([disabled]) .wrap { cursor: not-allowed; opacity: 0.5; }
    .wrap:focus-visible { outline: none; box-shadow: var(--focus); }
    .track { position: absolute; background: var(--bg-0); border: 1px solid var(--line-soft); border-radius: 3px; }
    :host(:not([horizontal])) .track { left: 50%; width: 6px; transform: translateX(-50%); top: 8px; bottom: 8px; }
    :host([horizontal]) .track { top: 50%; height: 6px; transform: translateY(-50%); left: 8px; right: 8px; }
    .fill { position: absolute; background: var(--fill, var(--accent)); border-radius: 3px; opacity: 0.85; }
    :host(:not([horizontal])) .fill { left: 0; right: 0; bottom: 0; height: calc(var(--pos) * 100%); }
    :host([horizontal]) .fill { top: 0; bottom: 0; left: 0; width: calc(var(--pos) * 100%); }
    .cap {
      position: absolute; background: linear-gradient(#4a505e, #2c313b); border: 1px solid #626a7b;
      border-radius: 3px; box-shadow: 0 2px 6px rgb(0 0 0 / 60%); pointer-events: none;
    }
    .cap::after { content: ''; position: absolute; background: var(--cap); }
    :host(:not([horizontal])) .cap { left: 50%; width: 34px; height: 18px; transform: translate(-50%, 50%); bottom: calc(8px + var(--pos) * (100% - 16px)); }
    :host(:not([horizontal])) .cap::after { left: 4px; right: 4px; top: 50%; height: 2px; margin-top: -1px; }
    :host([horizontal]) .cap { top: 50%; width: 14px; height: 24px; transform: translate(-50%, -50%); left: calc(8px + var(--pos) * (100% - 16px)); }
    :host([horizontal]) .cap::after { top: 4px; bottom: 4px; left: 50%; width: 2px; margin-left: -1px; }
    :host([size='l']:not([horizontal])) .cap { width: 46px; height: 34px; border-radius: 6px; }
    .wrap.marked .track, .wrap.marked .cap { left: calc(50% + 9px); }
    :host([size='l']:not([horizontal])) .track { width: 10px; top: 18px; bottom: 18px; }
    :host([size='l']:not([horizontal])) .cap { bottom: calc(18px + var(--pos) * (100% - 36px)); }
    :host([active]) .cap { border-color: var(--accent); box-shadow: 0 0 0 2px color-mix(in srgb, var(--accent) 50%, transparent), 0 2px 6px rgb(0 0 0 / 60%); }
    :host([held]) .cap { border-color: var(--held); box-shadow: 0 0 0 2px color-mix(in srgb, var(--held) 55%, transparent); }
    :host([held]) .track { border-color: var(--held); }
    :host([snapping]) .cap { animation: snap 0.9s ease-out; }
    @keyframes snap { 0%, 40% { border-color: var(--warn); box-shadow: 0 0 0 4px color-mix(in srgb, var(--warn) 60%, transparent); } 100% { } }
    .marks { position: absolute; inset: 0; pointer-events: none; }
    .mark { position: absolute; left: 0; transform: translateY(50%); font: 9px/1 var(--mono); color: var(--text-3); display: flex; align-items: center; gap: 2px; }
    .mark::before { content: ''; width: 5px; height: 1px; background: var(--text-3); }
    :host([size='l']) .mark { font-size: 11px; }
    .badge { position: absolute; top: -2px; right: 0; font: 600 9px var(--font); letter-spacing: 0.04em; color: var(--held); text-transform: uppercase; pointer-events: none; }
  `;

  override render() {
    const pos = clamp(this.value, 0, 1);
    const vt = this.valueText || `${Math.round(pos * 100)}%`;
    return html`<div
        class=${this.marks.length && !this.horizontal ? 'wrap marked' : 'wrap'}
        role="slider"
        tabindex=${this.disabled ? -1 : 0}
        aria-label=${this.label}
        aria-valuemin="0"
        aria-valuemax="1"
        aria-valuenow=${pos.toFixed(3)}
        aria-valuetext=${vt}
        aria-orientation=${this.horizontal ? 'horizontal' : 'vertical'}
        aria-disabled=${this.disabled ? 'true' : 'false'}
        title=${this.held ? `${this.label}: someone else is moving this` : `${this.label}: ${vt}`}
        style="--pos:${pos}; --fill:${this.color}"
        @pointerdown=${this.drag.down}
        @pointermove=${this.drag.move}
        @pointerup=${this.drag.up}
        @pointercancel=${this.drag.up}
        @lostpointercapture=${this.drag.up}
        @keydown=${this.onKey}
        @dblclick=${this.onDouble}
        @wheel=${this.wheel.onWheel}
      >
        ${this.marks.length && !this.horizontal ? this.renderMarks() : nothing}
        <div class="track"><div class="fill"></div></div>
        <div class="cap"></div>
      </div>
      ${this.held ? html`<span class="badge" aria-hidden="true">held</span>` : nothing}`;
  }

  private renderMarks() {
    const pad = this.size === 'l' ? 18 : 8;
    return html`<div class="marks" aria-hidden="true">
      ${this.marks.map((m) => html`<span class="mark" style="bottom: calc(${pad}px + ${m.at.toFixed(4)} * (100% - ${2 * pad}px))">${m.label}</span>`)}
    </div>`;
  }

  private length(): number {
    const r = this.getBoundingClientRect();
    const pad = this.size === 'l' ? 36 : 16;
    return Math.max(20, (this.horizontal ? r.width : r.height) - pad);
  }

  private onKey(e: KeyboardEvent): void {
    if (this.disabled) return;
    const step = e.shiftKey ? 0.002 : 0.01;
    const up = this.horizontal ? ['ArrowRight', 'ArrowUp'] : ['ArrowUp', 'ArrowRight'];
    const down = this.horizontal ? ['ArrowLeft', 'ArrowDown'] : ['ArrowDown', 'ArrowLeft'];
    let next: number | null = null;
    const v = clamp(this.value, 0, 1);
    if (up.includes(e.key)) next = v + step;
    else if (down.includes(e.key)) next = v - step;
    else if (e.key === 'PageUp') next = v + 0.1;
    else if (e.key === 'PageDown') next = v - 0.1;
    else if (e.key === 'Home') next = 1;
    else if (e.key === 'End') next = 0;
    else if ((e.key === 'Delete' || e.key === 'Backspace') && this.defaultValue !== undefined) next = this.defaultValue;
    if (next === null) return;
    e.preventDefault();
    this.dispatchEvent(new CustomEvent('rt-set', { detail: { value: clamp(next, 0, 1) }, bubbles: true, composed: true }));
  }

  private onDouble(): void {
    if (this.disabled || this.defaultValue === undefined) return;
    this.dispatchEvent(new CustomEvent('rt-set', { detail: { value: this.defaultValue }, bubbles: true, composed: true }));
  }
}
customElements.define('rt-fader', RtFader);

declare global {
  interface HTMLElementTagNameMap { 'rt-fader': RtFader }
}
