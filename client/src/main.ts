import { LitElement, html, css, nothing } from 'lit';
import type { SessionView } from '../../protocol/browser.ts';
import { currentSession } from './state/api.ts';
import { RoomApp } from './state/app.ts';
import './ui/fader.ts';
import './ui/knob.ts';
import './ui/meter.ts';
import './views/join-view.ts';
import './views/shell.ts';

const JOINED_KEY = 'roomtone.joined';

/** Boot: an existing session goes straight to the room; otherwise the join page. */
class RtApp extends LitElement {
  static override properties = { app: { state: true }, booting: { state: true }, notice: { state: true } };
  declare app: RoomApp | null;
  declare booting: boolean;
  declare notice: string;

  constructor() {
    super();
    this.app = null;
    this.booting = true;
    this.notice = '';
  }

  static override styles = css`
    :host { display: block; height: 100%; }
    .boot { display: grid; place-items: center; height: 100%; color: var(--text-2); font: 13px var(--font); }
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
      this.notice = why === 'kicked' ? 'The host removed you from the room. You can join again with the join code.' : 'Your session ended. Join again to continue.';
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

  override render() {
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
