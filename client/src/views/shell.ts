import { LitElement, html, css, nothing } from 'lit';
import type { RoomApp, View } from '../state/app.ts';
import { Watch } from '../state/observable.ts';
import { toasts, dismiss } from '../state/toasts.ts';
import { leave } from '../state/api.ts';
import { base } from '../ui/shared.ts';
import { META_ROOT } from '../../../protocol/browser.ts';
import './band-view.ts';
import './surface-view.ts';
import './console-view.ts';
import './notes-panel.ts';
import './files-panel.ts';

/** Plain-words line about what others are doing, without saying who. */
export function loadLine(others: number, tasks: number, uploads = 0, downloads = 0): string {
  const a = others === 0 ? 'Nobody else here' : `${others} other${others === 1 ? '' : 's'} here`;
  const b = tasks === 0 ? 'no tasks running that aren\u2019t yours' : `${tasks} task${tasks === 1 ? '' : 's'} running that aren\u2019t yours`;
  const transfers = [
    uploads > 0 ? `${uploads} upload${uploads === 1 ? '' : 's'}` : '',
    downloads > 0 ? `${downloads} download${downloads === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  const c = transfers.length ? ` \u00b7 ${transfers.join(' and ')} running, not yours` : '';
  return `${a} \u00b7 ${b}${c}`;
}

/** The frame around every view: top bar, status banners, the view, toasts. */
export class RtShell extends LitElement {
  static override properties = { app: { attribute: false } };
  declare app: RoomApp;
  private watch: Watch | null = null;
  private offSet: (() => void) | null = null;
  private everOnline = false;

  static override styles = [base, css`
    :host { display: grid; grid-template-rows: auto auto 1fr; height: 100%; min-height: 0; }
    .bar { display: flex; align-items: center; gap: 12px; padding: 0 10px; height: 42px; background: var(--bg-1); border-bottom: 1px solid var(--line); min-width: 0; }
    .brand { display: flex; align-items: center; gap: 8px; font-weight: 700; letter-spacing: 0.02em; font-size: 14px; }
    .brand img { width: 22px; height: 22px; }
    nav { display: flex; gap: 2px; background: var(--bg-0); padding: 2px; border-radius: var(--radius); border: 1px solid var(--line-soft); }
    nav button { border: 0; background: transparent; min-height: 26px; padding: 3px 12px; color: var(--text-2); }
    nav button[aria-current='page'] { background: var(--bg-3); color: var(--text-0); box-shadow: inset 0 -2px 0 var(--accent); }
    .spacer { flex: 1; min-width: 0; }
    .load { color: var(--text-2); font-size: var(--fs-s); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
    .conn { display: inline-flex; align-items: center; gap: 6px; font-size: var(--fs-s); color: var(--text-2); white-space: nowrap; }
    .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--play); box-shadow: 0 0 6px var(--play); }
    .dot.warn { background: var(--warn); box-shadow: 0 0 6px var(--warn); animation: pulse 1s infinite alternate; }
    .dot.bad { background: var(--danger); box-shadow: none; }
    @keyframes pulse { to { opacity: 0.35; } }
    .me { display: inline-flex; align-items: center; gap: 6px; font-size: var(--fs-s); white-space: nowrap; }
    .role { font-size: 10px; text-transform: uppercase; letter-spacing: 0.06em; padding: 2px 6px; border-radius: 3px; background: var(--bg-3); color: var(--text-1); }
    .role.host { background: color-mix(in srgb, var(--accent) 25%, var(--bg-3)); color: var(--accent); }
    .role.observer { background: color-mix(in srgb, var(--select) 18%, var(--bg-3)); color: var(--select); }
    .banners { display: grid; }
    button.icon { display: inline-grid; place-items: center; padding: 4px 8px; }
    .banner { display: flex; align-items: center; gap: 10px; padding: 6px 12px; font-size: var(--fs-s); font-weight: 500; border-bottom: 1px solid var(--line); }
    .banner.info { background: #182a33; color: #a8e9f2; }
    .banner.warn { background: #3a2c12; color: #ffd89a; }
    .banner.error { background: #3d161b; color: #ffc2c7; }
    .banner b { font-weight: 700; }
    main { min-height: 0; min-width: 0; overflow: hidden; position: relative; }
    main > * { height: 100%; }
    .toasts { position: fixed; right: 12px; bottom: 12px; display: grid; gap: 8px; z-index: 50; width: min(380px, calc(100vw - 24px)); pointer-events: none; }
    .toast { pointer-events: auto; display: flex; gap: 10px; align-items: flex-start; padding: 10px 12px; border-radius: var(--radius); background: var(--bg-3); border: 1px solid var(--line); box-shadow: var(--shadow); font-size: var(--fs-s); animation: in 160ms ease-out; }
    .toast.error { border-left: 3px solid var(--danger); }
    .toast.warn { border-left: 3px solid var(--warn); }
    .toast.ok { border-left: 3px solid var(--play); }
    .toast.info { border-left: 3px solid var(--select); }
    .toast p { margin: 0; flex: 1; }
    .toast button { min-height: 20px; padding: 0 6px; }
    @keyframes in { from { transform: translateY(8px); opacity: 0; } }
    @media (max-width: 1100px) { .load { display: none; } .brand span { display: none; } }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    const l = this.app.link;
    this.watch ??= new Watch(this, [l.status, l.session, l.flags, l.load, this.app.view, toasts, this.app.set.status, this.app.set.synced] as never);
    const offMeta = this.app.set.subscribe(META_ROOT, () => this.requestUpdate());
    const offView = this.app.view.subscribe((v) => { if (location.hash !== `#${v}`) history.replaceState(null, '', `#${v}`); });
    this.offSet = () => { offMeta(); offView(); };
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offSet?.();
  }

  private banners() {
    const out: Array<{ kind: 'info' | 'warn' | 'error'; text: unknown; id: string }> = [];
    const app = this.app;
    const st = app.link.status.value;
    if (st === 'online') this.everOnline = true;
    if (st === 'reconnecting' || (st === 'connecting' && this.everOnline)) out.push({ id: 'socket', kind: 'warn', text: html`<b>Reconnecting to the room\u2026</b> Your controls will work again as soon as the link is back.` });
    else if (app.set.status.value === 'disconnected' || (app.set.status.value === 'connecting' && app.set.synced.value)) out.push({ id: 'yjs', kind: 'warn', text: html`<b>Reconnecting to the set\u2026</b> What you see may be a moment old.` });
    const meta = app.set.meta();
    const load = app.link.load.value;
    const agent = meta.agentConnected ?? load?.agentConnected;
    const live = meta.liveConnected ?? load?.liveConnected;
    const simulated = meta.simulated ?? load?.simulated;
    if (agent === false) out.push({ id: 'agent', kind: 'error', text: html`<b>The studio agent is offline.</b> Nothing reaches Live until it reconnects; the set shows its last known state.` });
    else if (live === false) out.push({ id: 'live', kind: 'error', text: html`<b>Live is not connected</b> on the studio computer. Nothing you change reaches it until it is back.` });
    if (simulated) out.push({ id: 'sim', kind: 'info', text: html`<b>Simulated set.</b> This is Roomtone\u2019s built-in simulator, not Ableton Live \u2014 nothing makes sound.` });
    const f = app.link.flags.value;
    const host = app.isHost;
    if (f.frozen) out.push({ id: 'frozen', kind: 'warn', text: html`<b>Room frozen.</b> ${host ? 'You froze the room: nothing reaches Live until you thaw it.' : 'The host froze the room: nothing reaches Live until it is thawed.'}` });
    if (f.locked) out.push({ id: 'locked', kind: host ? 'info' : 'warn', text: html`<b>Room locked.</b> ${host ? 'Only hosts can change the set.' : 'The host locked the room: you can watch, but only the host can change things.'}` });
    const s = app.session;
    if (s && !s.canControl && s.role !== 'observer') out.push({ id: 'revoked', kind: 'warn', text: html`<b>Control paused.</b> The host has taken away your control for now.` });
    if (s?.role === 'observer') out.push({ id: 'observer', kind: 'info', text: html`<b>Observer.</b> You can watch and read; controls are disabled.` });
    return out;
  }

  private setView(v: View): void {
    this.app.view.set(v);
  }

  private async leaveRoom(): Promise<void> {
    await leave();
    this.dispatchEvent(new CustomEvent('left', { bubbles: true, composed: true }));
  }

  private async fullscreen(): Promise<void> {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen({ navigationUI: 'hide' });
    } catch {
      /* not allowed here (iOS Safari): the installed app is fullscreen anyway */
    }
  }

  override render() {
    const app = this.app;
    const s = app.session;
    const view = app.view.value;
    const st = app.link.status.value;
    const load = app.link.load.value;
    const connClass = st === 'online' ? '' : st === 'reconnecting' || st === 'connecting' ? 'warn' : 'bad';
    const connText = st === 'online' ? 'Connected' : st === 'connecting' ? 'Connecting\u2026' : st === 'reconnecting' ? 'Reconnecting\u2026' : 'Offline';
    const tabs: Array<[View, string]> = [['band', 'Band'], ['surface', 'Surface'], ['notes', 'Notes'], ['files', 'Files']];
    if (app.isHost) tabs.push(['console', 'Console']);
    const banners = this.banners();
    return html`
      <header class="bar">
        <div class="brand"><img src="/icons/icon.svg" alt="" /><span>Roomtone</span></div>
        <nav aria-label="Views">
          ${tabs.map(([v, label]) => html`<button aria-current=${view === v ? 'page' : 'false'} @click=${() => this.setView(v)} data-view=${v}>${label}</button>`)}
        </nav>
        <div class="spacer"></div>
        ${load ? html`<span class="load" data-testid="load-line" title="What others are doing, without saying who">${loadLine(load.othersActive, load.othersTasksInFlight, load.othersUploads, load.othersDownloads)}${load.agentLatencyMs !== null ? html` \u00b7 <span class="mono">${Math.round(load.agentLatencyMs)} ms</span>` : nothing}</span>` : nothing}
        <span class="conn" role="status" aria-live="polite" data-testid="conn" data-status=${st}><span class="dot ${connClass}"></span>${connText}</span>
        ${s ? html`<span class="me"><span>${s.name}</span><span class="role ${s.role}" data-testid="role">${s.role}</span></span>` : nothing}
        <button class="ghost icon" @click=${this.fullscreen} aria-label="Full screen" title="Full screen"><svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6"><path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4"/></svg></button>
        <button @click=${this.leaveRoom}>Leave</button>
      </header>
      <div class="banners" role="region" aria-label="Room status" aria-live="polite">
        ${banners.map((b) => html`<div class="banner ${b.kind}" data-banner=${b.id}>${b.text}</div>`)}
      </div>
      <main>
        ${view === 'band' ? html`<rt-band .app=${app}></rt-band>`
        : view === 'surface' ? html`<rt-surface .app=${app}></rt-surface>`
        : view === 'console' && app.isHost ? html`<rt-console .app=${app}></rt-console>`
        : view === 'files' ? html`<rt-files .app=${app} full></rt-files>`
        : html`<rt-notes .app=${app} full></rt-notes>`}
      </main>
      <div class="toasts" role="log" aria-live="assertive" aria-label="Messages">
        ${toasts.value.map((t) => html`<div class="toast ${t.kind}" data-code=${t.code ?? ''}><p>${t.text}</p><button class="ghost" aria-label="Dismiss" @click=${() => dismiss(t.id)}>\u2715</button></div>`)}
      </div>
    `;
  }
}
customElements.define('rt-shell', RtShell);
