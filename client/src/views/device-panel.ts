import { LitElement, html, css, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomApp } from '../state/app.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { ControlBinding } from '../state/gesture.ts';
import { cssColor, clamp } from '../state/format.ts';
import { base } from '../ui/shared.ts';
import type { ValueEvent } from '../ui/drag-controller.ts';
import { RoomFollower } from './cells.ts';
import { deviceBanksOf, type DeviceBank } from '../../../protocol/browser.ts';
import { screen } from '../state/screen.ts';

/**
 * One device parameter with its real range: a knob for continuous values, buttons or a
 * menu for quantized ones (Live's valueItems). Follows only its own parameter entity.
 */
export class RtParam extends LitElement {
  static override properties = { app: { attribute: false }, paramId: { type: String, attribute: 'param-id' }, trackId: { type: String, attribute: 'track-id' } };
  declare app: RoomApp;
  declare paramId: string;
  declare trackId: string;
  private binding: ControlBinding;
  private offs: Array<() => void> = [];

  constructor() {
    super();
    this.paramId = '';
    this.trackId = '';
    new EntityWatch(this, () => this.app?.set, () => [`params:${this.paramId}`]);
    this.binding = new ControlBinding(this, () => this.app, {
      action: 'parameter.set', target: () => this.paramId,
      args: (norm) => {
        const p = this.param();
        const lo = p?.min ?? 0;
        const hi = p?.max ?? 1;
        return { value: Number((lo + norm * (hi - lo)).toFixed(6)) };
      },
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const l = this.app.link;
    this.offs = [l.flags, l.session, l.leases, this.app.truth].map((o) => (o as { subscribe(fn: () => void): () => void }).subscribe(() => this.requestUpdate()));
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offs.forEach((o) => o());
  }

  private param() {
    return this.app?.set.get('parameter', this.paramId);
  }

  static override styles = [base, css`
    :host { display: flex; flex-direction: column; align-items: center; justify-content: flex-start; min-width: 0; padding: 4px 2px; }
    .q { display: grid; gap: 3px; width: 100%; }
    .name { font-size: 11px; color: var(--text-1); text-align: center; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 100%; }
    .seg { display: flex; flex-wrap: wrap; gap: 2px; justify-content: center; }
    .seg button { font-size: 10px; padding: 2px 5px; min-height: var(--hit, 24px); min-width: var(--hit-w, 24px); }
    .seg button[aria-checked='true'] { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
    select { font-size: 11px; padding: 2px 4px; width: 100%; }
  `];

  override render() {
    const p = this.param();
    if (!p) return nothing;
    const can = this.app.canControl(this.trackId) && p.isEnabled;
    const items = p.valueItems ?? [];
    const held = this.binding.heldByOther();
    if (p.isQuantized) {
      const count = Math.round(p.max - p.min) + 1;
      const label = (i: number) => items[i] ?? String(p.min + i);
      const cur = Math.round(p.value - p.min);
      if (count <= 4) {
        return html`<div class="q"><span class="name" title=${p.name}>${p.name}</span><div class="seg" role="radiogroup" aria-label=${p.name}>
          ${Array.from({ length: count }, (_, i) => html`<button role="radio" aria-checked=${cur === i ? 'true' : 'false'} ?disabled=${!can}
            @click=${() => void this.app.command('parameter.set', this.paramId, { value: p.min + i })}>${label(i)}</button>`)}
        </div></div>`;
      }
      return html`<div class="q"><span class="name" title=${p.name}>${p.name}</span>
        <select aria-label=${p.name} ?disabled=${!can} @change=${(e: Event) => void this.app.command('parameter.set', this.paramId, { value: p.min + Number((e.target as HTMLSelectElement).value) })}>
          ${Array.from({ length: Math.min(count, 512) }, (_, i) => html`<option value=${i} ?selected=${cur === i}>${label(i)}</option>`)}
        </select></div>`;
    }
    const span = p.max - p.min || 1;
    const norm = this.binding.shown(clamp((p.value - p.min) / span, 0, 1), p.rev);
    const dragging = this.binding.dragging;
    const text = dragging ? (p.min + norm * span).toFixed(2) : p.display || p.value.toFixed(2);
    const def = Number.isFinite(p.defaultValue) ? clamp((p.defaultValue - p.min) / span, 0, 1) : undefined;
    return html`<rt-knob size=${screen.value.touch ? 44 : 38} .value=${norm} label=${p.name} caption=${p.name} value-text=${text} ?disabled=${!can} ?held=${held}
      ?snapping=${this.binding.snapping} ?bipolar=${p.min < 0 && p.max > 0} .defaultValue=${def}
      @rt-grab=${() => this.binding.grab()} @rt-move=${(e: ValueEvent) => this.binding.move(e.detail.value)}
      @rt-release=${() => this.binding.release()} @rt-set=${(e: ValueEvent) => void this.binding.set(e.detail.value)}></rt-knob>`;
  }
}
customElements.define('rt-param', RtParam);


/**
 * One device: name, on/off, and its parameters a bank of eight at a time, the way Live
 * pages them (device.get_banks: Max for Live banks, Live's own bank tables, else macros
 * then eight at a time), with a last tab for every parameter. While it is on screen, Live
 * mirrors its parameters (app.showDevice: the room's observe event); a big plug-in's
 * arrive over a few ticks, in Live's order, so the first page shows first.
 */
export class RtDevice extends LitElement {
  static override properties = {
    app: { attribute: false }, deviceId: { type: String, attribute: 'device-id' }, trackId: { type: String, attribute: 'track-id' },
    banks: { state: true }, bank: { state: true },
  };
  declare app: RoomApp;
  declare deviceId: string;
  declare trackId: string;
  declare banks: DeviceBank[] | null;
  /** The bank shown; -1 shows every parameter. */
  declare bank: number;
  private banksFor = '';
  private shown: { id: string; release: () => void } | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    this.observeDevice();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.shown?.release();
    this.shown = null;
  }

  override updated(): void {
    this.observeDevice();
  }

  private observeDevice(): void {
    if (!this.app || !this.deviceId || !this.isConnected || this.shown?.id === this.deviceId) return;
    this.shown?.release();
    this.shown = { id: this.deviceId, release: this.app.showDevice(this.deviceId) };
  }

  constructor() {
    super();
    this.deviceId = '';
    this.trackId = '';
    this.banks = null;
    this.bank = 0;
    new EntityWatch(this, () => this.app?.set, () => [`devices:${this.deviceId}`]);
    new RoomFollower(this);
  }


  /**
   * Banks are asked once per device and parameter list (a device whose parameters change is
   * asked again); while Live is still mirroring a big device's parameters, once more when
   * they are all here, not at every batch.
   */
  override willUpdate(): void {
    const d = this.app.set.get('device', this.deviceId);
    const have = (d?.params ?? []).length;
    const key = d ? `${this.deviceId}|${have < (d.paramCount ?? 0) ? 'loading' : have}` : '';
    if (!d || key === this.banksFor) return;
    this.banksFor = key;
    void this.app.command('device.get_banks', this.deviceId, {}, { quiet: true }).then((answer) => {
      if (key !== this.banksFor) return;
      this.banks = answer.ok ? deviceBanksOf(answer.value) : [];
      if (this.bank >= this.banks.length) this.bank = this.banks.length ? 0 : -1;
    });
  }

  static override styles = [base, css`
    :host { display: block; border: 1px solid var(--line); border-radius: var(--radius); background: var(--bg-2); overflow: hidden; }
    header { display: flex; align-items: center; gap: 8px; padding: 6px 8px; background: var(--bg-3); border-bottom: 1px solid var(--line); }
    .pw { width: var(--hit, 24px); height: var(--hit, 24px); min-height: 0; padding: 0; border-radius: 50%; display: grid; place-items: center; font-size: 11px; }
    .pw[aria-pressed='true'] { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
    h2 { margin: 0; font-size: var(--fs-m); flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .type { font-size: 10px; color: var(--text-2); text-transform: uppercase; letter-spacing: 0.05em; }
    .banks { display: flex; flex-wrap: wrap; gap: 2px; padding: 6px 6px 0; }
    .banks button { font-size: 11px; padding: 2px 8px; min-height: var(--hit, 24px); }
    .banks button[aria-pressed='true'] { background: var(--bg-4); color: var(--text-0); box-shadow: inset 0 -2px 0 var(--accent); }
    .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(72px, 1fr)); gap: 4px; padding: 8px 6px; }
    .grid.bank { grid-template-columns: repeat(4, minmax(0, 1fr)); }
    .hole { min-height: 60px; border: 1px dashed var(--line-soft); border-radius: var(--radius-s); }
    :host([off]) .grid { opacity: 0.55; }
    .loading { font-size: var(--fs-s); color: var(--text-2); padding: 4px 8px 8px; }
  `];

  override render() {
    const d = this.app.set.get('device', this.deviceId);
    if (!d) return nothing;
    this.toggleAttribute('off', !d.isActive);
    const can = this.app.canControl(this.trackId);
    const params = (d.params ?? []).filter((pid) => this.app.set.get('parameter', pid)?.name !== 'Device On');
    const total = Math.max(0, (d.paramCount ?? params.length + 1) - 1);
    const loading = params.length < total;
    const banks = this.banks ?? [];
    const bank = banks.length && this.bank >= 0 ? banks[Math.min(this.bank, banks.length - 1)] : null;
    return html`
      <header>
        <button class="pw" aria-pressed=${d.isActive ? 'true' : 'false'} aria-label=${`${d.name} on`} title=${can ? (d.isActive ? 'Switch off' : 'Switch on') : this.app.whyNot(this.trackId)} ?disabled=${!can}
          @click=${() => void this.app.command('device.set_active', this.deviceId, { value: !d.isActive })}><svg width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"><path d="M6 1.2v4.3M3.3 3a4 4 0 1 0 5.4 0"/></svg></button>
        <h2 title=${d.className}>${d.name}</h2>
        <span class="type">${d.type.replace('_', ' ')}</span>
      </header>
      ${banks.length ? html`<div class="banks" role="group" aria-label=${`${d.name} parameter banks`}>
        ${banks.map((b, i) => html`<button aria-pressed=${bank === b ? 'true' : 'false'} data-bank=${i} @click=${() => (this.bank = i)}>${b.name}</button>`)}
        ${banks.length > 1 || params.length > 8 ? html`<button aria-pressed=${bank === null ? 'true' : 'false'} data-bank="all" @click=${() => (this.bank = -1)}>All ${total}</button>` : nothing}
      </div>` : nothing}
      ${bank
        ? html`<div class="grid bank">${bank.params.map((id) => (id ? html`<rt-param .app=${this.app} param-id=${id} track-id=${this.trackId}></rt-param>` : html`<div class="hole" aria-hidden="true"></div>`))}</div>`
        : html`<div class="grid">${repeat(this.banks === null ? params.slice(0, 8) : params, (id) => id, (id) => html`<rt-param .app=${this.app} param-id=${id} track-id=${this.trackId}></rt-param>`)}</div>`}
      ${loading ? html`<div class="loading" role="status" data-testid="params-loading">Loading parameters from Live… (${params.length} of ${total})</div>` : nothing}
    `;
  }
}
customElements.define('rt-device', RtDevice);

/** The selected track's device chain. */
export class RtDevicePanel extends LitElement {
  static override properties = { app: { attribute: false }, trackId: { type: String, attribute: 'track-id' } };
  declare app: RoomApp;
  declare trackId: string;

  constructor() {
    super();
    this.trackId = '';
    new EntityWatch(this, () => this.app?.set, () => [`tracks:${this.resolved()}`, 'order']);
  }

  private resolved(): string {
    return this.trackId || this.app?.set.ids('track')[0] || '';
  }

  static override styles = [base, css`
    :host { display: grid; gap: 8px; padding: 8px; align-content: start; }
    .title { display: flex; align-items: center; gap: 8px; font-weight: 700; padding: 2px 2px 4px; border-bottom: 2px solid var(--tc); }
    .title span { flex: 1; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .empty { color: var(--text-2); font-size: var(--fs-s); padding: 16px 4px; }
  `];

  override render() {
    const id = this.resolved();
    const t = this.app.set.get('track', id);
    if (!t) return html`<div class="empty">Select a track (click its name) to see its devices.</div>`;
    const devices = t.devices ?? [];
    return html`
      <div class="title" style="--tc:${cssColor(t.color)}"><span>${t.name}</span><small class="muted">${devices.length} device${devices.length === 1 ? '' : 's'}</small></div>
      ${devices.length === 0 ? html`<div class="empty">No devices on this track.</div>` : nothing}
      ${repeat(devices, (d) => d, (d) => html`<rt-device .app=${this.app} device-id=${d} track-id=${id}></rt-device>`)}
    `;
  }
}
customElements.define('rt-device-panel', RtDevicePanel);
