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

type ChannelKind = 'track' | 'return' | 'master';
interface Channel { id: string; kind: ChannelKind; name: string }

const ROW_H = 52;

/**
 * The phone: one channel at a time, chosen with ◀ ▶ or from a list (tracks, returns,
 * the master). Its clips beside the scene launchers, paged with ▲ ▼ so pads fire on press
 * and nothing scrolls under a finger; below (portrait) or beside (landscape) its whole
 * strip: fader, pan, every send, mute, solo, arm; the master has the crossfader. The
 * transport keeps play, stop, tempo and tap in reach, the rest behind More.
 */
export class RtPhone extends LitElement {
  static override properties = {
    app: { attribute: false }, orientation: { type: String, reflect: true },
    channelId: { state: true }, rows: { state: true }, sceneStart: { state: true }, editing: { state: true },
  };
  declare app: RoomApp;
  declare orientation: 'portrait' | 'landscape';
  declare channelId: string;
  declare rows: number;
  declare sceneStart: number;
  declare editing: boolean;
  private ro: ResizeObserver | null = null;
  private watch: Watch | null = null;

  constructor() {
    super();
    this.orientation = 'portrait';
    this.channelId = '';
    this.rows = 4;
    this.sceneStart = 0;
    this.editing = false;
    new EntityWatch(this, () => this.app?.set, () => ['order', '#tracks', '#returns', '#scenes', this.channelKey()]);
  }

  private channelKey(): string {
    const c = this.current();
    return !c ? 'order' : c.kind === 'master' ? 'master' : c.kind === 'return' ? `returns:${c.id}` : `tracks:${c.id}`;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.watch ??= new Watch(this, [this.app.truth, this.app.link.flags, this.app.link.session] as never);
    if (!this.channelId) this.channelId = this.app.selectedTrack.value ?? '';
    this.ro = new ResizeObserver((entries) => {
      const h = entries[0]?.contentRect.height ?? 200;
      const rows = Math.max(1, Math.floor((h + 4) / (ROW_H + 4)));
      if (rows !== this.rows) this.rows = rows;
    });
  }

  override updated(): void {
    const pads = this.renderRoot.querySelector('.pads');
    if (pads && this.ro) {
      this.ro.disconnect();
      this.ro.observe(pads);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ro?.disconnect();
  }

  private channels(): Channel[] {
    const set = this.app.set;
    return [
      ...set.ids('track').map((id): Channel => ({ id, kind: 'track', name: set.get('track', id)?.name ?? id })),
      ...set.ids('return').map((id): Channel => ({ id, kind: 'return', name: set.get('return', id)?.name ?? id })),
      { id: 'master', kind: 'master', name: 'Master' },
    ];
  }

  private current(): Channel | undefined {
    if (!this.app) return undefined;
    const all = this.channels();
    return all.find((c) => c.id === this.channelId) ?? all[0];
  }

  private go(by: number): void {
    const all = this.channels();
    const at = all.findIndex((c) => c.id === this.current()?.id);
    const next = all[Math.max(0, Math.min(all.length - 1, at + by))];
    if (next) this.pick(next.id);
  }

  private pick(id: string): void {
    this.channelId = id;
    if (this.app.set.get('track', id)) this.app.selectedTrack.set(id);
  }

  static override styles = [base, css`
    /* Nothing scrolls while it fits; when More is open on a short landscape screen the view
       scrolls up and down (faders and knobs never pan: they take the finger). */
    :host { display: grid; grid-template-rows: auto minmax(min-content, 1fr); height: 100%; min-height: 0; overflow-x: hidden; overflow-y: auto; touch-action: pan-y; overscroll-behavior: contain; }
    :host([stale]) .body { filter: grayscale(1); --motion: paused; --progress: none; }
    .pager { display: grid; grid-template-columns: 48px minmax(0, 1fr) 48px auto; gap: 6px; padding: 6px 8px; background: var(--bg-1); border-bottom: 1px solid var(--line); align-items: center; }
    .pager select { width: 100%; font-size: 16px; font-weight: 700; border-top: 3px solid var(--tc); }
    .pager button { font-size: 16px; }
    .edit[aria-pressed='true'] { background: var(--select); color: #04262b; border-color: var(--select); }
    .body { display: grid; grid-template-rows: auto minmax(${ROW_H + 8}px, 1fr) auto minmax(240px, 46%); min-height: 0; }
    /* Landscape: clips and scenes on the left, the channel picker and its strip on the right. */
    :host([orientation='landscape']) .body { grid-template-rows: auto minmax(176px, 1fr) auto; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
    :host([orientation='landscape']) .pager { grid-column: 2; grid-row: 1; }
    :host([orientation='landscape']) .pads { grid-column: 1; grid-row: 1 / span 2; }
    :host([orientation='landscape']) .rowsbar { grid-column: 1; grid-row: 3; }
    :host([orientation='landscape']) rt-strip, :host([orientation='landscape']) .master { grid-column: 2; grid-row: 2 / span 2; }
    .pads { display: grid; grid-auto-rows: ${ROW_H}px; gap: 4px; padding: 4px 8px; min-height: 0; overflow: hidden; align-content: start; background: var(--bg-0); }
    .row { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 6px; }
    .row.scenes-only { grid-template-columns: minmax(0, 1fr); }
    rt-clip-cell, rt-scene-cell { height: ${ROW_H}px; }
    .rowsbar { display: flex; align-items: center; gap: 6px; padding: 4px 8px; background: var(--bg-2); border-top: 1px solid var(--line); }
    .rowsbar span { flex: 1; text-align: center; color: var(--text-1); font-weight: 600; font-size: var(--fs-s); }
    .rowsbar button { font-size: 16px; }
    rt-strip, .master { border-top: 1px solid var(--line); min-height: 0; }
    :host([orientation='landscape']) rt-strip, :host([orientation='landscape']) .master { border-top: 0; border-left: 1px solid var(--line); }
    .master { display: grid; grid-template-rows: minmax(0, 1fr) auto; gap: 6px; padding-bottom: 6px; background: var(--bg-1); }
    .master rt-crossfader { padding: 0 8px; }
    .empty { display: grid; place-items: center; color: var(--text-2); padding: 24px; }
  `];

  override render() {
    const app = this.app;
    const all = this.channels();
    const c = this.current();
    this.toggleAttribute('stale', !app.truth.value.live);
    if (!c || all.length <= 1) return html`<h1 class="sr-only">Band, one channel at a time</h1><rt-transport .app=${app} variant="phone"></rt-transport><div class="empty">${app.set.synced.value ? 'The set has no tracks yet.' : 'Loading the set\u2026'}</div>`;
    const at = all.findIndex((x) => x.id === c.id);
    const scenes = app.set.ids('scene');
    const rows = this.rows;
    const sStart = Math.min(this.sceneStart, Math.max(0, scenes.length - rows));
    const visible = scenes.slice(sStart, sStart + rows);
    const track = c.kind === 'track' ? app.set.get('track', c.id) : undefined;
    const colour = c.kind === 'master' ? undefined : (track ?? app.set.get('return', c.id))?.color;
    const can = app.canControl(c.kind === 'track' ? c.id : null);
    return html`
      <h1 class="sr-only">Band, one channel at a time</h1>
      <rt-transport .app=${app} variant="phone"></rt-transport>
      <div class="body">
        <div class="pager" role="group" aria-label="Channel">
          <button aria-label="Previous channel" ?disabled=${at <= 0} @click=${() => this.go(-1)}>\u25c0</button>
          <select aria-label="Channel" style="--tc:${cssColor(colour, 'var(--text-2)')}" @change=${(e: Event) => this.pick((e.target as HTMLSelectElement).value)}>
            ${all.map((x) => html`<option value=${x.id} ?selected=${x.id === c.id}>${x.kind === 'return' ? `${x.name} (return)` : x.name}</option>`)}
          </select>
          <button aria-label="Next channel" ?disabled=${at >= all.length - 1} @click=${() => this.go(1)}>\u25b6</button>
          <button class="edit" aria-pressed=${this.editing ? 'true' : 'false'} title="When on, tapping a clip renames or recolours it" @click=${() => (this.editing = !this.editing)}>Edit</button>
        </div>
        <div class="pads" role="region" aria-label=${track ? `${track.name}: clips and scenes` : 'Scenes'}>
          ${repeat(visible, (id) => id, (id, k) => {
            const i = sStart + k;
            const sid = track?.clipSlots?.[i];
            return html`<div class="row ${track ? '' : 'scenes-only'}">
              ${track ? (sid ? html`<rt-clip-cell size="l" .app=${app} ?editing=${this.editing} slot-id=${sid} track-name=${track.name} scene-number=${i + 1}></rt-clip-cell>` : html`<div></div>`) : nothing}
              <rt-scene-cell size="l" .app=${app} scene-id=${id} number=${i + 1}></rt-scene-cell>
            </div>`;
          })}
        </div>
        <div class="rowsbar" role="group" aria-label="Scene rows">
          <button aria-label="Earlier scenes" ?disabled=${sStart === 0} @click=${() => (this.sceneStart = Math.max(0, sStart - rows))}>\u25b2</button>
          <span>Scenes ${scenes.length ? sStart + 1 : 0}\u2013${sStart + visible.length} of ${scenes.length}</span>
          <button aria-label="Later scenes" ?disabled=${sStart + rows >= scenes.length} @click=${() => (this.sceneStart = sStart + rows)}>\u25bc</button>
          ${track
            ? html`<button ?disabled=${!can} title=${can ? `Stop ${track.name}\u2019s clips` : app.whyNot(c.id)} aria-label=${`Stop clips on ${track.name}`} @click=${() => void app.command('track.stop_clips', c.id)}>Stop</button>`
            : html`<button ?disabled=${!app.canControl()} title=${app.canControl() ? 'Stop every clip' : app.whyNot()} @click=${() => void app.command('song.stop_all_clips', null)}>Stop all</button>`}
        </div>
        ${c.kind === 'master'
          ? html`<div class="master"><rt-strip variant="phone" .app=${app} track-id="master" kind="master"></rt-strip><rt-crossfader .app=${app}></rt-crossfader></div>`
          : html`<rt-strip variant="phone" .app=${app} track-id=${c.id} kind=${c.kind}></rt-strip>`}
      </div>
    `;
  }
}
customElements.define('rt-phone', RtPhone);
