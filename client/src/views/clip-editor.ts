import { LitElement, html, css, nothing } from 'lit';
import type { RoomApp } from '../state/app.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { cssColor } from '../state/format.ts';
import { inkFor } from '../state/contrast.ts';
import { LIVE_PALETTE } from '../../../protocol/browser.ts';
import { base } from '../ui/shared.ts';

/**
 * Rename and recolour a clip: a modal dialog with the name and Live's 70 colours (Live keeps
 * only those). Opened from a clip's context menu (right-click, Shift+F10) or, on touch, by
 * tapping a clip in edit mode. Sends `clip.rename` and `clip.set_color` for what changed.
 */
export class RtClipEditor extends LitElement {
  static override properties = { app: { attribute: false }, clipId: { type: String, attribute: 'clip-id' }, colour: { state: true }, busy: { state: true }, error: { state: true } };
  declare app: RoomApp;
  declare clipId: string;
  declare colour: number | null;
  declare busy: boolean;
  declare error: string;

  constructor() {
    super();
    this.clipId = '';
    this.colour = null;
    this.busy = false;
    this.error = '';
    new EntityWatch(this, () => this.app?.set, () => (this.clipId ? [`clips:${this.clipId}`] : []));
  }

  static override styles = [base, css`
    dialog { background: var(--bg-1); color: var(--text-0); border: 1px solid var(--line); border-radius: 10px; padding: 0; width: min(560px, calc(100vw - 16px)); max-height: calc(100vh - 16px); box-shadow: var(--shadow); }
    dialog::backdrop { background: rgb(0 0 0 / 55%); }
    form { display: grid; gap: 14px; padding: 16px; }
    h2 { margin: 0; font-size: var(--fs-l); }
    label { display: grid; gap: 6px; font-size: var(--fs-s); color: var(--text-1); font-weight: 600; }
    input[type='text'] { font-size: 16px; padding: 8px 10px; min-height: var(--hit, 36px); }
    fieldset { border: 0; padding: 0; margin: 0; }
    legend { font-size: var(--fs-s); color: var(--text-1); font-weight: 600; margin-bottom: 6px; padding: 0; }
    .swatches { display: grid; grid-template-columns: repeat(auto-fill, minmax(var(--swatch, 30px), 1fr)); gap: 4px; }
    .swatch { position: relative; display: block; height: var(--swatch, 30px); border-radius: 4px; background: var(--c); }
    .swatch input { position: absolute; inset: 0; margin: 0; opacity: 0; cursor: pointer; width: 100%; height: 100%; }
    .swatch span { position: absolute; inset: 0; display: grid; place-items: center; font-size: 14px; color: var(--i); pointer-events: none; }
    .swatch input:focus-visible + span { box-shadow: var(--focus); border-radius: 4px; }
    .swatch input:checked + span { box-shadow: inset 0 0 0 3px var(--i); border-radius: 4px; }
    .acts { display: flex; gap: 8px; justify-content: flex-end; }
    .acts button { min-height: var(--hit, 32px); min-width: 88px; }
    .err { color: #ff8a94; margin: 0; font-size: var(--fs-s); }
  `];

  private get dialog(): HTMLDialogElement | null {
    return this.renderRoot.querySelector('dialog');
  }

  override updated(changed: Map<string, unknown>): void {
    if (changed.has('clipId')) {
      const clip = this.app.set.get('clip', this.clipId);
      this.colour = clip?.color ?? null;
      this.error = '';
      if (this.clipId && clip && !this.dialog?.open) {
        this.dialog?.showModal();
        this.renderRoot.querySelector<HTMLInputElement>('input[name="name"]')?.select();
      }
    }
  }

  private close(): void {
    if (this.dialog?.open) this.dialog.close();
  }

  private onClosed(): void {
    this.dispatchEvent(new CustomEvent('rt-close', { bubbles: true, composed: true }));
  }

  private async apply(e: Event): Promise<void> {
    e.preventDefault();
    const clip = this.app.set.get('clip', this.clipId);
    if (!clip) { this.close(); return; }
    const field = new FormData(e.target as HTMLFormElement).get('name');
    const name = typeof field === 'string' ? field.trim() : '';
    this.busy = true;
    this.error = '';
    const answers = [];
    if (name && name !== clip.name) answers.push(await this.app.command('clip.rename', this.clipId, { name }, { quiet: true }));
    if (this.colour !== null && this.colour !== clip.color) answers.push(await this.app.command('clip.set_color', this.clipId, { value: this.colour }, { quiet: true }));
    this.busy = false;
    const refused = answers.find((a) => !a.ok);
    if (refused && !refused.ok) {
      this.app.report(refused.error);
      this.error = 'Not everything was changed; see the message.';
      return;
    }
    this.close();
  }

  override render() {
    const clip = this.clipId ? this.app.set.get('clip', this.clipId) : undefined;
    const track = clip ? this.app.set.get('track', clip.trackId) : undefined;
    const can = clip ? this.app.canControl(clip.trackId) : false;
    return html`<dialog aria-labelledby="clip-title" @close=${this.onClosed} @cancel=${() => this.close()}>
      ${clip ? html`<form @submit=${this.apply}>
        <h2 id="clip-title">Clip \u201c${clip.name || 'untitled'}\u201d${track ? html` on ${track.name}` : nothing}</h2>
        ${can ? nothing : html`<p class="err" role="status">${this.app.whyNot(clip.trackId)}</p>`}
        <label>Name <input type="text" name="name" maxlength="128" autocomplete="off" .value=${clip.name} ?disabled=${!can} /></label>
        <fieldset ?disabled=${!can}>
          <legend>Colour</legend>
          <div class="swatches" role="radiogroup" aria-label="Colour">
            ${LIVE_PALETTE.map((c, i) => html`<label class="swatch" style="--c:${cssColor(c)}; --i:${inkFor(c)}" title=${`Colour ${i + 1} (${cssColor(c)})`}>
              <input type="radio" name="colour" value=${c} aria-label=${`Colour ${i + 1} of ${LIVE_PALETTE.length}, ${cssColor(c)}`} .checked=${this.colour === c} @change=${() => (this.colour = c)} />
              <span aria-hidden="true">${this.colour === c ? '\u2713' : ''}</span></label>`)}
          </div>
        </fieldset>
        ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : nothing}
        <div class="acts">
          <button type="button" @click=${() => this.close()}>Cancel</button>
          <button type="submit" class="primary" ?disabled=${!can || this.busy}>${this.busy ? 'Saving\u2026' : 'Save'}</button>
        </div>
      </form>` : nothing}
    </dialog>`;
  }
}
customElements.define('rt-clip-editor', RtClipEditor);
