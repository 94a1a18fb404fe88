import { LitElement, html, css, nothing } from 'lit';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import type { RoomApp } from '../state/app.ts';
import { qrSvg } from '../state/join-qr.ts';
import { ROOM_EVENTS } from '../../../protocol/browser.ts';
import { base } from '../ui/shared.ts';

/**
 * The projector: the join code and its QR code as big as the screen allows, for the room's
 * wall. Only hosts reach it (from the console); the code is never served to anyone else.
 */
export class RtProjector extends LitElement {
  static override properties = { app: { attribute: false }, code: { state: true }, joinUrl: { state: true }, qr: { state: true }, error: { state: true } };
  declare app: RoomApp;
  declare code: string;
  declare joinUrl: string;
  declare qr: string;
  declare error: string;

  constructor() {
    super();
    this.code = '';
    this.joinUrl = '';
    this.qr = '';
    this.error = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    const ack = await this.app.link.host(ROOM_EVENTS.hostJoinInfo, {});
    if (!ack.ok) {
      this.error = 'The join code could not be read from the room server. Close and try again.';
      return;
    }
    this.code = ack.value.code;
    this.joinUrl = ack.value.joinUrl;
    this.qr = await qrSvg(this.joinUrl);
  }

  private close(): void {
    this.app.view.set('console');
  }

  static override styles = [base, css`
    :host { position: fixed; inset: 0; z-index: 100; background: #0b0c0f; display: grid; place-items: center; align-content: center; gap: 20px; text-align: center; padding: 24px; overflow: auto; }
    h1 { margin: 0; font-size: clamp(22px, 3vw, 40px); color: var(--text-0); }
    .qr { width: min(62vh, 80vw); height: min(62vh, 80vw); background: #fff; border-radius: 8px; padding: 16px; }
    .qr svg { width: 100%; height: 100%; display: block; }
    .code { font: 700 clamp(32px, 6vw, 72px) var(--mono); letter-spacing: 0.12em; color: var(--accent); }
    .url { font: clamp(14px, 1.6vw, 22px) var(--mono); color: var(--text-1); word-break: break-all; }
    .close { position: absolute; top: 16px; right: 16px; font-size: 16px; padding: 8px 16px; }
    .err { color: #ff8a94; }
  `];

  override render() {
    return html`
      <button class="close" @click=${this.close}>Close</button>
      <h1>Join the room: scan the code or type it</h1>
      ${this.error ? html`<p class="err" role="alert">${this.error}</p>` : nothing}
      ${this.qr ? html`<div class="qr" role="img" aria-label=${`QR code for ${this.joinUrl}`}>${unsafeSVG(this.qr)}</div>` : nothing}
      ${this.code ? html`<div class="code" data-testid="projected-code">${this.code}</div>` : nothing}
      ${this.joinUrl ? html`<div class="url">${this.joinUrl}</div>` : nothing}
    `;
  }
}
customElements.define('rt-projector', RtProjector);
