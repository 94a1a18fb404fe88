import { LitElement, html, css, nothing, type ReactiveController } from 'lit';
import type { RoomApp } from '../state/app.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { cssColor } from '../state/format.ts';
import { inkFor } from '../state/contrast.ts';
import { base } from '../ui/shared.ts';
import { cancelPaint, paintNextFrame } from '../ui/frame-painter.ts';

/** Subscribe an element to the room's flags, session and link so `disabled` stays true. */
export function followRoom(el: LitElement & { app: RoomApp }): () => void {
  const l = el.app.link;
  const offs = [l.flags, l.session, el.app.truth].map((o) => (o as { subscribe(fn: () => void): () => void }).subscribe(() => el.requestUpdate()));
  return () => offs.forEach((o) => o());
}

/** followRoom() for the life of a component: `new RoomFollower(this)` in its constructor. */
export class RoomFollower implements ReactiveController {
  private off: (() => void) | null = null;
  constructor(private readonly host: LitElement & { app: RoomApp }) {
    host.addController(this);
  }
  hostConnected(): void {
    this.off = followRoom(this.host);
  }
  hostDisconnected(): void {
    this.off?.();
    this.off = null;
  }
}

/** Asks the view around it to open the clip editor (rename, colour) for a clip. */
export interface EditClipDetail { clipId: string }
export function askToEditClip(from: Element, clipId: string): void {
  from.dispatchEvent(new CustomEvent<EditClipDetail>('rt-edit-clip', { detail: { clipId }, bubbles: true, composed: true }));
}

const cellStyles = css`
  :host { display: block; min-width: 0; }
  button {
    width: 100%; height: 100%; min-height: var(--hit, 0px); display: flex; align-items: center; gap: 6px; padding: 0 6px;
    border-radius: 3px; border: 1px solid transparent; background: var(--bg-2); color: var(--text-1);
    font-size: var(--fs-s); text-align: left; overflow: hidden; position: relative;
  }
  button:hover:not(:disabled) { box-shadow: inset 0 0 0 1px var(--text-2); background: var(--bg-2); }
  .label { flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .ico { flex: 0 0 auto; width: 0; height: 0; }
  .ico.play { border-left: 8px solid currentColor; border-top: 5px solid transparent; border-bottom: 5px solid transparent; }
  .ico.stop { width: 8px; height: 8px; background: currentColor; opacity: 0.55; }
  .ico.rec { width: 9px; height: 9px; border-radius: 50%; background: var(--rec); }
  :host([size='l']) button { font-size: 14px; padding: 0 10px; border-radius: 6px; }
  :host([size='l']) .ico.play { border-left-width: 12px; border-top-width: 7px; border-bottom-width: 7px; }
  :host([size='l']) .ico.rec { width: 14px; height: 14px; }
  button.clip { background: var(--cc); color: var(--ci); }
  button.clip:hover:not(:disabled) { background: var(--cc); box-shadow: inset 0 0 0 2px var(--ci); }
  button[data-state='playing'] { box-shadow: inset 0 0 0 2px var(--play); }
  button[data-state='playing'] .ico.play { color: var(--play); filter: drop-shadow(0 0 1px #000); }
  button[data-state='triggered'] { animation: blink 0.5s steps(2, start) infinite; animation-play-state: var(--motion, running); box-shadow: inset 0 0 0 2px var(--trig); }
  button[data-state='recording'] { box-shadow: inset 0 0 0 2px var(--rec); }
  button.pending { box-shadow: inset 0 0 0 2px var(--text-0); }
  button.empty { background: var(--bg-1); border-color: var(--line-soft); }
  button.empty .label { color: var(--text-3); }
  button.arm { border-color: color-mix(in srgb, var(--rec) 45%, var(--line-soft)); }
  /* The blink is on the outline, never the fill: the text keeps its contrast on every frame. */
  @keyframes blink { to { box-shadow: inset 0 0 0 2px transparent; } }
  .progress { position: absolute; left: 0; bottom: 0; height: 3px; width: 100%; background: var(--play); transform-origin: left; transform: scaleX(0); display: var(--progress, block); }
  button.drop-target { border-color: var(--accent); background: color-mix(in srgb, var(--accent) 16%, var(--bg-1)); }
  .upload { position: absolute; left: 0; bottom: 0; height: 4px; background: var(--accent); transition: width 150ms linear; }
  .upload-label { flex: 1; min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: var(--text-1); }
`;

/**
 * One clip slot in the session grid: shows the clip's colour, name and state (empty,
 * stopped, playing, triggered, recording) and launches it. An empty slot on an armed
 * track records into it. The progress bar follows Live's own playing position (meters),
 * painted in an animation frame without a render. Follows only its slot and clip.
 */
export class RtClipCell extends LitElement {
  static override properties = {
    app: { attribute: false },
    slotId: { type: String, attribute: 'slot-id' },
    trackName: { type: String, attribute: 'track-name' },
    sceneNumber: { type: Number, attribute: 'scene-number' },
    size: { type: String, reflect: true },
    editing: { type: Boolean },
    pending: { state: true },
    dropOver: { state: true },
  };
  declare app: RoomApp;
  declare slotId: string;
  declare trackName: string;
  declare sceneNumber: number;
  declare size: 'm' | 'l';
  /** Touch layouts' edit mode: a tap opens the clip editor instead of launching. */
  declare editing: boolean;
  declare pending: boolean;
  private off: (() => void) | null = null;
  private offMeters: (() => void) | null = null;
  private readonly paintNow = (): void => this.paintProgress();
  private pendingFrom = '';

  declare dropOver: boolean;

  constructor() {
    super();
    this.slotId = '';
    this.trackName = '';
    this.sceneNumber = 0;
    this.size = 'm';
    this.editing = false;
    this.pending = false;
    this.dropOver = false;
    new EntityWatch(this, () => this.app?.set, () => {
      const slot = this.app.set.get('clip_slot', this.slotId);
      const keys = [`clipSlots:${this.slotId}`];
      if (slot?.clipId) keys.push(`clips:${slot.clipId}`);
      if (slot?.trackId) keys.push(`tracks:${slot.trackId}`);
      return keys;
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
    this.followMeters(false);
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
    if (e.pointerType !== 'touch' || this.editing || (e.currentTarget as HTMLButtonElement).disabled) return;
    this.pressedAt = Date.now();
    void this.launch();
  }

  private onClick(): void {
    if (this.editing) {
      this.edit();
      return;
    }
    if (Date.now() - this.pressedAt < 800) return; // already fired on press
    void this.launch();
  }

  private edit(): void {
    const clipId = this.app.set.get('clip_slot', this.slotId)?.clipId;
    if (clipId) askToEditClip(this, clipId);
  }

  private onContextMenu(e: Event): void {
    if (!this.app.set.get('clip_slot', this.slotId)?.clipId) return;
    e.preventDefault();
    this.edit();
  }

  private onKey(e: KeyboardEvent): void {
    if ((e.key === 'F10' && e.shiftKey) || e.key === 'ContextMenu') this.onContextMenu(e);
  }

  private async launch(): Promise<void> {
    if (this.pending) return;
    const slot = this.app.set.get('clip_slot', this.slotId);
    // A take already recording ends with a fire, even before its clip reaches this page
    // (the slot's state can arrive before its new clip does): recording again is refused.
    const record = !!slot && !slot.clipId && this.armed() && this.state() !== 'recording';
    this.pending = true;
    this.pendingFrom = this.state();
    const answer = await this.app.command(record ? 'clip_slot.record' : 'clip_slot.fire', this.slotId);
    if (!answer.ok || this.state() !== this.pendingFrom) this.pending = false;
    else setTimeout(() => (this.pending = false), 1500);
  }

  private armed(): boolean {
    const slot = this.app.set.get('clip_slot', this.slotId);
    const track = slot ? this.app.set.get('track', slot.trackId) : undefined;
    return !!track?.canArm && !!track.arm;
  }

  override willUpdate(): void {
    if (this.pending && this.state() !== this.pendingFrom) this.pending = false;
  }

  override updated(): void {
    this.followMeters(this.state() === 'playing');
  }

  private followMeters(on: boolean): void {
    if (on && !this.offMeters) {
      this.offMeters = this.app.link.meterTick.subscribe(() => paintNextFrame(this.paintNow));
      this.paintProgress();
    } else if (!on && this.offMeters) {
      this.offMeters();
      this.offMeters = null;
      cancelPaint(this.paintNow);
    }
  }

  /** Live's playing position within the loop (or the clip), as a bar across the pad. */
  private paintProgress(): void {
    const bar = this.renderRoot.querySelector<HTMLElement>('.progress');
    const clipId = this.app.set.get('clip_slot', this.slotId)?.clipId;
    const clip = clipId ? this.app.set.get('clip', clipId) : undefined;
    const pos = clipId ? this.app.link.meters.clips[clipId] : undefined;
    if (!bar || !clip || pos === undefined) return;
    const start = clip.looping ? clip.loopStart : 0;
    const span = clip.looping ? clip.loopEnd - clip.loopStart : clip.length;
    const frac = span > 0 ? Math.max(0, Math.min(1, (pos - start) / span)) : 0;
    bar.style.transform = `scaleX(${frac.toFixed(4)})`;
  }

  override render() {
    const app = this.app;
    const slot = app.set.get('clip_slot', this.slotId);
    if (!slot) return html`<button class="empty" disabled aria-label="Empty slot"></button>`;
    const clip = slot.clipId ? app.set.get('clip', slot.clipId) : undefined;
    const state = this.state();
    const can = app.canControl(slot.trackId);
    const why = can ? '' : app.whyNot(slot.trackId);
    const where = `${this.trackName || 'track'}, scene ${this.sceneNumber}`;
    if (!clip) {
      const incoming = app.transfers.forSlot(this.slotId);
      if (this.armed() && state !== 'recording' && !incoming) {
        const label = `Record into ${where}`;
        return html`<button class="empty arm" data-slot=${this.slotId} data-state=${state} data-record aria-label=${label} title=${why || label}
          ?disabled=${!can} @pointerdown=${this.onPress} @click=${this.onClick}><span class="ico rec"></span><span class="label"></span></button>`;
      }
      const drops = this.acceptsDrop();
      const label = incoming ? `${incoming.name} arriving in ${where}` : slot.hasStopButton ? `Stop ${where}` : `Empty slot, ${where}`;
      const pct = incoming ? Math.floor((incoming.sent / Math.max(1, incoming.bytes)) * 100) : 0;
      return html`<button class="empty ${this.dropOver ? 'drop-target' : ''}" data-slot=${this.slotId} data-state=${state} data-drop=${drops ? 'audio' : nothing}
        aria-label=${label} title=${incoming ? label : why || (drops ? `${label} \u2014 drop an audio file here` : label)}
        ?disabled=${!can || !slot.hasStopButton} @pointerdown=${this.onPress} @click=${this.onClick}>
        ${incoming ? html`<span class="upload-label">${incoming.name}</span><span class="upload" role="progressbar" aria-label=${`${incoming.name}: ${pct}%`} aria-valuenow=${pct} aria-valuemin="0" aria-valuemax="100" data-upload-progress=${pct} style=${`width:${pct}%`}></span>`
          : html`${slot.hasStopButton ? html`<span class="ico stop"></span>` : nothing}<span class="label"></span>`}</button>`;
    }
    const colour = clip.color;
    const name = clip.name || 'clip';
    const verb = this.editing ? 'Edit' : state === 'recording' ? 'Stop recording' : 'Launch';
    return html`<button class="clip ${this.pending ? 'pending' : ''}" data-slot=${this.slotId} data-clip=${clip.id} data-state=${state}
        style="--cc:${cssColor(colour)}; --ci:${typeof colour === 'number' ? inkFor(colour) : 'var(--text-0)'}"
        aria-label=${`${name} — ${verb.toLowerCase()} (${where}), ${state}`} aria-keyshortcuts="Shift+F10"
        title=${why || `${clip.name} \u2014 ${state}. Right-click (or long-press Edit on touch) to rename or recolour.`}
        ?disabled=${!can && !this.editing} @pointerdown=${this.onPress} @click=${this.onClick} @contextmenu=${this.onContextMenu} @keydown=${this.onKey}>
        ${state === 'recording' ? html`<span class="ico rec"></span>` : html`<span class="ico play"></span>`}
        <span class="label">${clip.name}</span>
        ${state === 'playing' ? html`<span class="progress" aria-hidden="true"></span>` : nothing}
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
  private pressedAt = 0;

  constructor() {
    super();
    this.sceneId = '';
    this.number = 0;
    this.size = 'm';
    new EntityWatch(this, () => this.app?.set, () => [`scenes:${this.sceneId}`]);
    new RoomFollower(this);
  }

  static override styles = [base, cellStyles, css`
    button { background: var(--bg-3); color: var(--text-0); border-left: 3px solid var(--sc); }
    .tempo { font: 10px var(--mono); color: var(--text-2); }
  `];

  override render() {
    const scene = this.app.set.get('scene', this.sceneId);
    if (!scene) return nothing;
    const can = this.app.canControl();
    const name = scene.name || `Scene ${this.number}`;
    return html`<button data-scene=${this.sceneId} data-state=${scene.isTriggered ? 'triggered' : 'idle'} style="--sc:${cssColor(scene.color, 'var(--line)')}"
        aria-label=${`${name}${scene.tempo ? ` ${Math.round(scene.tempo)}` : ''} — launch scene ${this.number}${scene.tempo ? ` (tempo ${Math.round(scene.tempo)} BPM)` : ''}`} title=${can ? `Launch ${name} (key ${this.number <= 9 ? this.number : '\u2014'})` : this.app.whyNot()} ?disabled=${!can}
        @pointerdown=${(e: PointerEvent) => { if (e.pointerType === 'touch') { this.pressedAt = Date.now(); void this.app.command('scene.fire', this.sceneId); } }}
        @click=${() => { if (Date.now() - this.pressedAt > 800) void this.app.command('scene.fire', this.sceneId); }}>
        <span class="ico play"></span><span class="label">${name}</span>${scene.tempo ? html` <span class="tempo" aria-hidden="true">${Math.round(scene.tempo)}</span>` : nothing}
      </button>`;
  }
}
customElements.define('rt-scene-cell', RtSceneCell);
