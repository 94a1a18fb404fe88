import { LitElement, html, css, nothing } from 'lit';
import type { RoomApp } from '../state/app.ts';
import type { Entity } from '../../../protocol/browser.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { ControlBinding } from '../state/gesture.ts';
import { volumeToDb, dbToVolume, formatDb, formatPan, cssColor } from '../state/format.ts';
import { base } from '../ui/shared.ts';
import type { ValueEvent } from '../ui/drag-controller.ts';
import type { FaderMark } from '../ui/fader.ts';
import { screen } from '../state/screen.ts';

const DB_MARKS: FaderMark[] = [6, 0, -6, -12, -18, -24, -36, -48].map((db) => ({ at: dbToVolume(db), label: db > 0 ? `+${db}` : `${db}` }));
DB_MARKS.push({ at: 0, label: '-\u221e' });
const PAN_MARKS: FaderMark[] = [{ at: 1, label: 'R' }, { at: 0.5, label: 'C' }, { at: 0, label: 'L' }];
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
    mode: { type: String },
  };
  declare app: RoomApp;
  declare trackId: string;
  declare kind: StripKind;
  declare variant: 'band' | 'surface' | 'phone';
  /** Surface only: what the big fader moves — 'volume', 'pan' or 'send-<i>'. */
  declare mode: string;

  private volume: ControlBinding;
  private pan: ControlBinding;
  private sends = new Map<number, ControlBinding>();

  constructor() {
    super();
    this.trackId = '';
    this.kind = 'track';
    this.variant = 'band';
    this.mode = 'volume';
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
    this.offs = [l.leases, l.flags, l.session, this.app.truth].map((o) => (o as { subscribe(fn: () => void): () => void }).subscribe(() => this.requestUpdate()));
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
    :host([variant='surface']) .main, :host([variant='phone']) .main { min-height: 100px; }
    :host([variant='surface']) .main rt-meter, :host([variant='phone']) .main rt-meter { flex-basis: 14px; margin: 18px 0; }
    .db { text-align: center; font: 11px var(--mono); color: var(--text-1); background: var(--bg-0); border-radius: 3px; padding: 2px 0; }
    .btns { display: grid; grid-template-columns: repeat(3, 1fr); gap: 3px; }
    .btns button { padding: 0; min-height: max(22px, var(--hit, 0px)); font-size: 11px; font-weight: 700; }
    :host([variant='surface']) .btns, :host([variant='phone']) .btns { grid-template-columns: repeat(auto-fit, minmax(44px, 1fr)); gap: 4px; }
    :host([variant='surface']) .btns button, :host([variant='phone']) .btns button { min-height: 44px; min-width: 44px; font-size: 15px; }
    .btns .blank { visibility: hidden; }
    :host([variant='surface']) .btns .blank, :host([variant='phone']) .btns .blank { display: none; }
    .name { display: flex; align-items: center; gap: 6px; padding: 4px 6px; border-radius: 3px; font-size: var(--fs-s); font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; border-top: 3px solid var(--tc); background: var(--bg-2); }
    .name.top { display: flex; justify-content: space-between; gap: 4px; font-size: 14px; padding: 6px 8px; }
    .name.top span { overflow: hidden; text-overflow: ellipsis; }
    .name.top b { font-size: 11px; color: var(--text-1); font-weight: 400; white-space: nowrap; }
    /* Phone: the fader on the left, pan, sends and the buttons beside it. */
    :host([variant='phone']) { flex-direction: row; gap: 10px; padding: 8px; border-right: 0; }
    :host([variant='phone']) .main { flex: 0 0 112px; }
    :host([variant='phone']) .side { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 8px; justify-content: space-between; }
    :host([variant='phone']) .knobs { display: flex; flex-wrap: wrap; gap: 6px 10px; align-items: flex-start; }
    .side { display: contents; }
    .knobs { display: contents; }
  `];

  /** What a surface strip's one big fader moves: volume, pan or one send (Push's mixer modes). */
  private modeControl(t: Entity<'track'>, name: string) {
    const mode = this.mode;
    if (mode === 'pan' && t.pan !== undefined) {
      const shown = this.pan.shown((t.pan + 1) / 2, t.rev);
      return { binding: this.pan, value: shown, label: `${name} pan`, text: formatPan(shown * 2 - 1), marks: PAN_MARKS, def: 0.5 };
    }
    const send = mode.startsWith('send-') ? Number(mode.slice(5)) : -1;
    if (send >= 0 && t.sends && send < t.sends.length) {
      const b = this.sendBinding(send);
      const shown = b.shown(t.sends[send] ?? 0, t.rev);
      const rName = this.app.set.get('return', this.app.set.ids('return')[send])?.name ?? `Send ${SEND_LETTERS[send]}`;
      return { binding: b, value: shown, label: `${name} send ${SEND_LETTERS[send]} to ${rName}`, text: `${formatDb(volumeToDb(shown))} dB`, marks: DB_MARKS, def: 0 };
    }
    return this.modeControlVolume(t, name);
  }

  override render() {
    const t = this.track();
    if (!t) return html`<div class="muted">\u2026</div>`;
    const app = this.app;
    const tid = this.kind === 'master' ? 'master' : this.trackId;
    const trackOf = this.kind === 'track' ? tid : null;
    const can = app.canControl(trackOf);
    const why = can ? '' : app.whyNot(trackOf);
    const surface = this.variant === 'surface';
    const phone = this.variant === 'phone';
    const name = this.kind === 'master' ? 'Master' : t.name;
    const returns = app.set.ids('return');
    const main = surface ? this.modeControl(t, name) : this.modeControlVolume(t, name);
    const pan = this.pan.shown(((t.pan ?? 0) + 1) / 2, t.rev);
    const sends = this.kind === 'master' || surface ? [] : t.sends ?? [];
    // A finger needs 44 px wherever it touches (screen.touch), the phone's strip always.
    const touch = phone || screen.value.touch;
    const knob = touch ? 44 : 26;
    const sendKnobs = sends.map((sv, i) => {
      const b = this.sendBinding(i);
      const rName = app.set.get('return', returns[i])?.name ?? `Send ${SEND_LETTERS[i]}`;
      const shown = b.shown(sv, t.rev);
      return html`<rt-knob size=${knob} .value=${shown} label=${`${name} send ${SEND_LETTERS[i]} to ${rName}`} caption=${phone ? `${SEND_LETTERS[i]} \u2192 ${rName}` : SEND_LETTERS[i] ?? ''}
        value-text=${formatDb(volumeToDb(shown))} ?disabled=${!can} ?held=${b.heldByOther()} ?snapping=${b.snapping}
        color="var(--select)" .defaultValue=${0} title=${why}
        @rt-grab=${() => b.grab()} @rt-move=${(e: ValueEvent) => b.move(e.detail.value)} @rt-release=${() => b.release()} @rt-set=${(e: ValueEvent) => void b.set(e.detail.value)}></rt-knob>`;
    });
    const panKnob = surface || t.pan === undefined ? nothing : html`<div class="pan">
        <rt-knob size=${touch ? 44 : 32} bipolar .value=${pan} label=${`${name} pan`} caption=${phone ? 'Pan' : ''} value-text=${formatPan(pan * 2 - 1)} ?disabled=${!can} title=${why}
          ?held=${this.pan.heldByOther()} ?snapping=${this.pan.snapping} .defaultValue=${0.5}
          @rt-grab=${() => this.pan.grab()} @rt-move=${(e: ValueEvent) => this.pan.move(e.detail.value)} @rt-release=${() => this.pan.release()} @rt-set=${(e: ValueEvent) => void this.pan.set(e.detail.value)}></rt-knob>
      </div>`;
    const b = main.binding;
    const faderEl = html`<div class="main">
        <rt-fader data-track=${tid} data-mode=${surface ? this.mode : 'volume'} .value=${main.value} label=${main.label} value-text=${main.text} .marks=${main.marks}
          size=${surface || phone ? 'l' : 'm'} ?disabled=${!can} ?held=${b.heldByOther()} ?snapping=${b.snapping} title=${why}
          .defaultValue=${main.def} color=${cssColor(t.color, 'var(--accent)')}
          @rt-grab=${() => b.grab()} @rt-move=${(e: ValueEvent) => b.move(e.detail.value)}
          @rt-release=${() => b.release()} @rt-set=${(e: ValueEvent) => void b.set(e.detail.value)}></rt-fader>
        <rt-meter track-id=${tid} .link=${app.link}></rt-meter>
      </div>`;
    const buttons = html`<div class="btns">
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
      </div>`;
    if (phone) {
      return html`${faderEl}<div class="side">
          <div class="name top" style="--tc:${cssColor(t.color)}" title=${name}><span>${name}</span><b class="mono">${main.text}</b></div>
          <div class="knobs">${panKnob}${sendKnobs}</div>
          ${buttons}
        </div>`;
    }
    return html`
      ${sendKnobs.length ? html`<div class="sends">${sendKnobs}</div>` : nothing}
      ${surface ? html`<div class="name top" style="--tc:${cssColor(t.color)}" title=${name}><span>${name}</span><b class="mono">${main.text}</b></div>` : nothing}
      ${panKnob}
      ${faderEl}
      ${surface ? nothing : html`<div class="db mono" aria-hidden="true">${formatDb(volumeToDb(main.value))}</div>`}
      ${buttons}
      ${surface ? nothing : html`<div class="name" style="--tc:${cssColor(t.color)}" title=${name}>${name}</div>`}
    `;
  }

  private modeControlVolume(t: Entity<'track'>, name: string) {
    const vol = this.volume.shown(t.volume, t.rev);
    return { binding: this.volume, value: vol, label: `${name} volume`, text: `${formatDb(volumeToDb(vol))} dB`, marks: DB_MARKS, def: 0.85 };
  }
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}

customElements.define('rt-strip', RtStrip);
