import { LitElement, html, css, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomApp } from '../state/app.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { Watch } from '../state/observable.ts';
import { cssColor } from '../state/format.ts';
import { base } from '../ui/shared.ts';
import { RoomFollower } from './cells.ts';
import { screen } from '../state/screen.ts';
import './crossfader.ts';
import './strip.ts';
import './transport.ts';
import './device-panel.ts';
import './notes-panel.ts';
import './files-panel.ts';

/** One track's column in the session view: header, clip slots, stop button, mixer strip. */
export class RtTrackColumn extends LitElement {
  static override properties = {
    app: { attribute: false },
    trackId: { type: String, attribute: 'track-id' },
    kind: { type: String },
    sceneCount: { type: Number, attribute: 'scene-count' },
    selected: { type: Boolean, reflect: true },
  };
  declare app: RoomApp;
  declare trackId: string;
  declare kind: 'track' | 'return';
  declare sceneCount: number;
  declare selected: boolean;

  constructor() {
    super();
    this.trackId = '';
    this.kind = 'track';
    this.sceneCount = 0;
    this.selected = false;
    new EntityWatch(this, () => this.app?.set, () => [this.kind === 'return' ? `returns:${this.trackId}` : `tracks:${this.trackId}`]);
    new RoomFollower(this);
  }

  static override styles = [base, columnStyles()];

  private stopAll(): void {
    void this.app.command('track.stop_clips', this.trackId);
  }

  override render() {
    const app = this.app;
    const t = this.kind === 'return' ? app.set.get('return', this.trackId) : app.set.get('track', this.trackId);
    if (!t) return nothing;
    const slots = t.clipSlots ?? [];
    const can = app.canControl(this.trackId);
    const playing = (t.playingSlotIndex ?? -1) >= 0;
    const cells = [];
    for (let i = 0; i < this.sceneCount; i++) {
      const sid = slots[i];
      cells.push(sid
        ? html`<rt-clip-cell class="cell" .app=${app} slot-id=${sid} track-name=${t.name} scene-number=${i + 1}></rt-clip-cell>`
        : html`<div class="cell void"></div>`);
    }
    return html`
      <button class="head" style="--tc:${cssColor(t.color)}" aria-pressed=${this.selected ? 'true' : 'false'}
        data-track-head=${this.trackId} title=${`${t.name} \u2014 show its devices`}
        @click=${() => app.selectedTrack.set(this.trackId)}>
        ${this.kind === 'track' ? html`<span class="tname" data-track-name>${t.name}</span>` : html`<span class="tname" data-return-name>${t.name}</span>`}
        ${t.kind === 'midi' ? html`<span class="kind">MIDI</span>` : t.kind === 'group' ? html`<span class="kind">GRP</span>` : nothing}
      </button>
      ${cells}
      <div class="cell stoprow">${this.kind === 'track'
        ? html`<button class="stop ${playing ? 'live' : ''}" aria-label=${`Stop clips on ${t.name}`} title=${can ? 'Stop this track\u2019s clips' : app.whyNot(this.trackId)} ?disabled=${!can} @click=${this.stopAll}><span class="sq"></span></button>`
        : nothing}</div>
      <div class="fill"></div>
      <rt-strip class="strip" .app=${app} track-id=${this.trackId} kind=${this.kind}></rt-strip>
    `;
  }
}
customElements.define('rt-track-column', RtTrackColumn);

function columnStyles() {
  return css`
    :host { display: flex; flex-direction: column; width: var(--col-w, 104px); flex: 0 0 var(--col-w, 104px); border-right: 1px solid var(--line-soft); background: var(--bg-0); min-height: 100%; }
    .head { position: sticky; top: 0; z-index: 2; height: max(30px, var(--hit, 0px)); min-height: 30px; display: flex; align-items: center; gap: 4px; padding: 0 6px;
      border-radius: 0; border: 0; border-top: 3px solid var(--tc); background: var(--bg-2); color: var(--text-0); font-weight: 600; font-size: var(--fs-s); text-align: left; }
    .head[aria-pressed='true'] { background: color-mix(in srgb, var(--select) 16%, var(--bg-2)); box-shadow: inset 0 -2px 0 var(--select); }
    .tname { flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
    .kind { font-size: 9px; color: var(--text-1); letter-spacing: 0.04em; }
    .cell { height: var(--row-h, 28px); flex: 0 0 var(--row-h, 28px); padding: 2px 3px; }
    .void { background: repeating-linear-gradient(135deg, transparent 0 6px, #ffffff06 6px 7px); }
    .stoprow { display: flex; justify-content: center; }
    .stop { width: 100%; min-height: 0; height: 100%; display: grid; place-items: center; padding: 0; background: var(--bg-2); }
    .stop .sq { width: 9px; height: 9px; background: var(--text-2); }
    .stop.live .sq { background: var(--text-0); }
    .fill { flex: 1 1 0; min-height: 6px; }
    .strip { position: sticky; bottom: 0; z-index: 1; height: var(--strip-h, 352px); flex: 0 0 var(--strip-h, 352px); border-top: 1px solid var(--line); }
  `;
}

/** The master column: scene launchers where Live has them, stop-all, and the master strip. */
export class RtMasterColumn extends LitElement {
  static override properties = { app: { attribute: false }, scenes: { attribute: false } };
  declare app: RoomApp;
  declare scenes: string[];
  constructor() {
    super();
    this.scenes = [];
    new RoomFollower(this);
  }
  static override styles = [base, columnStyles(), css`
    :host { --col-w: 150px; position: sticky; right: 0; z-index: 3; border-left: 1px solid var(--line); box-shadow: -6px 0 12px rgb(0 0 0 / 35%); }
    .head { border-top-color: var(--text-2); }
    .stopall { width: 100%; height: 100%; min-height: 0; padding: 0 6px; font-size: var(--fs-xs); display: flex; gap: 6px; align-items: center; justify-content: center; }
    .stopall .sq { width: 8px; height: 8px; background: currentColor; }
    .master-strip { display: grid; grid-template-rows: minmax(0, 1fr) auto; background: var(--bg-1); }
    .master-strip rt-crossfader { padding: 4px 8px 6px; }
  `];
  override render() {
    const app = this.app;
    const can = app.canControl();
    return html`
      <div class="head" style="--tc:var(--text-2)"><span class="tname">Scenes</span></div>
      ${repeat(this.scenes, (id) => id, (id, i) => html`<rt-scene-cell class="cell" .app=${app} scene-id=${id} number=${i + 1}></rt-scene-cell>`)}
      <div class="cell stoprow"><button class="stopall" ?disabled=${!can} title=${can ? 'Stop every clip' : app.whyNot()} @click=${() => void app.command('song.stop_all_clips', null)}><span class="sq"></span>Stop all clips</button></div>
      <div class="fill"></div>
      <div class="strip master-strip"><rt-strip .app=${app} track-id="master" kind="master"></rt-strip><rt-crossfader .app=${app}></rt-crossfader></div>
    `;
  }
}
customElements.define('rt-master-column', RtMasterColumn);

/**
 * The first time the set shows, the grid is built one piece per task: each column is
 * dozens of small elements (pads, knobs, a fader, a meter), and building them together
 * held the page's main thread too long for a click or a key to be answered (Lighthouse:
 * 430–880 ms of blocking time with the whole grid at once, 129–386 ms at two columns per
 * frame on a loaded machine). The set's arrival (applying the Yjs sync) is a task of its
 * own too; then the master column (scenes, stop all, the master strip), then the columns
 * left to right, then the side panel. Each step waits for a frame to be painted and runs in
 * a task of its own, so the page answers input between steps and shows the grid growing.
 */
/** The laptop view: transport, session grid with the mixer under it, device/notes panel. */
export class RtBand extends LitElement {
  static override properties = { app: { attribute: false }, side: { state: true }, limit: { state: true } };
  declare app: RoomApp;
  declare side: 'device' | 'notes' | 'files' | 'none';
  /**
   * Pieces of the grid rendered so far, while the first render is spread over tasks:
   * 0 none, 1 the master column, 1 + n the master column and the first n columns.
   */
  declare limit: number;
  private complete = false;
  private growing = 0;
  private growTimer = 0;

  constructor() {
    super();
    this.side = 'device';
    this.limit = 0;
    new EntityWatch(this, () => this.app?.set, () => ['order', '#tracks', '#returns', '#scenes']);
  }

  private watch: Watch | null = null;
  override connectedCallback(): void {
    super.connectedCallback();
    this.watch ??= new Watch(this, [this.app.selectedTrack, this.app.set.synced, this.app.truth, screen] as never);
    if (!this.app.selectedTrack.value) {
      const first = this.app.set.ids('track')[0];
      if (first) this.app.selectedTrack.set(first);
    }
  }

  override updated(): void {
    if (this.complete || !this.app.set.synced.value) return;
    const total = this.app.set.ids('track').length + this.app.set.ids('return').length;
    if (total === 0) return;
    // Let the frame paint, then the next piece in a task of its own (a timer after the
    // frame: an animation-frame callback would share the frame's task with style and layout).
    this.growing ||= requestAnimationFrame(() => {
      this.growTimer = window.setTimeout(() => {
        this.growing = 0;
        if (this.limit > total) {
          this.complete = true;
          this.setAttribute('complete', ''); // every column and the side panel are in the page (tests wait for it)
          this.requestUpdate();
        } else {
          this.limit += 1;
        }
      }, 0);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.growing) cancelAnimationFrame(this.growing);
    clearTimeout(this.growTimer);
    this.growing = 0;
  }

  /** Skip links: focus the first clip, the first strip control, or the side panel. */
  private skip(e: Event, where: 'clips' | 'mixer' | 'side'): void {
    e.preventDefault();
    const col = this.renderRoot.querySelector('rt-track-column');
    const inner = col?.shadowRoot;
    let target: HTMLElement | null | undefined;
    if (where === 'clips') target = inner?.querySelector('rt-clip-cell')?.shadowRoot?.querySelector<HTMLElement>('button:not(:disabled)') ?? inner?.querySelector('rt-clip-cell')?.shadowRoot?.querySelector<HTMLElement>('button');
    else if (where === 'mixer') target = inner?.querySelector('rt-strip')?.shadowRoot?.querySelector<HTMLElement>('rt-knob, rt-fader')?.shadowRoot?.querySelector<HTMLElement>('[role="slider"]');
    else target = this.renderRoot.querySelector<HTMLElement>('aside button');
    if (target && where === 'clips' && (target as HTMLButtonElement).disabled) {
      // An observer's pads are disabled: land on the grid itself so scrolling still works.
      target = this.renderRoot.querySelector<HTMLElement>('.scroller');
    }
    target?.focus();
  }

  static override styles = [base, css`
    /* On a touch screen (--hit is set) every pad, button and knob is a finger wide; the grid scrolls inside its region. */
    :host { display: grid; grid-template-rows: auto 1fr; height: 100%; min-height: 0; position: relative; }
    :host([touch]) { --row-h: 48px; --col-w: 156px; --strip-h: 372px; }
    .body { display: grid; grid-template-columns: 1fr auto; min-height: 0; }
    .scroller { overflow: auto; min-height: 0; min-width: 0; background: var(--bg-0); scroll-padding: 30px 150px var(--strip-h, 352px) 0; overscroll-behavior: contain; scrollbar-color: var(--bg-4) var(--bg-1); scrollbar-width: thin; }
    .cols { display: flex; min-height: 100%; width: max-content; min-width: 100%; }
    .gap { flex: 1; min-width: 12px; }
    aside { width: 340px; border-left: 1px solid var(--line); background: var(--bg-1); display: grid; grid-template-rows: auto 1fr; min-height: 0; }
    aside.closed { width: 38px; }
    .tabs { display: flex; gap: 2px; padding: 6px; border-bottom: 1px solid var(--line); align-items: center; }
    .tabs button { flex: 1; }
    aside.closed .tabs { flex-direction: column; }
    .tabs button[aria-pressed='true'] { background: var(--bg-4); color: var(--text-0); box-shadow: inset 0 -2px 0 var(--accent); }
    .panel { min-height: 0; overflow: auto; }
    :host([stale]) .scroller, :host([stale]) .panel { filter: grayscale(1); --motion: paused; --progress: none; }
    .skips { position: absolute; left: 8px; top: 0; z-index: 20; display: flex; gap: 8px; }
    .skips .skip { position: absolute; top: -60px; white-space: nowrap; background: var(--accent); color: var(--accent-ink); border-color: var(--accent); padding: 8px 12px; border-radius: var(--radius); font-weight: 700; }
    .skips .skip:focus { top: 4px; position: static; }
    .empty { display: grid; place-items: center; height: 100%; color: var(--text-2); padding: 24px; text-align: center; }
    @media (max-width: 1200px) { aside { width: 290px; } }
  `];

  override render() {
    const app = this.app;
    const tracks = app.set.ids('track');
    const returns = app.set.ids('return');
    const scenes = app.set.ids('scene');
    const synced = app.set.synced.value;
    const open = this.side !== 'none';
    // a selection from a set Live no longer has open (another set, Live restarted) falls back to the first track
    const chosen = app.selectedTrack.value;
    const selected = (chosen && (tracks.includes(chosen) || returns.includes(chosen) || chosen === 'master') ? chosen : tracks[0]) ?? null;
    this.toggleAttribute('stale', !app.truth.value.live);
    this.toggleAttribute('touch', screen.value.touch);
    const { complete } = this;
    const columns = complete ? Infinity : Math.max(0, this.limit - 1);
    const shownTracks = Math.min(columns, tracks.length);
    const shownReturns = Math.max(0, Math.min(returns.length, columns - tracks.length));
    return html`
      <h1 class="sr-only">Band: session, mixer and devices</h1>
      <div class="skips"><button class="skip" @click=${(e: Event) => this.skip(e, 'clips')}>Skip to the clips</button><button class="skip" @click=${(e: Event) => this.skip(e, 'mixer')}>Skip to the mixer</button><button class="skip" @click=${(e: Event) => this.skip(e, 'side')}>Skip to the devices and notes</button></div>
      <rt-transport .app=${app}></rt-transport>
      <div class="body">
        <div class="scroller" role="region" aria-label="Session and mixer" tabindex="-1">
          ${tracks.length === 0
            ? html`<div class="empty">${synced ? 'The set has no tracks yet.' : 'Loading the set\u2026'}</div>`
            : html`<div class="cols">
                ${repeat(tracks.slice(0, shownTracks), (id) => id, (id) => html`<rt-track-column .app=${app} track-id=${id} kind="track" scene-count=${scenes.length} ?selected=${selected === id}></rt-track-column>`)}
                ${repeat(returns.slice(0, shownReturns), (id) => id, (id) => html`<rt-track-column .app=${app} track-id=${id} kind="return" scene-count=${scenes.length}></rt-track-column>`)}
                <div class="gap"></div>
                ${complete || this.limit >= 1 ? html`<rt-master-column .app=${app} .scenes=${scenes}></rt-master-column>` : nothing}
              </div>`}
        </div>
        <aside class=${open ? '' : 'closed'} aria-label="Devices and notes" id="side">
          <div class="tabs">
            ${open ? html`
              <button aria-pressed=${this.side === 'device' ? 'true' : 'false'} @click=${() => (this.side = 'device')}>Devices</button>
              <button aria-pressed=${this.side === 'notes' ? 'true' : 'false'} @click=${() => (this.side = 'notes')}>Notes</button>
              <button aria-pressed=${this.side === 'files' ? 'true' : 'false'} data-side="files" @click=${() => (this.side = 'files')}>Files</button>` : nothing}
            <button class="ghost" aria-label=${open ? 'Hide side panel' : 'Show side panel'} title=${open ? 'Hide' : 'Show'} @click=${() => (this.side = open ? 'none' : 'device')}>${open ? '\u203a' : '\u2039'}</button>
          </div>
          ${open && !complete ? html`<div class="panel"></div>` : nothing}
          ${open && complete ? html`<div class="panel">${this.side === 'device'
            ? html`<rt-device-panel .app=${app} track-id=${selected ?? ''}></rt-device-panel>`
            : this.side === 'files' ? html`<rt-files .app=${app}></rt-files>`
            : html`<rt-notes .app=${app}></rt-notes>`}</div>` : nothing}
        </aside>
      </div>
    `;
  }
}
customElements.define('rt-band', RtBand);
