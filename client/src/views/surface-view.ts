import { LitElement, html, css, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomApp } from '../state/app.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { Watch } from '../state/observable.ts';
import { cssColor } from '../state/format.ts';
import { base } from '../ui/shared.ts';
import './cells.ts';
import './strip.ts';
import './transport.ts';
import './crossfader.ts';

const SEND_LETTERS = 'ABCDEFGHIJKL';
/** Width a channel needs: two 44 px buttons side by side, the fader and its meter. */
const CHANNEL_W = 112;
const MASTER_W = 150;

export interface Channel { id: string; kind: 'track' | 'return' }

/** The faders' modes, like Live's Push: volume, pan, or one send on every strip of the bank. */
export function mixerModes(app: RoomApp): Array<{ id: string; label: string; name: string }> {
  const returns = app.set.ids('return');
  return [
    { id: 'volume', label: 'Vol', name: 'Volume' },
    { id: 'pan', label: 'Pan', name: 'Pan' },
    ...returns.map((rid, i) => ({ id: `send-${i}`, label: SEND_LETTERS[i] ?? String(i + 1), name: `Send ${SEND_LETTERS[i] ?? i + 1} to ${app.set.get('return', rid)?.name ?? 'return'}` })),
  ];
}

/**
 * The tablet surface: touch-first, no hover, no page scroll. A bank of channels (tracks,
 * then returns) sized to the screen, pads on top, big faders below, the master and the
 * crossfader on the right; the faders move volume, pan or a send (the mode buttons), so
 * every mixer control is one tap away at 44 px. Every fader takes its own finger.
 */
export class RtSurface extends LitElement {
  static override properties = {
    app: { attribute: false }, bankSize: { state: true }, bankStart: { state: true }, rows: { state: true }, sceneStart: { state: true },
    mode: { state: true }, editing: { state: true },
  };
  declare app: RoomApp;
  declare bankSize: number;
  declare bankStart: number;
  declare rows: number;
  declare sceneStart: number;
  declare mode: string;
  declare editing: boolean;
  private ro: ResizeObserver | null = null;
  private padsRo: ResizeObserver | null = null;
  private watch: Watch | null = null;

  constructor() {
    super();
    this.bankSize = 6;
    this.bankStart = 0;
    this.rows = 3;
    this.sceneStart = 0;
    this.mode = 'volume';
    this.editing = false;
    new EntityWatch(this, () => this.app?.set, () => ['order', '#tracks', '#returns', '#scenes']);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.watch ??= new Watch(this, [this.app.truth, this.app.link.flags, this.app.link.session] as never);
    this.ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width ?? 1024;
      const next = Math.max(1, Math.min(16, Math.floor((w - MASTER_W) / CHANNEL_W)));
      if (next !== this.bankSize) this.bankSize = next;
    });
    this.ro.observe(this);
    // Pads fire on press and never scroll: as many scene rows as fit, paged with ▲ ▼.
    this.padsRo = new ResizeObserver((entries) => {
      const h = entries[0]?.contentRect.height ?? 200;
      const rows = Math.max(1, Math.floor((h - 38) / 56));
      if (rows !== this.rows) this.rows = rows;
    });
  }

  override firstUpdated(): void {
    const pads = this.renderRoot.querySelector('.pads');
    if (pads) this.padsRo?.observe(pads);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ro?.disconnect();
    this.padsRo?.disconnect();
  }

  static override styles = [base, css`
    :host { display: grid; grid-template-rows: auto minmax(0, 1fr) minmax(260px, 50%) auto; height: 100%; min-height: 0; overflow: hidden; touch-action: none; overscroll-behavior: none; }
    :host([stale]) .pads, :host([stale]) .faders { filter: grayscale(1); --motion: paused; --progress: none; }
    .pads { display: grid; grid-template-columns: repeat(var(--n), minmax(0, 1fr)) ${MASTER_W}px; gap: 0; min-height: 0; overflow: hidden; touch-action: none; background: var(--bg-0); padding: 4px; }
    .col { display: grid; grid-template-rows: 34px; grid-auto-rows: 52px; gap: 4px; padding: 0 2px; align-content: start; min-width: 0; }
    .head { height: 34px; display: flex; align-items: center; padding: 0 8px; font-weight: 700; font-size: 13px; border-top: 3px solid var(--tc); background: var(--bg-2); border-radius: 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .head.ret { color: var(--text-1); }
    rt-clip-cell, rt-scene-cell { height: 52px; }
    .faders { display: grid; grid-template-columns: repeat(var(--n), minmax(0, 1fr)) ${MASTER_W}px; min-height: 0; border-top: 1px solid var(--line); background: var(--bg-1); }
    .faders rt-strip { height: 100%; min-height: 0; }
    .master { display: grid; grid-template-rows: auto minmax(0, 1fr) auto; gap: 6px; padding: 6px; border-left: 1px solid var(--line); min-height: 0; }
    .master button { font-weight: 700; }
    .bank { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; padding: 6px 8px; background: var(--bg-2); border-top: 1px solid var(--line); }
    .bank button { min-width: 56px; min-height: 44px; font-size: 16px; }
    .bank .what { flex: 1; text-align: center; color: var(--text-1); font-weight: 600; min-width: 8ch; }
    .bank .sep { flex: 0 0 1px; align-self: stretch; background: var(--line); }
    .modes { display: flex; gap: 2px; }
    .modes button { min-width: 48px; font-size: 14px; font-weight: 700; }
    .modes button[aria-checked='true'] { background: var(--accent); color: var(--accent-ink); border-color: var(--accent); }
    .edit[aria-pressed='true'] { background: var(--select); color: #04262b; border-color: var(--select); }
    .empty { grid-column: 1 / -1; display: grid; place-items: center; color: var(--text-2); padding: 24px; }
  `];

  private channels(): Channel[] {
    return [
      ...this.app.set.ids('track').map((id): Channel => ({ id, kind: 'track' })),
      ...this.app.set.ids('return').map((id): Channel => ({ id, kind: 'return' })),
    ];
  }

  override render() {
    const app = this.app;
    const all = this.channels();
    const scenes = app.set.ids('scene');
    const n = this.bankSize;
    const start = Math.min(this.bankStart, Math.max(0, all.length - n));
    const bank = all.slice(start, start + n);
    const rows = this.rows;
    const sStart = Math.min(this.sceneStart, Math.max(0, scenes.length - rows));
    const visible = scenes.slice(sStart, sStart + rows);
    const can = app.canControl();
    const cols = Math.max(1, bank.length);
    const modes = mixerModes(app);
    const mode = modes.some((m) => m.id === this.mode) ? this.mode : 'volume';
    this.toggleAttribute('stale', !app.truth.value.live);
    return html`
      <h1 class="sr-only">Surface: clip pads and faders</h1>
      <rt-transport .app=${app} variant="touch"></rt-transport>
      <div class="pads" style="--n:${cols}" role="region" aria-label="Clip pads">
        ${bank.length === 0 ? html`<div class="empty">${app.set.synced.value ? 'The set has no tracks.' : 'Loading the set\u2026'}</div>` : nothing}
        ${repeat(bank, (c) => c.id, (c) => {
          const t = c.kind === 'track' ? app.set.get('track', c.id) : app.set.get('return', c.id);
          if (c.kind === 'return') return html`<div class="col"><div class="head ret" style="--tc:${cssColor(t?.color)}">${t?.name ?? ''}</div></div>`;
          return html`<div class="col">
            <div class="head" style="--tc:${cssColor(t?.color)}">${t?.name ?? ''}</div>
            ${visible.map((_, k) => {
              const i = sStart + k;
              const sid = t?.clipSlots?.[i];
              return sid ? html`<rt-clip-cell size="l" .app=${app} ?editing=${this.editing} slot-id=${sid} track-name=${t?.name ?? ''} scene-number=${i + 1}></rt-clip-cell>` : html`<div></div>`;
            })}
          </div>`;
        })}
        <div class="col">
          <div class="head" style="--tc:var(--text-2)">Scenes</div>
          ${repeat(visible, (id) => id, (id, k) => html`<rt-scene-cell size="l" .app=${app} scene-id=${id} number=${sStart + k + 1}></rt-scene-cell>`)}
        </div>
      </div>
      <div class="faders" style="--n:${cols}" role="region" aria-label="Faders">
        ${repeat(bank, (c) => c.id, (c) => html`<rt-strip variant="surface" mode=${mode} .app=${app} track-id=${c.id} kind=${c.kind}></rt-strip>`)}
        <div class="master">
          <button ?disabled=${!can} title=${can ? 'Stop every clip (0)' : app.whyNot()} @click=${() => void app.command('song.stop_all_clips', null)}>Stop all clips</button>
          <rt-strip variant="surface" mode="volume" .app=${app} track-id="master" kind="master"></rt-strip>
          <rt-crossfader .app=${app}></rt-crossfader>
        </div>
      </div>
      <div class="bank" role="group" aria-label="Banks and modes">
        <button aria-label="Previous channels" ?disabled=${start === 0} @click=${() => (this.bankStart = Math.max(0, start - n))}>\u25c0</button>
        <span class="what">${all.length ? start + 1 : 0}\u2013${start + bank.length} of ${all.length}</span>
        <button aria-label="Next channels" ?disabled=${start + n >= all.length} @click=${() => (this.bankStart = start + n)}>\u25b6</button>
        <span class="sep"></span>
        <div class="modes" role="radiogroup" aria-label="Faders move">
          ${modes.map((m) => html`<button role="radio" aria-checked=${mode === m.id ? 'true' : 'false'} aria-label=${`${m.label}: ${m.name}`} title=${m.name} data-mode=${m.id}
            @click=${() => (this.mode = m.id)}>${m.label}</button>`)}
        </div>
        <button class="edit" aria-pressed=${this.editing ? 'true' : 'false'} title="When on, tapping a clip renames or recolours it instead of launching it" @click=${() => (this.editing = !this.editing)}>Edit clips</button>
        <span class="sep"></span>
        <button aria-label="Earlier scenes" ?disabled=${sStart === 0} @click=${() => (this.sceneStart = Math.max(0, sStart - rows))}>\u25b2</button>
        <span class="what">Scenes ${scenes.length ? sStart + 1 : 0}\u2013${sStart + visible.length} of ${scenes.length}</span>
        <button aria-label="Later scenes" ?disabled=${sStart + rows >= scenes.length} @click=${() => (this.sceneStart = sStart + rows)}>\u25bc</button>
      </div>
    `;
  }
}
customElements.define('rt-surface', RtSurface);
