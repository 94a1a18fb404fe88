import { LitElement, html, css, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { unsafeSVG } from 'lit/directives/unsafe-svg.js';
import type { RoomApp } from '../state/app.ts';
import {
  ROLES, ROOM_EVENTS, joinLink,
  type AuditEntry, type HostAck, type HostCall, type HostPayload, type HostSessionRow, type HostValue, type JoinAddress, type RemovedPersonView, type Role,
} from '../../../protocol/browser.ts';
import { Watch } from '../state/observable.ts';
import { describeError } from '../state/messages.ts';
import { notify } from '../state/toasts.ts';
import { timeAgo } from '../state/format.ts';
import { qrSvg } from '../state/join-qr.ts';
import { groupPeople, auditWords, type Person } from '../state/people.ts';
import { base } from '../ui/shared.ts';
import { loadLine } from './shell.ts';
import './console-files.ts';

const CODE_KEY = 'roomtone.code';
const POLL_MS = 2500;

/**
 * The teacher's console: lock and freeze the room, see who is here (one row per person,
 * earlier sessions folded in), grant or revoke control, assign tracks, remove someone
 * (they stay out until let back in or the code changes), the join code with a QR code and
 * the projector view, and the audit log in names rather than ids.
 */
export class RtConsole extends LitElement {
  static override properties = {
    app: { attribute: false },
    sessions: { state: true },
    sessionsError: { state: true },
    removed: { state: true },
    justRemoved: { state: true },
    audit: { state: true },
    auditError: { state: true },
    code: { state: true },
    joinUrl: { state: true },
    addresses: { state: true },
    qr: { state: true },
    filterKind: { state: true },
    filterSession: { state: true },
    onlyErrors: { state: true },
    limit: { state: true },
    busy: { state: true },
  };
  declare app: RoomApp;
  declare sessions: HostSessionRow[];
  declare sessionsError: string;
  declare removed: RemovedPersonView[];
  /** The person just removed: the page offers to let them back or to rotate the code. */
  declare justRemoved: { name: string; removedId: string } | null;
  declare audit: AuditEntry[];
  declare auditError: string;
  declare code: string;
  declare joinUrl: string;
  declare addresses: JoinAddress[];
  declare qr: string;
  declare filterKind: string;
  declare filterSession: string;
  declare onlyErrors: boolean;
  declare limit: number;
  declare busy: string;
  private timer: ReturnType<typeof setInterval> | null = null;
  private watch: Watch | null = null;
  /** Names of sessions seen in this console, so the log names people who have since left. */
  private names = new Map<string, string>();

  constructor() {
    super();
    this.sessions = [];
    this.sessionsError = '';
    this.removed = [];
    this.justRemoved = null;
    this.audit = [];
    this.auditError = '';
    this.code = sessionStorage.getItem(CODE_KEY) ?? '';
    this.joinUrl = this.code ? `${location.origin}/?code=${encodeURIComponent(this.code)}` : '';
    this.addresses = [];
    this.qr = '';
    this.filterKind = '';
    this.filterSession = '';
    this.onlyErrors = false;
    this.limit = 100;
    this.busy = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const l = this.app.link;
    this.watch ??= new Watch(this, [l.flags, l.hostLoad, l.status] as never);
    void this.refresh();
    void this.loadJoinInfo();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async refresh(): Promise<void> {
    if (!this.app.link.connected) return;
    const [s, a, r] = await Promise.all([
      this.app.link.host(ROOM_EVENTS.hostSessions, {}), this.queryAudit(), this.app.link.host(ROOM_EVENTS.hostRemoved, {}),
    ]);
    if (s.ok) {
      this.sessions = s.value;
      for (const row of s.value) this.names.set(row.id, row.name);
      this.sessionsError = '';
    } else {
      this.sessionsError = describeError(s.error);
    }
    if (a.ok) {
      this.audit = a.value;
      for (const e of a.value) if (e.sessionId && e.name) this.names.set(e.sessionId, e.name);
      this.auditError = '';
    } else {
      this.auditError = describeError(a.error);
    }
    if (r.ok) this.removed = r.value;
  }

  private queryAudit(): Promise<HostAck<AuditEntry[]>> {
    const q: HostPayload<'host:audit'> = { limit: this.limit };
    if (this.filterKind) q.kind = this.filterKind;
    if (this.filterSession) q.sessionId = this.filterSession;
    if (this.onlyErrors) q.onlyErrors = true;
    return this.app.link.host(ROOM_EVENTS.hostAudit, q);
  }

  private async call<E extends HostCall>(label: string, event: E, payload: HostPayload<E>): Promise<HostAck<HostValue<E>>> {
    this.busy = label;
    const ack = await this.app.link.host(event, payload);
    this.busy = '';
    if (!ack.ok) notify('error', describeError(ack.error), ack.error.code);
    void this.refresh();
    return ack;
  }

  /** The server knows the code and the LAN link; the console shows them after any reload. */
  private async loadJoinInfo(): Promise<void> {
    const ack = this.app.link.connected ? await this.app.link.host(ROOM_EVENTS.hostJoinInfo, {}) : null;
    if (ack?.ok) {
      this.code = ack.value.code;
      this.joinUrl = ack.value.joinUrl;
      this.addresses = ack.value.addresses ?? [];
      sessionStorage.setItem(CODE_KEY, this.code);
    }
    this.qr = await qrSvg(this.joinUrl);
  }

  private async rotate(ask = true): Promise<void> {
    if (ask && !confirm('Make a new join code? People already in the room stay; the old code stops working for new joins, and anyone you removed may join with the new one.')) return;
    const ack = await this.call('rotate', ROOM_EVENTS.hostRotateCode, {});
    if (!ack.ok) return;
    this.code = ack.value.code;
    this.joinUrl = ack.value.joinUrl || joinLink(location.origin, this.code);
    sessionStorage.setItem(CODE_KEY, this.code);
    this.justRemoved = null;
    this.qr = await qrSvg(this.joinUrl);
    notify('ok', `New join code: ${this.code}`);
  }

  private async removePerson(person: Person): Promise<void> {
    if (!confirm(`Remove ${person.name} from the room? They stay out until you let them back in or make a new join code.`)) return;
    const ack = await this.call('kick', ROOM_EVENTS.hostKick, { sessionId: person.current.id });
    if (ack.ok) this.justRemoved = { name: person.name, removedId: ack.value.removedId };
  }

  private async letBack(removedId: string, name: string): Promise<void> {
    const ack = await this.call('let-back', ROOM_EVENTS.hostLetBack, { removedId });
    if (ack.ok) {
      if (this.justRemoved?.removedId === removedId) this.justRemoved = null;
      notify('ok', `${name} may join again with the current code.`);
    }
  }

  private setRole(sessionId: string, value: string): void {
    const role: Role | undefined = ROLES.find((r) => r === value);
    if (role) void this.call('role', ROOM_EVENTS.hostSetRole, { sessionId, role });
  }

  static override styles = [base, css`
    :host { display: block; height: 100%; overflow: auto; background: var(--bg-0); }
    .page { display: grid; grid-template-columns: minmax(0, 1fr) 360px; gap: 12px; padding: 12px; align-items: start; }
    section { background: var(--bg-1); border: 1px solid var(--line); border-radius: var(--radius); min-width: 0; }
    section > header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid var(--line); flex-wrap: wrap; }
    h2 { margin: 0; font-size: var(--fs-l); flex: 1; }
    .body { padding: 12px; }
    .room { display: grid; grid-template-columns: 1fr 1fr; gap: 8px; }
    .big { display: grid; gap: 4px; padding: 12px; min-height: 72px; text-align: left; border-radius: var(--radius); font-size: 15px; font-weight: 700; }
    .big small { font-weight: 400; color: var(--text-1); font-size: var(--fs-s); }
    .big[aria-pressed='true'] { background: color-mix(in srgb, var(--warn) 22%, var(--bg-3)); border-color: var(--warn); color: var(--text-0); }
    .join { display: grid; gap: 10px; justify-items: center; text-align: center; }
    .qr { width: 220px; height: 220px; background: #fff; border-radius: 8px; padding: 8px; }
    .qr svg { width: 100%; height: 100%; display: block; }
    .code { font: 700 26px var(--mono); letter-spacing: 0.12em; color: var(--accent); }
    .url { font: 12px var(--mono); color: var(--text-1); word-break: break-all; }
    table { width: 100%; border-collapse: collapse; font-size: var(--fs-s); }
    th { text-align: left; color: var(--text-1); font-weight: 600; font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; padding: 6px 8px; border-bottom: 1px solid var(--line); position: sticky; top: 0; background: var(--bg-1); }
    td { padding: 6px 8px; border-bottom: 1px solid var(--line-soft); vertical-align: middle; }
    tr.off td { color: var(--text-2); }
    .tablewrap { overflow: auto; max-height: 46vh; }
    .tablewrap:focus-visible { box-shadow: var(--focus); }
    .pill { font-size: 10px; padding: 1px 6px; border-radius: 8px; background: var(--bg-3); text-transform: uppercase; letter-spacing: 0.05em; }
    .pill.host { color: var(--accent); }
    .pill.observer { color: var(--select); }
    .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; background: var(--text-2); margin-right: 6px; }
    .dot.online { background: var(--play); }
    .dot.away { background: var(--warn); }
    td select { font-size: 12px; padding: 2px 4px; }
    .acts { display: flex; gap: 4px; flex-wrap: wrap; }
    .acts button, td button { font-size: 12px; padding: 2px 8px; min-height: var(--hit, 26px); }
    details { position: relative; }
    summary { cursor: pointer; list-style: none; font-size: 12px; padding: 3px 8px; border: 1px solid var(--line); border-radius: var(--radius-s); background: var(--bg-3); min-height: var(--hit, 24px); display: flex; align-items: center; }
    summary::-webkit-details-marker { display: none; }
    .assign { position: absolute; z-index: 5; top: 100%; right: 0; margin-top: 4px; background: var(--bg-2); border: 1px solid var(--line); border-radius: var(--radius); padding: 8px; display: grid; gap: 4px; min-width: 200px; max-height: 260px; overflow: auto; box-shadow: var(--shadow); }
    .assign label { display: flex; gap: 6px; align-items: center; font-size: var(--fs-s); min-height: var(--hit, 22px); }
    .earlier { margin-top: 4px; }
    .earlier summary { display: inline-flex; border: 0; background: transparent; padding: 0; color: var(--text-1); }
    .earlier ul { margin: 4px 0 0; padding-left: 18px; color: var(--text-1); }
    .filters { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    .filters label { display: flex; gap: 4px; align-items: center; font-size: var(--fs-s); color: var(--text-1); min-height: var(--hit, 0px); }
    .filters input[type='text'] { width: 130px; }
    .ok { color: var(--play); }
    .bad { color: #ff8a94; }
    .err { color: #ff8a94; padding: 12px; font-size: var(--fs-s); }
    .note { color: var(--text-1); padding: 12px; font-size: var(--fs-s); }
    .warnline { margin: 0; font-size: var(--fs-xs); color: var(--warn); max-width: 300px; }
    .load { font-size: var(--fs-s); color: var(--text-1); display: grid; gap: 4px; }
    .removed-now { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; padding: 10px 12px; background: #3a2c12; color: #ffd89a; border-bottom: 1px solid var(--line); font-size: var(--fs-s); }
    .removed-now span { flex: 1; min-width: 20ch; }
    .removed-list { display: grid; gap: 6px; padding: 10px 12px; border-top: 1px solid var(--line); font-size: var(--fs-s); }
    .removed-list div { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    .removed-list span { flex: 1; }
    @media (max-width: 1100px) { .page { grid-template-columns: 1fr; } }
    /* Narrow screens: each row becomes a card, so nothing runs off the side. */
    @media (max-width: 900px) {
      .page { padding: 8px; }
      .room { grid-template-columns: 1fr; }
      .tablewrap { max-height: none; }
      table, thead, tbody, tr, td { display: block; width: 100%; }
      thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
      tr { border-bottom: 1px solid var(--line); padding: 6px 0; }
      td { border: 0; padding: 3px 10px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
      td::before { content: attr(data-label); min-width: 64px; color: var(--text-2); font-size: 11px; text-transform: uppercase; letter-spacing: 0.05em; }
      .assign { position: static; }
    }
  `];

  override render() {
    const app = this.app;
    const f = app.link.flags.value;
    const load = app.link.hostLoad.value;
    const byId = new Map((load?.sessions ?? []).map((s) => [s.id, s]));
    const tracks = app.set.ids('track');
    const trackName = (id: string) => app.set.get('track', id)?.name ?? id;
    const people = groupPeople(this.sessions);
    return html`
      <h1 class="sr-only">Console: the room, its people and its log</h1>
      <div class="page">
        <div style="display:grid; gap:12px; min-width:0">
          <section aria-labelledby="room-h">
            <header><h2 id="room-h">Room</h2>${load ? html`<span class="muted">${loadLine(load.othersActive, load.othersTasksInFlight)}</span>` : nothing}</header>
            ${load?.pinGuessing && load.pinGuessing.failures > 0 ? html`<div class="err" role="alert" data-testid="pin-guessing">${pinGuessingLine(load.pinGuessing)}</div>` : nothing}
            <div class="body room">
              <button class="big" data-testid="lock" aria-pressed=${f.locked ? 'true' : 'false'} ?disabled=${this.busy === 'lock'}
                @click=${() => void this.call('lock', ROOM_EVENTS.hostLock, { locked: !f.locked })}>
                ${f.locked ? 'Unlock the room' : 'Lock the room'}<small>${f.locked ? 'Locked: only hosts can change the set.' : 'Only hosts will be able to change the set.'}</small>
              </button>
              <button class="big" data-testid="freeze" aria-pressed=${f.frozen ? 'true' : 'false'} ?disabled=${this.busy === 'freeze'}
                @click=${() => void this.call('freeze', ROOM_EVENTS.hostFreeze, { frozen: !f.frozen })}>
                ${f.frozen ? 'Thaw the room' : 'Freeze the room'}<small>${f.frozen ? 'Frozen: nothing reaches Live.' : 'Nothing will reach Live until you thaw it.'}</small>
              </button>
            </div>
          </section>

          <section aria-labelledby="people-h">
            <header><h2 id="people-h">People</h2><span class="muted">${people.length} ${people.length === 1 ? 'person' : 'people'}</span>
              <button @click=${() => void this.refresh()}>Refresh</button></header>
            ${this.justRemoved ? html`<div class="removed-now" role="status" data-testid="removed-now">
                <span><b>${this.justRemoved.name}</b> was removed and cannot join again with the current code.</span>
                <button @click=${() => void this.letBack(this.justRemoved!.removedId, this.justRemoved!.name)}>Let ${this.justRemoved.name} back in</button>
                <button @click=${() => void this.rotate(false)}>Make a new join code</button>
              </div>` : nothing}
            ${this.sessionsError ? html`<div class="err" role="alert">${this.sessionsError}</div>` : nothing}
            <div class="tablewrap" tabindex="0" role="region" aria-label="People in the room">
              <table>
                <thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">IP</th><th scope="col">Activity</th><th scope="col">Load</th><th scope="col">Tracks</th><th scope="col">Control</th><th scope="col"><span class="sr-only">Remove</span></th></tr></thead>
                <tbody>
                  ${repeat(people, (p) => p.key, (p) => {
                    const s = p.current;
                    const mine = s.id === app.session?.id;
                    const l = byId.get(s.id);
                    const presence = p.presence;
                    return html`<tr class=${presence === 'offline' ? 'off' : ''} data-session=${s.id} data-person=${p.name}>
                      <td data-label="Name"><span class="dot ${presence}" aria-hidden="true"></span>${p.name}${mine ? html` <span class="muted">(you)</span>` : nothing}
                        ${p.earlier.length ? html`<details class="earlier"><summary>${p.earlier.length} earlier session${p.earlier.length === 1 ? '' : 's'}</summary>
                          <ul>${p.earlier.map((e) => html`<li>${e.layout}, ${e.presence ?? 'away'}, joined ${timeAgo(e.createdAt)}</li>`)}</ul></details>` : nothing}</td>
                      <td data-label="Role">${mine ? html`<span class="pill ${s.role}">${s.role}</span>` : html`<select aria-label=${`Role of ${p.name}`} @change=${(e: Event) => { this.setRole(s.id, (e.target as HTMLSelectElement).value); }}>
                          ${(['observer', 'member', 'host'] as const).map((r) => html`<option value=${r} ?selected=${(s.pendingRole ?? s.role) === r}>${r}</option>`)}
                        </select>`}
                        ${s.pendingRole && s.pendingRole !== s.role ? html`<span class="muted" title="Takes effect when their page refreshes its session">pending</span>` : nothing}
                        <span class="muted">${s.layout}</span></td>
                      <td data-label="IP" class="mono">${s.ip}</td>
                      <td data-label="Activity">${presence === 'online' ? 'here' : presence} \u00b7 ${timeAgo(s.lastActiveAt)}</td>
                      <td data-label="Load" class="mono">${l ? `${l.tasksInFlight} \u00b7 ${l.commandsPerMinute}/min` : '\u2014'}</td>
                      <td data-label="Tracks">${s.role === 'member' ? html`<details>
                          <summary>${s.assignedTracks.length ? s.assignedTracks.map(trackName).join(', ') : 'All tracks'}<span class="sr-only">: assign tracks to ${p.name}</span></summary>
                          <div class="assign" role="group" aria-label=${`Tracks for ${p.name}`}>
                            ${tracks.map((tid) => html`<label><input type="checkbox" .checked=${s.assignedTracks.includes(tid)}
                              @change=${(e: Event) => {
                                const on = (e.target as HTMLInputElement).checked;
                                const next = on ? [...s.assignedTracks, tid] : s.assignedTracks.filter((x) => x !== tid);
                                void this.call('assign', ROOM_EVENTS.hostAssignTracks, { sessionId: s.id, trackIds: next });
                              }} />${trackName(tid)}</label>`)}
                            <small class="muted">None ticked: every track.</small>
                          </div></details>` : html`<span class="muted">\u2014</span>`}</td>
                      <td data-label="Control">${s.role === 'member' ? html`<button class=${s.canControl ? '' : 'primary'} data-testid="control" aria-label=${`${s.canControl ? 'Revoke' : 'Grant'} control for ${p.name}`}
                          @click=${() => void this.call('control', ROOM_EVENTS.hostSetControl, { sessionId: s.id, allowed: !s.canControl })}>${s.canControl ? 'Revoke' : 'Grant'}</button>` : html`<span class="muted">\u2014</span>`}</td>
                      <td data-label="Remove" class="acts">${mine ? nothing : html`<button class="danger" aria-label=${`Remove ${p.name}`} @click=${() => void this.removePerson(p)}>Remove</button>`}</td>
                    </tr>`;
                  })}
                </tbody>
              </table>
            </div>
            ${this.removed.length ? html`<div class="removed-list" data-testid="removed">
              <b>Removed (cannot join with the current code)</b>
              ${this.removed.map((r) => html`<div><span>${r.name} <span class="muted mono">${r.ip}</span> \u00b7 ${timeAgo(r.at)}</span>
                <button @click=${() => void this.letBack(r.id, r.name)}>Let ${r.name} back in</button></div>`)}
            </div>` : nothing}
          </section>

          <section aria-labelledby="audit-h">
            <header><h2 id="audit-h">Audit log</h2>
              <div class="filters">
                <label>Kind <input type="text" placeholder="e.g. command" .value=${this.filterKind} @change=${(e: Event) => { this.filterKind = (e.target as HTMLInputElement).value.trim(); void this.refresh(); }} /></label>
                <label>Who <select @change=${(e: Event) => { this.filterSession = (e.target as HTMLSelectElement).value; void this.refresh(); }}>
                  <option value="">Everyone</option>${this.sessions.map((s) => html`<option value=${s.id} ?selected=${this.filterSession === s.id}>${s.name}</option>`)}
                </select></label>
                <label><input type="checkbox" .checked=${this.onlyErrors} @change=${(e: Event) => { this.onlyErrors = (e.target as HTMLInputElement).checked; void this.refresh(); }} /> Only refusals</label>
                <label>Show <select @change=${(e: Event) => { this.limit = Number((e.target as HTMLSelectElement).value); void this.refresh(); }}>
                  ${[50, 100, 200, 500].map((n) => html`<option value=${n} ?selected=${this.limit === n}>${n}</option>`)}</select></label>
              </div>
            </header>
            ${this.auditError ? html`<div class="err" role="alert">${this.auditError}</div>` : nothing}
            <div class="tablewrap" tabindex="0" role="region" aria-label="Audit log entries">
              <table>
                <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">What</th><th scope="col">Result</th></tr></thead>
                <tbody>${this.audit.map((a) => {
                  const words = auditWords(a, app.set, this.names);
                  return html`<tr data-kind=${a.kind}>
                    <td data-label="When" class="mono">${new Date(a.at).toLocaleTimeString()}</td>
                    <td data-label="Who">${words.who}${a.ip ? html` <span class="muted mono">${a.ip}</span>` : nothing}</td>
                    <td data-label="What" data-audit-what>${words.what}</td>
                    <td data-label="Result">${a.ok === undefined ? '' : a.ok ? html`<span class="ok">ok</span>` : html`<span class="bad">${words.refusal}</span>`}</td></tr>`;
                })}</tbody>
              </table>
              ${this.audit.length === 0 && !this.auditError ? html`<div class="note">Nothing logged yet for this filter.</div>` : nothing}
            </div>
          </section>
        </div>

        <div style="display:grid; gap:12px; min-width:0">
          <section aria-labelledby="join-h">
            <header><h2 id="join-h">Join code</h2></header>
            <div class="body join">
              ${this.qr ? html`<div class="qr" role="img" aria-label="QR code to join the room">${unsafeSVG(this.qr)}</div>` : html`<p class="muted">Rotate the code to show a QR code here.</p>`}
              ${this.code ? html`<div class="code" data-testid="join-code">${this.code}</div>` : nothing}
              ${this.joinUrl ? html`<div class="url">${this.joinUrl}</div>` : nothing}
              ${this.addresses.length > 1 ? html`<details class="addresses"><summary>Other addresses of the studio computer</summary><ul>${this.addresses.filter((a) => a.url !== this.joinUrl).map((a) => html`<li><span class="mono">${a.address}</span> (${a.interface}${a.kind === 'lan' ? '' : `, ${a.kind}`}${a.defaultRoute ? ', default route' : ''})</li>`)}</ul><p class="muted">Roomtone starts with <span class="mono">--public-url</span> to put another one in the QR code.</p></details>` : nothing}
              ${isLoopback(this.joinUrl) ? html`<p class="warnline">This link uses this computer\u2019s own address. Open the console through the studio\u2019s network address (as printed by <span class="mono">npm start</span>) so tablets can use the QR code.</p>` : nothing}
              <div class="acts">
                <button class="primary" ?disabled=${!this.qr} @click=${() => app.view.set('projector')}>Project QR code</button>
                <button ?disabled=${this.busy === 'rotate'} @click=${() => void this.rotate()}>Rotate join code</button>
              </div>
            </div>
          </section>
          <rt-console-files .app=${app}></rt-console-files>
          <section aria-labelledby="load-h">
            <header><h2 id="load-h">Load</h2></header>
            <div class="body load">
              ${load ? html`
                <div>Queue depth: <b class="mono">${load.queueDepth}</b></div>
                <div>Agent latency: <b class="mono">${load.agentLatencyMs !== null ? `${Math.round(load.agentLatencyMs)} ms` : '\u2014'}</b></div>
                <div>Agent: ${load.agentConnected ? html`<span class="ok">connected</span>` : html`<span class="bad">offline</span>`} \u00b7 Live: ${load.liveConnected ? html`<span class="ok">connected</span>` : html`<span class="bad">offline</span>`}${load.simulated ? ' (simulated)' : ''}</div>
                ${(load.sessions ?? []).filter((s) => s.tasksInFlight > 0 || s.commandsPerMinute > 0 || s.uploads > 0 || s.downloads > 0).map((s) => html`<div>${s.name}: <span class="mono">${s.tasksInFlight} in flight \u00b7 ${s.commandsPerMinute}/min${s.uploads ? ` \u00b7 ${s.uploads} up` : ''}${s.downloads ? ` \u00b7 ${s.downloads} down` : ''}</span></div>`)}
              ` : html`<span class="muted">Waiting for the first load report\u2026</span>`}
            </div>
          </section>
        </div>
      </div>
    `;
  }
}
customElements.define('rt-console', RtConsole);

function isLoopback(url: string): boolean {
  try {
    const h = new URL(url).hostname;
    return h === 'localhost' || h.startsWith('127.') || h === '[::1]';
  } catch {
    return false;
  }
}

/** The host console's warning that someone is guessing the admin PIN (H3). */
function pinGuessingLine(g: { failures: number; addresses: number; windowMs: number; pausedForMs: number }): string {
  const minutes = Math.round(g.windowMs / 60_000);
  const who = `${g.failures} wrong admin PIN${g.failures === 1 ? '' : 's'} from ${g.addresses} address${g.addresses === 1 ? '' : 'es'} in the last ${minutes} min.`;
  if (g.pausedForMs <= 0) return `Someone may be guessing the admin PIN: ${who}`;
  return `Someone is guessing the admin PIN: ${who} PIN entry from the network is paused for ${Math.ceil(g.pausedForMs / 60_000)} min; members can still join, and the studio computer still can.`;
}
