import { LitElement, html, css, nothing } from 'lit';
import { JOIN_CODE_PARAM, ROLES, type Layout, type Role, type SessionView } from '../../../protocol/browser.ts';
import { join, ApiError, health, type Health } from '../state/api.ts';
import { plainWords } from '../state/messages.ts';
import { base } from '../ui/shared.ts';
import { screen } from '../state/screen.ts';

const NAME_KEY = 'roomtone.name';
export const CODE_KEY = 'roomtone.code';

/**
 * The join page: name, join code (prefilled from the QR link's ?code=, or kept from this
 * tab's last join), role. The screen, not this form, picks the layout.
 * Errors are said in plain words next to the field they concern.
 */
export class JoinView extends LitElement {
  static override properties = {
    notice: { type: String },
    busy: { state: true },
    error: { state: true },
    errorField: { state: true },
    role: { state: true },
    healthInfo: { state: true },
  };
  declare notice: string;
  declare busy: boolean;
  declare error: string;
  declare errorField: '' | 'name' | 'code' | 'pin';
  declare role: Role;
  declare healthInfo: Health | null;

  constructor() {
    super();
    this.notice = '';
    this.busy = false;
    this.error = '';
    this.errorField = '';
    this.role = 'member';
    this.healthInfo = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void health().then((h) => (this.healthInfo = h));
  }

  static override styles = [base, css`
    :host { display: grid; place-items: center; min-height: 100%; padding: 24px 12px; overflow: auto; height: 100%;
      background: radial-gradient(1200px 600px at 70% -10%, #1d2230 0%, transparent 60%), var(--bg-0); }
    main { width: min(440px, 100%); }
    form { width: 100%; background: var(--bg-1); border: 1px solid var(--line); border-radius: 12px; padding: 28px; box-shadow: var(--shadow); display: grid; gap: 18px; }
    header { display: flex; align-items: center; gap: 12px; }
    header img { width: 40px; height: 40px; }
    h1 { font-size: 22px; margin: 0; letter-spacing: -0.01em; }
    header p { margin: 2px 0 0; color: var(--text-2); font-size: var(--fs-s); }
    label { display: grid; gap: 6px; font-size: var(--fs-s); color: var(--text-1); font-weight: 600; }
    input { font-size: 16px; padding: 10px 12px; min-height: var(--hit, 0px); }
    input[name='code'] { font-family: var(--mono); letter-spacing: 0.12em; text-transform: uppercase; }
    fieldset { border: 0; margin: 0; padding: 0; display: grid; gap: 6px; }
    legend { font-size: var(--fs-s); color: var(--text-1); font-weight: 600; padding: 0; margin-bottom: 6px; }
    .seg { display: grid; grid-auto-flow: column; grid-auto-columns: 1fr; gap: 0; border: 1px solid var(--line); border-radius: var(--radius); overflow: hidden; }
    .seg label { display: block; position: relative; margin: 0; }
    .seg input { position: absolute; opacity: 0; inset: 0; margin: 0; cursor: pointer; }
    .seg span { display: grid; gap: 2px; padding: 9px 10px; text-align: center; background: var(--bg-2); color: var(--text-1); font-weight: 600; border-right: 1px solid var(--line); }
    .seg label:last-child span { border-right: 0; }
    .seg small { font-weight: 400; color: var(--text-2); font-size: var(--fs-xs); }
    .seg input:checked + span small { color: var(--text-1); }
    .seg input:checked + span { background: color-mix(in srgb, var(--accent) 18%, var(--bg-2)); color: var(--text-0); box-shadow: inset 0 -2px 0 var(--accent); }
    .seg input:focus-visible + span { box-shadow: inset 0 0 0 2px var(--select); }
    .err { color: #ff8a94; font-size: var(--fs-s); font-weight: 500; margin: 0; }
    [aria-invalid='true'] { border-color: var(--danger); }
    button.primary { font-size: 15px; padding: 11px; min-height: var(--hit, 0px); }
    .notice { background: color-mix(in srgb, var(--warn) 14%, var(--bg-2)); border: 1px solid color-mix(in srgb, var(--warn) 45%, transparent); color: var(--text-0); padding: 10px 12px; border-radius: var(--radius); font-size: var(--fs-s); }
    .foot { display: flex; justify-content: space-between; gap: 8px; color: var(--text-2); font-size: var(--fs-xs); }
    .dot { display: inline-block; width: 7px; height: 7px; border-radius: 50%; margin-right: 5px; background: var(--text-3); }
    .dot.ok { background: var(--play); }
    .dot.bad { background: var(--danger); }
  `];

  override render() {
    const params = new URLSearchParams(location.search);
    const code = params.get(JOIN_CODE_PARAM) ?? sessionStorage.getItem(CODE_KEY) ?? '';
    const h = this.healthInfo;
    return html`
      <main><form @submit=${this.onSubmit} novalidate aria-labelledby="title">
        <header>
          <img src="/icons/icon.svg" alt="" />
          <div><h1 id="title">Join the room</h1><p>Share one Ableton Live set with everyone here.</p></div>
        </header>
        ${this.notice ? html`<div class="notice" role="status">${this.notice}</div>` : nothing}
        <label>Your name
          <input name="name" autocomplete="nickname" maxlength="40" required placeholder="e.g. Sam (bass)"
            .value=${localStorage.getItem(NAME_KEY) ?? ''} aria-invalid=${this.errorField === 'name'} />
        </label>
        <label>Join code
          <input name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" required
            placeholder="shown on the studio screen" .value=${code} aria-invalid=${this.errorField === 'code'} />
        </label>
        <fieldset>
          <legend>I am joining as</legend>
          <div class="seg" role="radiogroup" aria-label="Role">
            ${this.radio('role', 'member', 'Member', 'play & mix', this.role === 'member')}
            ${this.radio('role', 'observer', 'Observer', 'watch only', this.role === 'observer')}
            ${this.radio('role', 'host', 'Host', 'teacher / engineer', this.role === 'host')}
          </div>
        </fieldset>
        ${this.role === 'host'
          ? html`<label>Admin PIN
              <input name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="32" required aria-invalid=${this.errorField === 'pin'} />
            </label>`
          : nothing}
        ${this.error ? html`<p class="err" role="alert" id="join-error">${this.error}</p>` : nothing}
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Joining\u2026' : 'Join'}</button>
        <div class="foot">
          <span>${h ? html`<span class="dot ${h.live.connected ? 'ok' : 'bad'}"></span>${h.live.connected ? (h.live.mode === 'sim' ? 'Simulated set ready' : 'Live is connected') : 'Live is not connected'}` : 'Checking the studio\u2026'}</span>
          <span>${h ? `Roomtone ${h.version}` : ''}</span>
        </div>
      </form></main>
    `;
  }

  private radio(name: 'role', value: string, title: string, hint: string, checked: boolean) {
    return html`<label>
      <input type="radio" name=${name} value=${value} .checked=${checked}
        @change=${() => { this.role = ROLES.find((r) => r === value) ?? this.role; }} />
      <span>${title}<small>${hint}</small></span>
    </label>`;
  }

  private async onSubmit(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const field = (name: string): string => {
      const value = data.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    const name = field('name');
    const code = field('code');
    const pin = field('pin');
    this.error = '';
    this.errorField = '';
    if (!name) { this.fail('Please type your name so others know who is here.', 'name'); return; }
    if (!code) { this.fail('Please type the join code shown on the studio screen.', 'code'); return; }
    if (this.role === 'host' && !pin) { this.fail('The host role needs the admin PIN.', 'pin'); return; }
    this.busy = true;
    // The screen picks the layout (state/screen.ts); the server only records it for the console.
    const kind = screen.value.kind;
    const layout: Layout = kind !== 'laptop' ? 'surface' : this.role === 'host' ? 'console' : 'band';
    try {
      const session = await join({ name, code, role: this.role, layout, ...(this.role === 'host' ? { pin } : {}) });
      localStorage.setItem(NAME_KEY, name);
      // Kept for this tab only: an ended session comes back to this page with the code filled in.
      sessionStorage.setItem(CODE_KEY, code);
      // Drop ?code= from the address bar: the code is a shared secret.
      history.replaceState(null, '', location.pathname + location.hash);
      this.dispatchEvent(new CustomEvent<SessionView>('joined', { detail: session, bubbles: true, composed: true }));
    } catch (err) {
      if (err instanceof ApiError) {
        const field = err.code === 'BAD_JOIN_CODE' ? 'code' : err.code === 'BAD_PIN' ? 'pin' : '';
        let text = plainWords(err.code, err.message);
        if (err.code === 'THROTTLED' && err.retryAfterMs) text = `Too many wrong tries from this device. Try again in ${Math.ceil(err.retryAfterMs / 1000)} seconds.`;
        if (err.code === 'INVALID') text = `Please check the form: ${err.message}`;
        this.fail(text, field);
      } else {
        this.fail('Something went wrong while joining. Try again.', '');
      }
    } finally {
      this.busy = false;
    }
  }

  private fail(text: string, field: JoinView['errorField']): void {
    this.error = text;
    this.errorField = field;
    if (field) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`input[name='${field}']`)?.focus());
  }
}
customElements.define('rt-join', JoinView);
