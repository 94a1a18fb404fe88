import { LitElement, html, css, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomApp } from '../state/app.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { cssColor } from '../state/format.ts';
import { base } from '../ui/shared.ts';
import './cells.ts';
import './strip.ts';
import './transport.ts';

/**
 * The tablet surface: touch-first, no hover, no page scroll. A bank of tracks sized to
 * the screen (pads on top, big faders below), scene pads on the right, bank buttons to
 * page through tracks. Every fader takes its own finger.
 */
export class RtSurface extends LitElement {
  static override properties = { app: { attribute: false }, bankSize: { state: true }, bankStart: { state: true }, rows: { state: true }, sceneStart: { state: true } };
  declare app: RoomApp;
  declare bankSize: number;
  declare bankStart: number;
  declare rows: number;
  declare sceneStart: number;
  private ro: ResizeObserver | null = null;
  private padsRo: ResizeObserver | null = null;

  constructor() {
    super();
    this.bankSize = 8;
    this.bankStart = 0;
    this.rows = 3;
    this.sceneStart = 0;
    new EntityWatch(this, () => this.app?.set, () => ['order', '#tracks', '#scenes']);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.ro = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width ?? 1024;
      const next = Math.max(2, Math.min(16, Math.floor((w - 140) / 104)));
      if (next !== this.bankSize) this.bankSize = next;
    });
    this.ro.observe(this);
    // Pads fire on press and never scroll: as many scene rows as fit, paged with ▲ ▼.
    this.padsRo = new ResizeObserver((entries) => {
      const h = entries[0]?.contentRect.height ?? 200;
      const rows = Math.max(1, Math.floor((h - 34) / 56));
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
    :host { display: grid; grid-template-rows: auto minmax(0, 1fr) minmax(280px, 52%) auto; height: 100%; min-height: 0; overflow: hidden; touch-action: none; overscroll-behavior: none; }
    .pads { display: grid; grid-template-columns: repeat(var(--n), minmax(0, 1fr)) 130px; gap: 0; min-height: 0; overflow: hidden; touch-action: none; background: var(--bg-0); padding: 4px; }
    .col { display: grid; grid-template-rows: 30px; grid-auto-rows: 52px; gap: 4px; padding: 0 2px; align-content: start; }
    .head { height: 30px; display: flex; align-items: center; padding: 0 8px; font-weight: 700; font-size: 13px; border-top: 3px solid var(--tc); background: var(--bg-2); border-radius: 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .col .head { align-self: start; }
    rt-clip-cell, rt-scene-cell { height: 52px; }
    .faders { display: grid; grid-template-columns: repeat(var(--n), minmax(0, 1fr)) 130px; min-height: 0; border-top: 1px solid var(--line); background: var(--bg-1); }
    .faders rt-strip { height: 100%; }
    .side { display: grid; grid-template-rows: 1fr 1fr; gap: 6px; padding: 8px; border-left: 1px solid var(--line); }
    .side button { height: 100%; font-size: 15px; font-weight: 700; }
    .bank { display: flex; align-items: center; gap: 8px; padding: 6px 8px; background: var(--bg-2); border-top: 1px solid var(--line); }
    .bank button { min-width: 64px; min-height: 44px; font-size: 18px; }
    .bank span { flex: 1; text-align: center; color: var(--text-1); font-weight: 600; }
    .bank .sep { flex: 0 0 1px; align-self: stretch; background: var(--line); }
    .empty { grid-column: 1 / -1; display: grid; place-items: center; color: var(--text-2); padding: 24px; }
  `];

  override render() {
    const app = this.app;
    const all = app.set.ids('track');
    const scenes = app.set.ids('scene');
    const n = this.bankSize;
    const start = Math.min(this.bankStart, Math.max(0, all.length - n));
    const tracks = all.slice(start, start + n);
    const rows = this.rows;
    const sStart = Math.min(this.sceneStart, Math.max(0, scenes.length - rows));
    const visible = scenes.slice(sStart, sStart + rows);
    const can = app.canControl();
    const cols = Math.max(1, tracks.length);
    return html`
      <rt-transport .app=${app} compact></rt-transport>
      <div class="pads" style="--n:${cols}" role="region" aria-label="Clip pads">
        ${tracks.length === 0 ? html`<div class="empty">${app.set.synced.value ? 'The set has no tracks.' : 'Loading the set\u2026'}</div>` : nothing}
        ${repeat(tracks, (id) => id, (id) => {
          const t = app.set.get('track', id);
          return html`<div class="col">
            <div class="head" style="--tc:${cssColor(t?.color)}">${t?.name ?? ''}</div>
            ${visible.map((_, k) => {
              const i = sStart + k;
              const sid = t?.clipSlots?.[i];
              return sid ? html`<rt-clip-cell size="l" .app=${app} slot-id=${sid} track-name=${t?.name ?? ''} scene-number=${i + 1}></rt-clip-cell>` : html`<div></div>`;
            })}
          </div>`;
        })}
        <div class="col">
          <div class="head" style="--tc:var(--text-2)">Scenes</div>
          ${repeat(visible, (id) => id, (id, k) => html`<rt-scene-cell size="l" .app=${app} scene-id=${id} number=${sStart + k + 1}></rt-scene-cell>`)}
        </div>
      </div>
      <div class="faders" style="--n:${cols}">
        ${repeat(tracks, (id) => id, (id) => html`<rt-strip variant="surface" .app=${app} track-id=${id} kind="track"></rt-strip>`)}
        <div class="side">
          <button ?disabled=${!can} @click=${() => void app.command('song.stop_all_clips', null)} aria-label="Stop all clips">Stop all</button>
          <button ?disabled=${!can} @click=${() => void app.command('song.tap_tempo', null)} aria-label="Tap tempo">Tap</button>
        </div>
      </div>
      <div class="bank" role="group" aria-label="Track bank">
        <button aria-label="Previous tracks" ?disabled=${start === 0} @click=${() => (this.bankStart = Math.max(0, start - n))}>\u25c0</button>
        <span>Tracks ${all.length ? start + 1 : 0}\u2013${start + tracks.length} of ${all.length}</span>
        <button aria-label="Next tracks" ?disabled=${start + n >= all.length} @click=${() => (this.bankStart = start + n)}>\u25b6</button>
        <span class="sep"></span>
        <button aria-label="Earlier scenes" ?disabled=${sStart === 0} @click=${() => (this.sceneStart = Math.max(0, sStart - rows))}>\u25b2</button>
        <span>Scenes ${scenes.length ? sStart + 1 : 0}\u2013${sStart + visible.length} of ${scenes.length}</span>
        <button aria-label="Later scenes" ?disabled=${sStart + rows >= scenes.length} @click=${() => (this.sceneStart = sStart + rows)}>\u25bc</button>
      </div>
    `;
  }
}
customElements.define('rt-surface', RtSurface);
