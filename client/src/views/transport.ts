import { LitElement, html, css, nothing } from 'lit';
import { LAUNCH_QUANTIZATIONS } from '../../../protocol/browser.ts';
import type { RoomApp } from '../state/app.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { ControlBinding } from '../state/gesture.ts';
import { formatPosition } from '../state/format.ts';
import { base } from '../ui/shared.ts';
import type { ValueEvent } from '../ui/drag-controller.ts';
import '../ui/numbox.ts';
import { cancelPaint, paintNextFrame } from '../ui/frame-painter.ts';

/**
 * Transport bar: play / stop / continue, tempo (drag or type) with tap, time signature,
 * metronome, loop, session record, undo/redo, and the song position from the meter
 * frames (written straight into the DOM, not through a render).
 */
export class RtTransport extends LitElement {
  static override properties = { app: { attribute: false }, variant: { type: String, reflect: true }, moreOpen: { state: true } };
  declare app: RoomApp;
  /** laptop: one row; touch: every control at 44 px, wrapping; phone: the essentials, the rest behind More. */
  declare variant: 'laptop' | 'touch' | 'phone';
  declare moreOpen: boolean;
  private tempo: ControlBinding;
  private offs: Array<() => void> = [];
  private readonly paintNow = (): void => this.paintPosition();

  constructor() {
    super();
    this.variant = 'laptop';
    this.moreOpen = false;
    new EntityWatch(this, () => this.app?.set, () => ['song']);
    this.tempo = new ControlBinding(this, () => this.app, {
      action: 'song.set_tempo', target: () => null, args: (v) => ({ bpm: Math.round(v * 100) / 100 }),
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const l = this.app.link;
    this.offs = [
      l.meterTick.subscribe(() => paintNextFrame(this.paintNow)),
      l.flags.subscribe(() => this.requestUpdate()),
      l.session.subscribe(() => this.requestUpdate()),
      l.leases.subscribe(() => this.requestUpdate()),
      this.app.truth.subscribe(() => this.requestUpdate()),
    ];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offs.forEach((o) => o());
    cancelPaint(this.paintNow);
  }

  /** The position span has no Lit binding: only this writes it (20×/s, no render). */
  private paintPosition(): void {
    const el = this.renderRoot.querySelector('[data-position]');
    const song = this.app.set.get('song');
    const pos = this.app.link.meters.position ?? 0;
    const text = formatPosition(pos, song?.signatureNumerator, song?.signatureDenominator);
    if (el && el.textContent !== text) el.textContent = text;
  }

  override updated(): void {
    this.paintPosition();
  }

  static override styles = [base, css`
    :host { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 14px; padding: 6px 12px; background: var(--bg-2); border-bottom: 1px solid var(--line); min-width: 0; }
    :host([variant='laptop']) { flex-wrap: nowrap; overflow: hidden; }
    .grp { display: flex; align-items: center; gap: 4px; }
    .sep { width: 1px; align-self: stretch; background: var(--line); }
    button { min-width: var(--hit-w, 32px); height: var(--hit, 30px); padding: 0 8px; display: inline-grid; place-items: center; }
    .play[aria-pressed='true'] { background: var(--play); border-color: var(--play); color: #06210c; }
    .ico-play { width: 0; height: 0; border-left: 11px solid currentColor; border-top: 7px solid transparent; border-bottom: 7px solid transparent; }
    .ico-stop { width: 11px; height: 11px; background: currentColor; }
    .ico-cont { display: inline-flex; gap: 2px; align-items: center; }
    .ico-cont i { width: 3px; height: 12px; background: currentColor; }
    .ico-cont b { width: 0; height: 0; border-left: 9px solid currentColor; border-top: 6px solid transparent; border-bottom: 6px solid transparent; }
    .ico-rec { width: 11px; height: 11px; border-radius: 50%; background: var(--rec); }
    .rec[aria-pressed='true'] { background: color-mix(in srgb, var(--rec) 35%, var(--bg-3)); border-color: var(--rec); }
    .pos { font: 600 16px var(--mono); color: var(--text-0); background: var(--bg-0); border: 1px solid var(--line); border-radius: var(--radius-s); padding: 4px 10px; min-width: 92px; text-align: center; font-variant-numeric: tabular-nums; }
    .lbl { font-size: 10px; color: var(--text-2); text-transform: uppercase; letter-spacing: 0.06em; }
    select, input.num { height: var(--hit, 30px); padding: 2px 4px; font: 13px var(--mono); }
    input.num { width: 48px; text-align: center; }
    .spacer { flex: 1; }
    .more { display: contents; }
    :host([variant='phone']) { gap: 6px 8px; padding: 6px 8px; }
    :host([variant='phone']) .pos { min-width: 76px; font-size: 14px; padding: 4px 6px; }
    :host([variant='phone']) .lbl { display: none; }
    :host([variant='phone']) .more, :host([variant='touch']) .more { display: flex; flex-wrap: wrap; gap: 6px 14px; flex-basis: 100%; }
    :host([variant='phone']) .more { gap: 6px 8px; }
    .more[hidden] { display: none !important; }
    :host([stale]) .play[aria-pressed='true'] { background: var(--bg-4); border-color: var(--text-2); color: var(--text-0); }
    :host([stale]) .pos { color: var(--text-2); }
  `];

  override render() {
    const app = this.app;
    const song = app.set.get('song');
    const can = app.canControl();
    const why = can ? '' : app.whyNot();
    const playing = !!song?.isPlaying;
    const stale = !app.truth.value.live;
    this.toggleAttribute('stale', stale);
    const tempo = this.tempo.shown(song?.tempo ?? 120, song?.rev);
    const phone = this.variant === 'phone';
    const cmd = (action: string, args: Record<string, unknown> = {}) => () => void app.command(action, null, args);
    const tip = (what: string) => why || what;
    const quant = song?.quantization ?? '';
    const signature = html`
      <div class="grp" role="group" aria-label="Time signature">
        <input class="num" type="number" min="1" max="99" aria-label="Beats per bar" .value=${String(song?.signatureNumerator ?? 4)} ?disabled=${!can}
          @change=${(e: Event) => this.setSignature(Number((e.target as HTMLInputElement).value), song?.signatureDenominator ?? 4)} />
        <span class="muted" aria-hidden="true">/</span>
        <select aria-label="Beat unit" ?disabled=${!can} @change=${(e: Event) => this.setSignature(song?.signatureNumerator ?? 4, Number((e.target as HTMLSelectElement).value))}>
          ${[1, 2, 4, 8, 16].map((d) => html`<option value=${d} ?selected=${(song?.signatureDenominator ?? 4) === d}>${d}</option>`)}
        </select>
      </div>
`;
    const clickLoop = html`
      <div class="grp">
        <button class="t-on" aria-pressed=${song?.metronome ? 'true' : 'false'} aria-label="Click (metronome)" title=${tip('Metronome (C)')} ?disabled=${!can}
          @click=${cmd('song.set_metronome', { value: !song?.metronome })}>Click</button>
        <button class="t-on" aria-pressed=${song?.loop ? 'true' : 'false'} aria-label="Loop" title=${tip('Arrangement loop (L)')} ?disabled=${!can}
          @click=${cmd('song.set_loop', { value: !song?.loop })}>Loop</button>
      </div>
`;
    const quantization = html`
      <label class="grp"><span class="lbl">Quant.</span>
        <select data-testid="quantization" aria-label="Launch quantization" title=${tip('Global launch quantization: when launched clips start')} ?disabled=${!can || !song}
          @change=${(e: Event) => void app.command('song.set_quantization', null, { value: (e.target as HTMLSelectElement).value })}>
          ${LAUNCH_QUANTIZATIONS.map((q) => html`<option value=${q} ?selected=${quant === q}>${q}</option>`)}
          ${quant && !(LAUNCH_QUANTIZATIONS as readonly string[]).includes(quant) ? html`<option value=${quant} selected disabled>${quant}</option>` : nothing}
        </select></label>
`;
    const locators = html`
      <div class="grp" role="group" aria-label="Locators">
        <button aria-label="Previous locator" title=${tip('Jump to the previous locator')} ?disabled=${!can} @click=${cmd('song.jump_to_prev_cue')}><svg width="14" height="12" viewBox="0 0 14 12" aria-hidden="true" fill="currentColor"><rect x="1" y="1" width="2" height="10"/><path d="M13 1v10L4 6z"/></svg></button>
        <button aria-label="Set or delete locator" title=${tip('Set or delete a locator at the play position')} ?disabled=${!can} @click=${cmd('song.set_or_delete_cue')}>Set</button>
        <button aria-label="Next locator" title=${tip('Jump to the next locator')} ?disabled=${!can} @click=${cmd('song.jump_to_next_cue')}><svg width="14" height="12" viewBox="0 0 14 12" aria-hidden="true" fill="currentColor"><path d="M1 1v10l9-5z"/><rect x="11" y="1" width="2" height="10"/></svg></button>
      </div>
      <div class="grp">
        <button aria-label="Undo" title=${tip('Undo in Live (Ctrl+Z)')} ?disabled=${!can || song?.canUndo === false} @click=${cmd('song.undo')}>\u21b6</button>
        <button aria-label="Redo" title=${tip('Redo in Live (Ctrl+Shift+Z)')} ?disabled=${!can || song?.canRedo === false} @click=${cmd('song.redo')}>\u21b7</button>
      </div>`;
    // Laptop: one row. Touch: the everyday controls, the rest behind More. Phone: fewer still.
    const touch = this.variant === 'touch';
    const primary = touch ? html`${clickLoop}${quantization}` : nothing;
    const rest = phone ? html`${clickLoop}${quantization}${signature}${locators}` : touch ? html`${signature}${locators}` : html`${signature}${clickLoop}${quantization}<div class="spacer"></div>${locators}`;
    return html`
      <div class="grp" role="group" aria-label="Transport">
        <button class="play" aria-pressed=${playing ? 'true' : 'false'} aria-label="Play from start" title=${stale ? `${tip('Play')} (as it was)` : tip('Play (Space)')} ?disabled=${!can} @click=${cmd('transport.play')}><span class="ico-play"></span></button>
        <button aria-label="Stop" title=${tip('Stop (Space)')} ?disabled=${!can} @click=${cmd('transport.stop')}><span class="ico-stop"></span></button>
        <button aria-label="Continue playing" title=${tip('Continue (Shift+Space)')} ?disabled=${!can} @click=${cmd('transport.continue')}><span class="ico-cont"><i></i><b></b></span></button>
        <button class="rec" aria-pressed=${song?.sessionRecord ? 'true' : 'false'} aria-label="Session record" title=${tip('Session record (R)')} ?disabled=${!can}
          @click=${cmd('song.set_session_record', { value: !song?.sessionRecord })}><span class="ico-rec"></span></button>
      </div>
      <span class="pos" data-position aria-label="Song position" role="timer"></span>
      ${phone ? nothing : html`<div class="sep"></div>`}
      <div class="grp">
        <span class="lbl">Tempo</span>
        <rt-numbox .value=${tempo} min="20" max="999" step="1" decimals="2" unit="BPM" label="Tempo in BPM" ?disabled=${!can}
          ?held=${this.tempo.heldByOther()} ?snapping=${this.tempo.snapping}
          @rt-grab=${() => this.tempo.grab()} @rt-move=${(e: ValueEvent) => this.tempo.move(e.detail.value)}
          @rt-release=${() => this.tempo.release()} @rt-set=${(e: ValueEvent) => void this.tempo.set(e.detail.value)}></rt-numbox>
        <button aria-label="Tap tempo" title=${tip('Tap tempo (T)')} ?disabled=${!can} @click=${cmd('song.tap_tempo')}>Tap</button>
      </div>
      ${primary}
      ${phone || touch ? html`<button aria-expanded=${this.moreOpen ? 'true' : 'false'} aria-controls="more" @click=${() => (this.moreOpen = !this.moreOpen)}>More</button>` : nothing}
      <div class="more" id="more" ?hidden=${(phone || touch) && !this.moreOpen}>${rest}</div>
    `;
  }

  private setSignature(numerator: number, denominator: number): void {
    if (!Number.isInteger(numerator) || numerator < 1 || numerator > 99) return;
    void this.app.command('song.set_time_signature', null, { numerator, denominator });
  }
}
customElements.define('rt-transport', RtTransport);
