import { LitElement, html, css, nothing } from 'lit';
import type { RoomApp } from '../state/app.ts';
import type { Entity } from '../../../protocol/browser.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { ControlBinding } from '../state/gesture.ts';
import { volumeToDb, dbToVolume, formatDb, formatPan, cssColor } from '../state/format.ts';
import { base } from '../ui/shared.ts';
import type { ValueEvent } from '../ui/drag-controller.ts';
import type { FaderMark } from '../ui/fader.ts';

const DB_MARKS: FaderMark[] = [6, 0, -6, -12, -18, -24, -36, -48].map((db) => ({ at: dbToVolume(db), label: db > 0 ? `+${db}` : `${db}` }));
DB_MARKS.push({ at: 0, label: '-\u221e' });
const SEND_LETTERS = 'ABCDEFGHIJKL';

export type StripKind = 'track' | 'return' | 'master';

/**
 * One mixer channel: sends, pan, volume fader with dB scale and meter, mute/solo/arm.
 * It subscribes to its own track only; a move on another track never renders it.
 */
export class RtStrip extends LitElement {
  static override properties = {
    app: { attribute: false },
    trackId: { type: String, attribute: 'track-id' },
    kind: { type: String },
    variant: { type: String, reflect: true },
  };
  declare app: RoomApp;
  declare trackId: string;
  declare kind: StripKind;
  declare variant: 'band' | 'surface';

  private volume: ControlBinding;
  private pan: ControlBinding;
  private sends = new Map<number, ControlBinding>();

  constructor() {
    super();
    this.trackId = '';
    this.kind = 'track';
    this.variant = 'band';
    new EntityWatch(this, () => this.app?.set, () => [this.key(), '#returns']);
    const target = () => this.trackId;
    this.volume = new ControlBinding(this, () => this.app, { action: 'track.set_volume', target, args: (v) => ({ value: round(v) }) });
    this.pan = new ControlBinding(this, () => this.app, { action: 'track.set_pan', target, args: (v) => ({ value: round(v * 2 - 1) }) });
  }

  private key(): string {
    return this.kind === 'master' ? 'master' : this.kind === 'return' ? `returns:${this.trackId}` : `tracks:${this.trackId}`;
  }

  private offs: Array<() => void> = [];
  override connectedCallback(): void {
    super.connectedCallback();
    const l = this.app.link;
    this.offs = [l.leases, l.flags, l.session].map((o) => (o as { subscribe(fn: () => void): () => void }).subscribe(() => this.requestUpdate()));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    for (const off of this.offs) off();
    this.offs = [];
  }

  private track(): Entity<'track'> | undefined {
    const s = this.app?.set;
    if (!s) return undefined;
    return this.kind === 'master' ? s.get('master') : this.kind === 'return' ? s.get('return', this.trackId) : s.get('track', this.trackId);
  }

  private sendBinding(i: number): ControlBinding {
    let b = this.sends.get(i);
    if (!b) {
      b = new ControlBinding(this, () => this.app, { action: 'track.set_send', target: () => this.trackId, args: (v) => ({ index: i, value: round(v) }) });
      this.sends.set(i, b);
    }
    return b;
  }

  static override styles = [base, css`
    :host { display: flex; flex-direction: column; gap: 6px; padding: 8px 6px 6px; background: var(--bg-1); border-right: 1px solid var(--line-soft); min-width: 0; height: 100%; box-sizing: border-box; }
    :host([variant='surface']) { gap: 8px; padding: 8px 6px; }
    .sends { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 2px; justify-items: center; }
    .pan { display: flex; justify-content: center; }
    .main { flex: 1; display: flex; gap: 4px; min-height: 120px; align-items: stretch; justify-content: center; }
    .main rt-fader { flex: 1; min-width: 0; }
    .main rt-meter { flex: 0 0 10px; margin: 8px 0; height: auto; }
    :host([variant='surface']) .main rt-meter { flex-basis: 14px; margin: 18px 0; }
    .db { text-align: center; font: 11px var(--mono); color: var(--text-1); background: var(--bg-0); border-radius: 3px; padding: 2px 0; }
    .btns { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3px; }
    .btns button { padding: 0; min-height: 22px; font-size: 11px; font-weight: 700; }
    :host([variant='surface']) .btns button { min-height: 44px; font-size: 15px; }
    .btns .blank { visibility: hidden; }
    .name { display: flex; align-items: center; gap: 6px; padding: 4px 6px; border-radius: 3px; font-size: var(--fs-s); font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-top: 3px solid var(--tc); background: var(--bg-2); }
    .name.top { display: flex; justify-content: space-between; gap: 4px; font-size: 14px; padding: 6px 8px; }
    .name.top span { overflow: hidden; text-overflow: ellipsis; }
    .name.top b { font-size: 11px; color: var(--text-1); font-weight: 400; }
  `];

  override render() {
    const t = this.track();
    if (!t) return html`<div class="muted">\u2026</div>`;
    const app = this.app;
    const tid = this.kind === 'master' ? 'master' : this.trackId;
    const can = app.canControl(this.kind === 'track' ? tid : null);
    const why = can ? '' : app.whyNot(this.kind === 'track' ? tid : null);
    const vol = this.volume.shown(t.volume, t.rev);
    const pan = this.pan.shown(((t.pan ?? 0) + 1) / 2, t.rev);
    const surface = this.variant === 'surface';
    const name = this.kind === 'master' ? 'Master' : t.name;
    const returns = app.set.ids('return');
    const sends = this.kind === 'master' || surface ? [] : t.sends ?? [];
    return html`
      ${sends.length ? html`<div class="sends">${sends.map((sv, i) => {
        const b = this.sendBinding(i);
        const rName = app.set.get('return', returns[i])?.name ?? `Send ${SEND_LETTERS[i]}`;
        const shown = b.shown(sv, t.rev);
        return html`<rt-knob size="26" .value=${shown} label=${`${name} send ${SEND_LETTERS[i]} to ${rName}`} caption=${SEND_LETTERS[i] ?? ''}
          value-text=${formatDb(volumeToDb(shown))} ?disabled=${!can} ?held=${b.heldByOther()} ?snapping=${b.snapping}
          color="var(--select)" .defaultValue=${0}
          @rt-grab=${() => b.grab()} @rt-move=${(e: ValueEvent) => b.move(e.detail.value)} @rt-release=${() => b.release()} @rt-set=${(e: ValueEvent) => void b.set(e.detail.value)}></rt-knob>`;
      })}</div>` : nothing}
      ${surface ? html`<div class="name top" style="--tc:${cssColor(t.color)}" title=${name}><span>${name}</span><b class="mono">${formatDb(volumeToDb(vol))}</b></div>` : nothing}
      <div class="pan">
        <rt-knob size=${surface ? 36 : 32} bipolar .value=${pan} label=${`${name} pan`} value-text=${formatPan(pan * 2 - 1)} ?disabled=${!can}
          ?held=${this.pan.heldByOther()} ?snapping=${this.pan.snapping} .defaultValue=${0.5}
          @rt-grab=${() => this.pan.grab()} @rt-move=${(e: ValueEvent) => this.pan.move(e.detail.value)} @rt-release=${() => this.pan.release()} @rt-set=${(e: ValueEvent) => void this.pan.set(e.detail.value)}></rt-knob>
      </div>
      <div class="main">
        <rt-fader data-track=${tid} .value=${vol} label=${`${name} volume`} value-text=${`${formatDb(volumeToDb(vol))} dB`} .marks=${DB_MARKS}
          size=${surface ? 'l' : 'm'} ?disabled=${!can} ?held=${this.volume.heldByOther()} ?snapping=${this.volume.snapping}
          .defaultValue=${0.85} color=${cssColor(t.color, 'var(--accent)')}
          @rt-grab=${() => this.volume.grab()} @rt-move=${(e: ValueEvent) => this.volume.move(e.detail.value)}
          @rt-release=${() => this.volume.release()} @rt-set=${(e: ValueEvent) => void this.volume.set(e.detail.value)}></rt-fader>
        <rt-meter track-id=${tid} .link=${app.link}></rt-meter>
      </div>
      ${surface ? nothing : html`<div class="db mono" aria-hidden="true">${formatDb(volumeToDb(vol))}</div>`}
      <div class="btns">
        ${this.kind !== 'master'
          ? html`<button class="t-mute" aria-pressed=${t.mute ? 'true' : 'false'} aria-label=${`Mute ${name}`} title=${why || (t.mute ? 'Unmute' : 'Mute')} ?disabled=${!can}
              @click=${() => void app.command('track.set_mute', tid, { value: !t.mute })}>M</button>
            <button class="t-solo" aria-pressed=${t.solo ? 'true' : 'false'} aria-label=${`Solo ${name}`} title=${why || 'Solo'} ?disabled=${!can}
              @click=${() => void app.command('track.set_solo', tid, { value: !t.solo })}>S</button>`
          : html`<span class="blank"></span><span class="blank"></span>`}
        ${t.canArm
          ? html`<button class="t-arm" aria-pressed=${t.arm ? 'true' : 'false'} aria-label=${`Arm ${name} for recording`} title=${why || 'Arm'} ?disabled=${!can}
              @click=${() => void app.command('track.set_arm', tid, { value: !t.arm })}>\u25cf</button>`
          : html`<span class="blank"></span>`}
      </div>
      ${surface ? nothing : html`<div class="name" style="--tc:${cssColor(t.color)}" title=${name}>${name}</div>`}
    `;
  }
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}

customElements.define('rt-strip', RtStrip);
