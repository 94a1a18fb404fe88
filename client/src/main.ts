import { LitElement, html, css, nothing } from 'lit';
import type { SessionView, WireError } from '../../protocol/browser.ts';
import { currentSession } from './state/api.ts';
import { RoomApp } from './state/app.ts';
import { clearCachedClient } from './state/cached-client.ts';
import './ui/fader.ts';
import './ui/knob.ts';
import './ui/meter.ts';
import './views/join-view.ts';
import './views/shell.ts';

const JOINED_KEY = 'roomtone.joined';

/** Boot: an existing session goes straight to the room; otherwise the join page. */
class RtApp extends LitElement {
  static override properties = { app: { state: true }, booting: { state: true }, notice: { state: true }, outdated: { state: true } };
  declare app: RoomApp | null;
  declare booting: boolean;
  declare notice: string;
  /** The server refused this page's protocol version: only a reload helps. */
  declare outdated: WireError | null;

  constructor() {
    super();
    this.app = null;
    this.booting = true;
    this.notice = '';
    this.outdated = null;
  }

  static override styles = css`
    :host { display: block; height: 100%; }
    .boot { display: grid; place-items: center; height: 100%; color: var(--text-2); font: 13px var(--font); }
    .outdated { display: grid; place-items: center; height: 100%; padding: 24px; box-sizing: border-box; font: 15px/1.5 var(--font); color: var(--text-0); background: var(--bg-0); }
    .outdated div { max-width: 30rem; }
    .outdated h1 { font-size: 20px; margin: 0 0 8px; }
    .outdated p { margin: 0 0 16px; color: var(--text-1); }
    .outdated button { font: 600 15px var(--font); min-height: 44px; padding: 0 20px; border-radius: var(--radius-s); border: 1px solid var(--accent); background: var(--accent); color: var(--accent-ink); cursor: pointer; }
    .outdated button:focus-visible { outline: none; box-shadow: var(--focus); }
  `;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.boot();
  }

  private async boot(): Promise<void> {
    let session: SessionView | null = null;
    try {
      // Only ask for a session when this browser joined before: the cookie is HttpOnly,
      // and asking without one answers 401, which the browser logs as an error.
      if (localStorage.getItem(JOINED_KEY)) session = await currentSession();
      if (!session) localStorage.removeItem(JOINED_KEY);
    } catch {
      this.notice = 'The room server cannot be reached right now. Check the Wi-Fi and reload.';
    }
    if (session) this.enter(session);
    this.booting = false;
  }

  private enter(session: SessionView): void {
    localStorage.setItem(JOINED_KEY, '1');
    const app = new RoomApp(session);
    app.ended.subscribe((why) => {
      if (!why) return;
      localStorage.removeItem(JOINED_KEY);
      app.stop();
      this.app = null;
      this.notice = why === 'kicked'
        ? 'The host removed you from the room. You can join again once the host lets you back in.'
        : 'Your session ended. Join again to continue: your name and the join code are filled in.';
    });
    app.link.outdated.subscribe((refusal) => {
      if (!refusal) return;
      app.stop();
      this.app = null;
      this.outdated = refusal;
      // Whichever side is older, the cached client is what does not fit: the next load
      // takes the page this server serves.
      void clearCachedClient();
    });
    app.start();
    this.app = app;
    window.roomtone = app;
  }

  private onJoined(e: CustomEvent<SessionView>): void {
    this.notice = '';
    this.enter(e.detail);
  }

  private onLeft(): void {
    localStorage.removeItem(JOINED_KEY);
    this.app?.stop();
    this.app = null;
    this.notice = 'You left the room.';
  }

  override updated(): void {
    if (this.outdated) this.renderRoot.querySelector<HTMLButtonElement>('.outdated button')?.focus();
  }

  private renderOutdated(refusal: WireError) {
    const pageOlder = refusal.older !== 'server';
    return html`<main class="outdated" role="alertdialog" aria-modal="true" aria-labelledby="outdated-title" aria-describedby="outdated-text">
      <div>
        <h1 id="outdated-title">${pageOlder ? 'Roomtone was updated' : 'The room server is older than this page'}</h1>
        <p id="outdated-text">${pageOlder
          ? 'This page is older than the room server. Reload to get the new version; you stay in the room.'
          : 'Reload to get the page this server serves. If this comes back, ask the host to update Roomtone on the studio computer.'}</p>
        <button data-testid="reload" @click=${() => location.reload()}>Reload</button>
      </div>
    </main>`;
  }

  override render() {
    if (this.outdated) return this.renderOutdated(this.outdated);
    if (this.booting) return html`<div class="boot" role="status">Connecting to the room\u2026</div>`;
    if (this.app) return html`<rt-shell .app=${this.app} @left=${this.onLeft}></rt-shell>`;
    return html`<rt-join .notice=${this.notice} @joined=${this.onJoined}></rt-join>${nothing}`;
  }
}
customElements.define('rt-app', RtApp);

declare global {
  /** The running app, for the browser tests and a curious studio engineer's console. */
  interface Window { roomtone?: RoomApp }
}

// The installable shell: cache the app shell only (never live state). A certificate the
// browser does not trust makes registration fail; the app works the same without it.
if ('serviceWorker' in navigator && window.isSecureContext) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
