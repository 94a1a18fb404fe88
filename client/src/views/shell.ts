import { LitElement, html, css, nothing } from 'lit';
import type { RoomApp, View } from '../state/app.ts';
import { Watch } from '../state/observable.ts';
import { toasts, dismiss, notify } from '../state/toasts.ts';
import { leave } from '../state/api.ts';
import { screen } from '../state/screen.ts';
import { describeGap } from '../state/link-truth.ts';
import { handleShortcut } from '../state/shortcuts.ts';
import type { EditClipDetail } from './cells.ts';
import { base } from '../ui/shared.ts';
import { META_ROOT } from '../../../protocol/browser.ts';
import './band-view.ts';
import './notes-panel.ts';
import './clip-editor.ts';
import './help-overlay.ts';
import './activity-line.ts';
import './command-line.ts';
import type { RtCommandLine } from './command-line.ts';
import './files-panel.ts';

/**
 * Views a laptop's band view never shows load when first opened, not with every page: the
 * band view's first load parsed the teacher's console, the projector, the tablet surface
 * and the phone layout for nothing. The tag is rendered once its element is defined, never
 * before (an element upgraded later would meet its properties too late).
 */
const LATER_VIEWS = {
  'rt-surface': () => import('./surface-view.ts'),
  'rt-phone': () => import('./phone-view.ts'),
  'rt-console': () => import('./console-view.ts'),
  'rt-projector': () => import('./projector-view.ts'),
} as const;
type LaterView = keyof typeof LATER_VIEWS;

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

/** The frame around every view: skip link, top bar, status banners, the view, toasts, dialogs. */
export class RtShell extends LitElement {
  static override properties = { app: { attribute: false }, helpOpen: { state: true }, editClip: { state: true }, menuOpen: { state: true } };
  declare app: RoomApp;
  declare helpOpen: boolean;
  declare editClip: string;
  declare menuOpen: boolean;
  private watch: Watch | null = null;
  private offs: Array<() => void> = [];
  /** The link banners wait for the first time the page was connected (no flash while it starts). */
  private everLive = false;

  constructor() {
    super();
    this.helpOpen = false;
    this.editClip = '';
    this.menuOpen = false;
  }

  static override styles = [base, css`
    /* Rows: the bar, the banners, the command line (empty until opened), the view. */
    :host { display: grid; grid-template-rows: auto auto auto 1fr; height: 100%; min-height: 0; }
    /* With the command line open the view keeps room for its tallest control (a phone's fader)
       and the page scrolls instead when the screen is short (max-content: the bar keeps its
       height rather than shrinking to its min-height). */
    :host([words]) { grid-template-rows: max-content max-content max-content minmax(240px, 1fr); overflow-y: auto; }
    .skip { position: absolute; left: 8px; top: -60px; z-index: 200; background: var(--accent); color: var(--accent-ink); border-color: var(--accent); padding: 10px 14px; border-radius: var(--radius); font-weight: 700; }
    .skip:focus { top: 8px; }
    .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; padding: 4px 10px; min-height: 42px; background: var(--bg-1); border-bottom: 1px solid var(--line); min-width: 0; }
    .brand { display: flex; align-items: center; gap: 8px; font-weight: 700; letter-spacing: 0.02em; font-size: 14px; }
    .brand img { width: 22px; height: 22px; }
    nav { display: flex; gap: 2px; background: var(--bg-0); padding: 2px; border-radius: var(--radius); border: 1px solid var(--line-soft); }
    nav button { border: 0; background: transparent; min-height: var(--hit, 30px); padding: 3px 12px; color: var(--text-1); }
    :host([phone]) nav button { padding: 3px 9px; }
    :host([phone]) .conn { min-width: 24px; justify-content: center; }
    nav button[aria-current='page'] { background: var(--bg-3); color: var(--text-0); box-shadow: inset 0 -2px 0 var(--accent); }
    .spacer { flex: 1; min-width: 0; }
    .load { color: var(--text-2); font-size: var(--fs-s); min-width: 0; }
    .conn { display: inline-flex; align-items: center; gap: 6px; font-size: var(--fs-s); color: var(--text-1); white-space: nowrap; }
    .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--play); box-shadow: 0 0 6px var(--play); }
    .dot.warn { background: var(--warn); box-shadow: 0 0 6px var(--warn); animation: pulse 1s infinite alternate; }
    .dot.bad { background: var(--danger); box-shadow: none; }
    @keyframes pulse { to { opacity: 0.35; } }
    .me { display: inline-flex; align-items: center; gap: 6px; font-size: var(--fs-s); white-space: nowrap; }
    .role { font-size: 10px; text-transform: uppercase; letter-spacing: 0.06em; padding: 2px 6px; border-radius: 3px; background: var(--bg-3); color: var(--text-1); }
    .role.host { background: var(--bg-3); color: var(--accent); box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--accent) 50%, transparent); }
    .role.observer { background: var(--bg-3); color: var(--select); box-shadow: inset 0 0 0 1px color-mix(in srgb, var(--select) 50%, transparent); }
    .tools { display: flex; align-items: center; gap: 6px; }
    button.icon { display: inline-grid; place-items: center; padding: 4px 8px; }
    /* The phone's menu opens as a row of the bar: it pushes the view down, never covers it. */
    .menu-row { order: 20; flex-basis: 100%; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; padding: 4px 0 2px; border-top: 1px solid var(--line-soft); }
    .banners { display: grid; }
    .banner { display: flex; align-items: center; flex-wrap: wrap; gap: 4px 10px; padding: 6px 12px; font-size: var(--fs-s); font-weight: 500; border-bottom: 1px solid var(--line); }
    .banner.info { background: #182a33; color: #a8e9f2; }
    .banner.warn { background: #3a2c12; color: #ffd89a; }
    .banner.error { background: #3d161b; color: #ffc2c7; }
    .banner b { font-weight: 700; }
    .banner .grow { flex: 1; min-width: 12ch; }
    .banner button { min-height: var(--hit, 24px); }
    main { min-height: 0; min-width: 0; overflow: hidden; position: relative; }
    main:focus { outline: none; }
    main > * { height: 100%; }
    .opening { display: grid; place-items: center; color: var(--text-2); font-size: var(--fs-s); }
    .toasts { position: fixed; right: 12px; bottom: 12px; display: grid; gap: 8px; z-index: 50; width: min(380px, calc(100vw - 24px)); pointer-events: none; }
    .toast { pointer-events: auto; display: flex; gap: 10px; align-items: flex-start; padding: 10px 12px; border-radius: var(--radius); background: var(--bg-3); border: 1px solid var(--line); box-shadow: var(--shadow); font-size: var(--fs-s); animation: in 160ms ease-out; }
    .toast.error { border-left: 3px solid var(--danger); }
    .toast.warn { border-left: 3px solid var(--warn); }
    .toast.ok { border-left: 3px solid var(--play); }
    .toast.info { border-left: 3px solid var(--select); }
    .toast p { margin: 0; flex: 1; align-self: center; }
    .toast button { min-height: var(--hit, 24px); padding: 0 8px; }
    @keyframes in { from { transform: translateY(8px); opacity: 0; } }
    /* Below 1100 px the load line takes its own row instead of disappearing. */
    @media (max-width: 1100px) { .load { order: 10; flex-basis: 100%; } .brand span { display: none; } }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    const l = this.app.link;
    this.watch ??= new Watch(this, [l.status, l.stopReason, l.session, l.flags, l.load, this.app.view, toasts, this.app.set.status, this.app.set.synced, this.app.truth, this.app.returnNotice, screen] as never);
    const keys = (e: KeyboardEvent): void => {
      if (handleShortcut(e, this.app, {
        openHelp: () => (this.helpOpen = true),
        openWords: () => this.openWords(),
        blocked: () => this.helpOpen || this.editClip !== '' || this.app.view.value === 'projector',
        selectedTrack: () => this.app.selectedTrack.value ?? this.app.set.ids('track')[0] ?? null,
        selectTrack: (id) => this.app.selectedTrack.set(id),
      })) e.preventDefault();
    };
    window.addEventListener('keydown', keys);
    this.offs = [
      this.app.set.subscribe(META_ROOT, () => this.requestUpdate()),
      this.app.view.subscribe((v) => { if (location.hash !== `#${v}`) history.replaceState(null, '', `#${v}`); }),
      screen.subscribe((s) => { this.toggleAttribute('touch', s.touch); this.toggleAttribute('phone', s.kind === 'phone'); }),
      () => window.removeEventListener('keydown', keys),
    ];
    this.toggleAttribute('touch', screen.value.touch);
    this.toggleAttribute('phone', screen.value.kind === 'phone');
    this.addEventListener('rt-words-open', ((e: CustomEvent<boolean>) => { this.toggleAttribute('words', e.detail); }) as EventListener);
    this.addEventListener('rt-edit-clip', ((e: CustomEvent<EditClipDetail>) => { this.editClip = e.detail.clipId; }) as EventListener);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offs.forEach((off) => off());
    this.offs = [];
  }

  private banners() {
    const out: Array<{ kind: 'info' | 'warn' | 'error'; text: unknown; id: string }> = [];
    const app = this.app;
    const truth = app.truth.value;
    if (truth.gap !== 'room' && truth.gap !== 'set') this.everLive = true;
    // The server said it stops (Ctrl-C, a service stop, an update): say so and why, not "Reconnecting".
    if (app.link.status.value === 'stopped') out.push({ id: 'stopped', kind: 'error', text: html`<b>${app.link.stopReason.value ?? 'Roomtone is stopping on the studio computer'}.</b> This page reconnects by itself once it is back.` });
    else if (!this.everLive) { /* starting: nothing to report yet */ } else if (truth.gap === 'room') out.push({ id: 'socket', kind: 'warn', text: html`<b>Reconnecting to the room\u2026</b> Your controls will work again as soon as the link is back.` });
    else if (truth.gap === 'set') out.push({ id: 'yjs', kind: 'warn', text: html`<b>Reconnecting to the set\u2026</b> What you see may be a moment old.` });
    else if (truth.gap === 'agent') out.push({ id: 'agent', kind: 'error', text: html`<b>${describeGap(truth)}</b> What you see is the set as it was then.` });
    else if (truth.gap === 'live') out.push({ id: 'live', kind: 'error', text: html`<b>${describeGap(truth)}</b> What you see is the set as it was then.` });
    const back = app.returnNotice.value;
    if (back) out.push({ id: 'live-return', kind: 'warn', text: html`<span class="grow">${back}</span><button @click=${() => app.returnNotice.set(null)}>Dismiss</button>` });
    const meta = app.set.meta();
    const load = app.link.load.value;
    // A part the launcher could not start (no Python for the simulator): the host can act on it.
    for (const p of meta.processes ?? []) {
      if (p.phase === 'failed' && app.isHost) out.push({ id: `process-${p.name}`, kind: 'error', text: html`<b>The ${p.name === 'sim' ? 'simulator' : p.name === 'agent' ? 'studio agent' : p.name} could not start.</b> ${p.error ?? ''}` });
    }
    if (meta.simulated ?? load?.simulated) out.push({ id: 'sim', kind: 'info', text: html`<b>Simulated set.</b> This is Roomtone\u2019s built-in simulator, not Ableton Live \u2014 nothing makes sound.` });
    const f = app.link.flags.value;
    const host = app.isHost;
    if (f.frozen) out.push({ id: 'frozen', kind: 'warn', text: html`<b>Room frozen.</b> ${host ? 'You froze the room: nothing reaches Live until you thaw it.' : 'The host froze the room: nothing reaches Live until it is thawed.'}` });
    if (f.locked) out.push({ id: 'locked', kind: host ? 'info' : 'warn', text: html`<b>Room locked.</b> ${host ? 'Only hosts can change the set.' : 'The host locked the room: you can watch, but only the host can change things.'}` });
    const s = app.session;
    if (s && !s.canControl && s.role !== 'observer') out.push({ id: 'revoked', kind: 'warn', text: html`<b>Control paused.</b> The host has taken away your control for now.` });
    if (s?.role === 'observer') out.push({ id: 'observer', kind: 'info', text: html`<b>Observer.</b> You can watch and read; controls are disabled.` });
    if (s && s.role === 'member' && s.assignedTracks.length) {
      const names = s.assignedTracks.map((id) => app.set.get('track', id)?.name).filter(Boolean).join(', ');
      out.push({ id: 'assigned', kind: 'info', text: html`<b>Your tracks: ${names || 'assigned by the host'}.</b> The host assigned them to you; the rest of the set (master, returns, scenes, transport) is theirs.` });
    }
    return out;
  }

  private setView(v: View): void {
    this.menuOpen = false;
    this.app.view.set(v);
  }

  private openWords(): void {
    this.menuOpen = false;
    this.renderRoot.querySelector<RtCommandLine>('rt-command-line')?.show();
  }

  private async leaveRoom(): Promise<void> {
    await leave();
    this.dispatchEvent(new CustomEvent('left', { bubbles: true, composed: true }));
  }

  private async fullscreen(): Promise<void> {
    this.menuOpen = false;
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen({ navigationUI: 'hide' });
    } catch {
      /* not allowed here (iOS Safari): the installed app is fullscreen anyway */
    }
  }

  private skipToMain(e: Event): void {
    e.preventDefault();
    const main = this.renderRoot.querySelector<HTMLElement>('main');
    main?.focus();
    main?.scrollIntoView({ block: 'start' });
  }

  /** Whether `tag` can be rendered now; if not, its code is on its way and the shell renders again when it is here. */
  private ready(tag: LaterView): boolean {
    if (customElements.get(tag)) return true;
    LATER_VIEWS[tag]().then(() => this.requestUpdate(), () => {
      notify('error', 'This view could not be loaded. Check the Wi-Fi and reload the page.');
    });
    return false;
  }

  private view() {
    const app = this.app;
    const view = app.view.value;
    const phone = screen.value.kind === 'phone';
    const opening = html`<div class="opening" role="status">Opening…</div>`;
    if (view === 'console' && app.isHost) return this.ready('rt-console') ? html`<rt-console .app=${app}></rt-console>` : opening;
    if (view === 'projector' && app.isHost) return this.ready('rt-projector') ? html`<rt-projector .app=${app}></rt-projector>` : opening;
    if (view === 'notes') return html`<rt-notes .app=${app} full></rt-notes>`;
    if (view === 'files') return html`<rt-files .app=${app} full></rt-files>`;
    if (phone) return this.ready('rt-phone') ? html`<rt-phone .app=${app} orientation=${screen.value.orientation}></rt-phone>` : opening;
    if (view === 'surface') return this.ready('rt-surface') ? html`<rt-surface .app=${app}></rt-surface>` : opening;
    return html`<rt-band .app=${app}></rt-band>`;
  }

  override render() {
    const app = this.app;
    const s = app.session;
    const view = app.view.value;
    if (view === 'projector' && app.isHost) return html`<main id="main" tabindex="-1">${this.view()}</main>`;
    const truth = app.truth.value;
    const roomDown = truth.gap === 'room' || truth.gap === 'set';
    const st = app.link.status.value;
    const connClass = !roomDown ? '' : st === 'offline' || st === 'ended' || st === 'kicked' || st === 'stopped' ? 'bad' : 'warn';
    // "Connected" means connected to the room: the socket and the set doc both up.
    const connText = !roomDown ? 'Connected' : st === 'stopped' ? 'Server stopped' : st === 'connecting' ? 'Connecting\u2026' : 'Reconnecting\u2026';
    const connStatus = !roomDown ? 'online' : st === 'stopped' ? 'stopped' : st === 'connecting' ? 'connecting' : 'reconnecting';
    const phone = screen.value.kind === 'phone';
    const tabs: Array<[View, string]> = phone ? [['band', 'Play'], ['notes', 'Notes'], ['files', 'Files']] : [['band', 'Band'], ['surface', 'Surface'], ['notes', 'Notes'], ['files', 'Files']];
    if (app.isHost) tabs.push(['console', 'Console']);
    const current = phone && view === 'surface' ? 'band' : view;
    const load = app.link.load.value;
    const me = s ? html`<span class="me"><span>${s.name}</span><span class="role ${s.role}" data-testid="role">${s.role}</span></span>` : nothing;
    const fullscreenButton = html`<button class="ghost icon" @click=${this.fullscreen} aria-label="Full screen" title="Full screen"><svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="1.6"><path d="M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4"/></svg></button>`;
    const helpButton = html`<button class="ghost icon" data-testid="help" @click=${() => { this.menuOpen = false; this.helpOpen = true; }} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>`;
    const leaveButton = html`<button @click=${this.leaveRoom}>Leave</button>`;
    const wordsButton = html`<button class="ghost" @click=${this.openWords} aria-keyshortcuts="Control+K Meta+K /" title="Say a command in words (Ctrl+K or /)" data-testid="open-words">Say it</button>`;
    return html`
      <button class="skip" @click=${this.skipToMain}>Skip to the main content</button>
      <header class="bar">
        <div class="brand"><img src="/icons/icon.svg" alt="" /><span>Roomtone</span></div>
        <nav aria-label="Views">
          ${tabs.map(([v, label]) => html`<button aria-current=${current === v ? 'page' : 'false'} @click=${() => this.setView(v)} data-view=${v}>${label}</button>`)}
        </nav>
        <div class="spacer"></div>
        ${load ? html`<span class="load" data-testid="load-line" title="What others are doing, without saying who">${loadLine(load.othersActive, load.othersTasksInFlight, load.othersUploads ?? 0, load.othersDownloads ?? 0)}${load.agentLatencyMs !== null ? html` \u00b7 <span class="mono">${Math.round(load.agentLatencyMs)} ms</span>` : nothing}</span>` : nothing}
        <span class="conn" role="status" aria-live="polite" data-testid="conn" data-status=${connStatus}><span class="dot ${connClass}"></span><span class=${phone ? 'sr-only' : ''}>${connText}</span></span>
        ${phone
          ? html`<button aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="menu" aria-label="Menu: you, say it, shortcuts, full screen, leave" @click=${() => (this.menuOpen = !this.menuOpen)}>\u22ef</button>
              ${this.menuOpen ? html`<div class="menu-row" id="menu" role="group" aria-label="Menu">${me}${wordsButton}${helpButton}${fullscreenButton}${leaveButton}</div>` : nothing}`
          : html`<div class="tools">${me}${wordsButton}${helpButton}${fullscreenButton}${leaveButton}</div>`}
      </header>
      <div class="banners" role="region" aria-label="Room status" aria-live="polite">
        ${this.banners().map((b) => html`<div class="banner ${b.kind}" data-banner=${b.id}>${b.text}</div>`)}
      </div>
      <rt-command-line .app=${app}></rt-command-line>
      <main id="main" tabindex="-1">${this.view()}</main>
      <div class="toasts" role="log" aria-live="assertive" aria-label="Messages">
        ${toasts.value.map((t) => html`<div class="toast ${t.kind}" data-code=${t.code ?? ''}><p>${t.text}</p><button class="ghost" aria-label="Dismiss" @click=${() => dismiss(t.id)}>\u2715</button></div>`)}
      </div>
      ${s && s.role !== 'observer' ? html`<rt-activity .app=${app}></rt-activity>` : nothing}
      <rt-help ?open=${this.helpOpen} @rt-close=${() => (this.helpOpen = false)}></rt-help>
      <rt-clip-editor .app=${app} clip-id=${this.editClip} @rt-close=${() => (this.editClip = '')}></rt-clip-editor>
    `;
  }
}
customElements.define('rt-shell', RtShell);
