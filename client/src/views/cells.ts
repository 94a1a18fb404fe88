import { LitElement, html, css, nothing } from 'lit';
import type { RoomApp } from '../state/app.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { cssColor, inkOn } from '../state/format.ts';
import { base } from '../ui/shared.ts';

/** Subscribe an element to the room's flags and session so `disabled` stays true. */
function followRoom(el: LitElement & { app: RoomApp }): () => void {
  const l = el.app.link;
  const offs = [l.flags.subscribe(() => el.requestUpdate()), l.session.subscribe(() => el.requestUpdate())];
  return () => offs.forEach((o) => o());
}

const cellStyles = css`
  :host { display: block; min-width: 0; }
  button {
    width: 100%; height: 100%; min-height: 0; display: flex; align-items: center; gap: 6px; padding: 0 6px;
    border-radius: 3px; border: 1px solid transparent; background: var(--bg-2); color: var(--text-1);
    font-size: var(--fs-s); text-align: left; overflow: hidden; position: relative;
  }
  button:hover:not(:disabled) { filter: brightness(1.15); background: var(--bg-2); }
  .label { flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .ico { flex: 0 0 auto; width: 0; height: 0; }
  .ico.play { border-left: 8px solid currentColor; border-top: 5px solid transparent; border-bottom: 5px solid transparent; }
  .ico.stop { width: 8px; height: 8px; background: currentColor; opacity: 0.55; }
  .ico.rec { width: 9px; height: 9px; border-radius: 50%; background: var(--rec); }
  :host([size='l']) button { font-size: 14px; padding: 0 10px; border-radius: 6px; }
  :host([size='l']) .ico.play { border-left-width: 12px; border-top-width: 7px; border-bottom-width: 7px; }
  button.clip { background: var(--cc); color: var(--ci); }
  button.clip .ico.play { opacity: 0.6; }
  button[data-state='playing'] { box-shadow: inset 0 0 0 2px var(--play); }
  button[data-state='playing'] .ico.play { color: var(--play); opacity: 1; filter: drop-shadow(0 0 1px #000); }
  button[data-state='triggered'] { animation: blink 0.5s steps(2, start) infinite; box-shadow: inset 0 0 0 2px var(--trig); }
  button[data-state='recording'] { box-shadow: inset 0 0 0 2px var(--rec); }
  button.pending { box-shadow: inset 0 0 0 2px var(--text-0); }
  button.empty { background: var(--bg-1); border-color: var(--line-soft); }
  button.empty .label { color: var(--text-3); }
  @keyframes blink { to { filter: brightness(1.5); } }
  .progress { position: absolute; left: 0; bottom: 0; height: 2px; background: var(--play); width: 100%; transform-origin: left; animation: prog var(--len, 2s) linear infinite; }
  button.drop-target { border-color: var(--accent); background: color-mix(in srgb, var(--accent) 16%, var(--bg-1)); }
  .upload { position: absolute; left: 0; bottom: 0; height: 4px; background: var(--accent); transition: width 150ms linear; }
  .upload-label { flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: var(--text-1); }
  @keyframes prog { from { transform: scaleX(0); } to { transform: scaleX(1); } }
`;

/**
 * One clip slot in the session grid: shows the clip's colour, name and state (empty,
 * stopped, playing, triggered, recording) and launches it. Follows only its slot and clip.
 */
export class RtClipCell extends LitElement {
  static override properties = {
    app: { attribute: false },
    slotId: { type: String, attribute: 'slot-id' },
    trackName: { type: String, attribute: 'track-name' },
    sceneNumber: { type: Number, attribute: 'scene-number' },
    size: { type: String, reflect: true },
    pending: { state: true },
    dropOver: { state: true },
  };
  declare app: RoomApp;
  declare slotId: string;
  declare trackName: string;
  declare sceneNumber: number;
  declare size: 'm' | 'l';
  declare pending: boolean;
  private off: (() => void) | null = null;
  private pendingFrom = '';

  declare dropOver: boolean;

  constructor() {
    super();
    this.slotId = '';
    this.trackName = '';
    this.sceneNumber = 0;
    this.size = 'm';
    this.pending = false;
    this.dropOver = false;
    new EntityWatch(this, () => this.app?.set, () => {
      const slot = this.app.set.get('clip_slot', this.slotId);
      return slot?.clipId ? [`clipSlots:${this.slotId}`, `clips:${slot.clipId}`] : [`clipSlots:${this.slotId}`];
    });
  }

  static override styles = [base, cellStyles];

  override connectedCallback(): void {
    super.connectedCallback();
    const offRoom = followRoom(this);
    const offTransfers = this.app.transfers.list.subscribe(() => this.requestUpdate());
    // On the host element: a disabled button (a slot without a stop button) gets no drag events.
    const over = (e: DragEvent): void => this.onDragOver(e);
    const leave = (): void => { this.dropOver = false; };
    const drop = (e: DragEvent): void => this.onDrop(e);
    this.addEventListener('dragenter', over);
    this.addEventListener('dragover', over);
    this.addEventListener('dragleave', leave);
    this.addEventListener('drop', drop);
    this.off = () => {
      offRoom();
      offTransfers();
      this.removeEventListener('dragenter', over);
      this.removeEventListener('dragover', over);
      this.removeEventListener('dragleave', leave);
      this.removeEventListener('drop', drop);
    };
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
  }

  /** An empty slot of an audio track the session may change takes a dropped audio file. */
  private acceptsDrop(): boolean {
    const slot = this.app.set.get('clip_slot', this.slotId);
    if (!slot || slot.hasClip) return false;
    return this.app.set.get('track', slot.trackId)?.kind === 'audio' && this.app.canControl(slot.trackId);
  }

  private onDragOver(e: DragEvent): void {
    if (!this.acceptsDrop() || !e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
    this.dropOver = true;
  }

  private onDrop(e: DragEvent): void {
    this.dropOver = false;
    const file = e.dataTransfer?.files?.[0];
    if (!file || !this.acceptsDrop()) return;
    e.preventDefault();
    const rev = this.app.set.get('clip_slot', this.slotId)?.rev ?? null;
    this.app.transfers.start(file, { slotId: this.slotId, baseRev: rev });
  }

  private state(): string {
    const slot = this.app.set.get('clip_slot', this.slotId);
    if (!slot) return 'empty';
    const clip = slot.clipId ? this.app.set.get('clip', slot.clipId) : undefined;
    return clip?.state ?? slot.state ?? (slot.hasClip ? 'stopped' : 'empty');
  }

  /** On touch, a pad fires on press (like a hardware pad), not on release. */
  private pressedAt = 0;
  private onPress(e: PointerEvent): void {
    if (e.pointerType !== 'touch' || (e.currentTarget as HTMLButtonElement).disabled) return;
    this.pressedAt = Date.now();
    void this.launch();
  }

  private onClick(): void {
    if (Date.now() - this.pressedAt < 800) return; // already fired on press
    void this.launch();
  }

  private async launch(): Promise<void> {
    if (this.pending) return;
    this.pending = true;
    this.pendingFrom = this.state();
    const answer = await this.app.command('clip_slot.fire', this.slotId);
    if (!answer.ok || this.state() !== this.pendingFrom) this.pending = false;
    else setTimeout(() => (this.pending = false), 1500);
  }

  override willUpdate(): void {
    if (this.pending && this.state() !== this.pendingFrom) this.pending = false;
  }

  override render() {
    const app = this.app;
    const slot = app.set.get('clip_slot', this.slotId);
    if (!slot) return html`<button class="empty" disabled aria-label="Empty slot"></button>`;
    const clip = slot.clipId ? app.set.get('clip', slot.clipId) : undefined;
    const state = this.state();
    const can = app.canControl(slot.trackId);
    const where = `${this.trackName || 'track'}, scene ${this.sceneNumber}`;
    if (!clip) {
      const incoming = app.transfers.forSlot(this.slotId);
      const drops = this.acceptsDrop();
      const label = incoming ? `${incoming.name} arriving in ${where}` : slot.hasStopButton ? `Stop ${where}` : `Empty slot, ${where}`;
      const pct = incoming ? Math.floor((incoming.sent / Math.max(1, incoming.bytes)) * 100) : 0;
      return html`<button class="empty ${this.dropOver ? 'drop-target' : ''}" data-slot=${this.slotId} data-state=${state} data-drop=${drops ? 'audio' : nothing}
        aria-label=${label} title=${incoming ? label : can ? (drops ? `${label} \u2014 drop an audio file here` : label) : app.whyNot(slot.trackId)}
        ?disabled=${!can || !slot.hasStopButton} @pointerdown=${this.onPress} @click=${this.onClick}>
        ${incoming ? html`<span class="upload-label">${incoming.name}</span><span class="upload" role="progressbar" aria-label=${`${incoming.name}: ${pct}%`} aria-valuenow=${pct} aria-valuemin="0" aria-valuemax="100" data-upload-progress=${pct} style=${`width:${pct}%`}></span>`
          : html`${slot.hasStopButton ? html`<span class="ico stop"></span>` : nothing}<span class="label"></span>`}</button>`;
    }
    const colour = clip.color;
    const len = clip.length > 0 ? (clip.length * 60) / (app.set.get('song')?.tempo || 120) : 2;
    return html`<button class="clip ${this.pending ? 'pending' : ''}" data-slot=${this.slotId} data-clip=${clip.id} data-state=${state}
        style="--cc:${cssColor(colour)}; --ci:${inkOn(colour)}; --len:${len.toFixed(2)}s"
        aria-label=${`Launch ${clip.name || 'clip'} (${where}), ${state}`} title=${can ? `${clip.name} \u2014 ${state}` : app.whyNot(slot.trackId)}
        ?disabled=${!can} @pointerdown=${this.onPress} @click=${this.onClick}>
        ${state === 'recording' ? html`<span class="ico rec"></span>` : html`<span class="ico play"></span>`}
        <span class="label">${clip.name}</span>
        ${state === 'playing' ? html`<span class="progress"></span>` : nothing}
      </button>`;
  }
}
customElements.define('rt-clip-cell', RtClipCell);

/** A scene launcher: name, colour, tempo, triggered state. */
export class RtSceneCell extends LitElement {
  static override properties = {
    app: { attribute: false },
    sceneId: { type: String, attribute: 'scene-id' },
    number: { type: Number },
    size: { type: String, reflect: true },
  };
  declare app: RoomApp;
  declare sceneId: string;
  declare number: number;
  declare size: 'm' | 'l';
  private off: (() => void) | null = null;
  private pressedAt = 0;

  constructor() {
    super();
    this.sceneId = '';
    this.number = 0;
    this.size = 'm';
    new EntityWatch(this, () => this.app?.set, () => [`scenes:${this.sceneId}`]);
  }

  static override styles = [base, cellStyles, css`
    button { background: var(--bg-3); color: var(--text-0); border-left: 3px solid var(--sc); }
    .tempo { font: 10px var(--mono); color: var(--text-2); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = followRoom(this);
  }
  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
  }

  override render() {
    const scene = this.app.set.get('scene', this.sceneId);
    if (!scene) return nothing;
    const can = this.app.canControl();
    const name = scene.name || `Scene ${this.number}`;
    return html`<button data-scene=${this.sceneId} data-state=${scene.isTriggered ? 'triggered' : 'idle'} style="--sc:${cssColor(scene.color, 'var(--line)')}"
        aria-label=${`Launch scene ${name}`} title=${can ? `Launch ${name}` : this.app.whyNot()} ?disabled=${!can}
        @pointerdown=${(e: PointerEvent) => { if (e.pointerType === 'touch') { this.pressedAt = Date.now(); void this.app.command('scene.fire', this.sceneId); } }}
        @click=${() => { if (Date.now() - this.pressedAt > 800) void this.app.command('scene.fire', this.sceneId); }}>
        <span class="ico play"></span><span class="label">${name}</span>${scene.tempo ? html`<span class="tempo">${Math.round(scene.tempo)}</span>` : nothing}
      </button>`;
  }
}
customElements.define('rt-scene-cell', RtSceneCell);
