import { LitElement, html, css, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomApp } from '../state/app.ts';
import { describeError, formatBytes } from '../state/messages.ts';
import { notify } from '../state/toasts.ts';
import { timeAgo } from '../state/format.ts';
import { ROOM_EVENTS, type FileLimits, type HostFilesView } from '../../../protocol/browser.ts';
import { base } from '../ui/shared.ts';
import { formatSeconds } from './files-panel.ts';

const MiB = 1024 * 1024;
const POLL_MS = 5000;

/**
 * The host's file controls in the console: drops on or off, the per-file cap, the daily
 * quota per session and the free-disk floor; where files land (beside the saved set or
 * in the drops folder); every stored file with who sent it, and delete.
 */
export class RtConsoleFiles extends LitElement {
  static override properties = { app: { attribute: false }, view: { state: true }, error: { state: true }, busy: { state: true } };
  declare app: RoomApp;
  declare view: HostFilesView | null;
  declare error: string;
  declare busy: boolean;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    this.view = null;
    this.error = '';
    this.busy = false;
  }

  static override styles = [base, css`
    :host { display: block; }
    section { background: var(--bg-1); border: 1px solid var(--line); border-radius: var(--radius); min-width: 0; }
    header { display: flex; align-items: center; gap: 8px; padding: 10px 12px; border-bottom: 1px solid var(--line); }
    h2 { margin: 0; font-size: var(--fs-l); flex: 1; }
    .body { padding: 12px; display: grid; gap: 10px; font-size: var(--fs-s); }
    .limits { display: grid; grid-template-columns: 1fr auto; gap: 6px 10px; align-items: center; }
    .limits input { width: 90px; }
    .where { font: 12px var(--mono); color: var(--text-2); word-break: break-all; }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
    li { display: grid; grid-template-columns: 1fr auto; gap: 2px 8px; padding: 6px 8px; background: var(--bg-2); border-radius: var(--radius-s); }
    .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .meta { grid-column: 1 / -1; color: var(--text-2); }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), POLL_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearInterval(this.timer);
  }

  private async refresh(): Promise<void> {
    const ack = await this.app.link.host(ROOM_EVENTS.hostFiles, {});
    if (ack.ok) { this.view = ack.value; this.error = ''; } else this.error = describeError(ack.error);
  }

  private async set(change: Partial<FileLimits>): Promise<void> {
    this.busy = true;
    const ack = await this.app.link.host(ROOM_EVENTS.hostFilesSettings, change);
    this.busy = false;
    if (!ack.ok) notify('error', describeError(ack.error), ack.error.code);
    await this.refresh();
  }

  private async deleteFile(fileId: string, name: string): Promise<void> {
    if (!confirm(`Delete ${name} from the studio computer?`)) return;
    const ack = await this.app.link.host(ROOM_EVENTS.hostFileDelete, { fileId });
    if (!ack.ok) notify('warn', describeError(ack.error), ack.error.code);
    else notify('ok', `${name} deleted.`);
    await this.refresh();
  }

  private number(label: string, id: string, value: number, unit: number, key: keyof FileLimits) {
    return html`<label for=${id}>${label}</label>
      <input id=${id} type="number" min="0" step="1" .value=${String(Math.round(value / unit))} ?disabled=${this.busy}
        @change=${(e: Event) => { const v = Number((e.target as HTMLInputElement).value); if (Number.isFinite(v) && v >= 0) void this.set({ [key]: Math.round(v * unit) }); }} />`;
  }

  override render() {
    const v = this.view;
    return html`<section aria-labelledby="files-h">
      <header><h2 id="files-h">Files</h2>${v ? html`<span class="muted">${v.uploadsRunning} upload${v.uploadsRunning === 1 ? '' : 's'} running</span>` : nothing}</header>
      <div class="body">
        ${this.error ? html`<p role="alert">${this.error}</p>` : nothing}
        ${!v ? html`<span class="muted">Loading\u2026</span>` : html`
          <button data-testid="drops" aria-pressed=${v.limits.dropsEnabled ? 'true' : 'false'} class=${v.limits.dropsEnabled ? 't-on' : ''} ?disabled=${this.busy}
            @click=${() => void this.set({ dropsEnabled: !v.limits.dropsEnabled })}>${v.limits.dropsEnabled ? 'Drops on: members can send audio' : 'Drops off: only hosts can send audio'}</button>
          <div class="limits">
            ${this.number('Largest file (MB)', 'cap', v.limits.maxFileBytes, MiB, 'maxFileBytes')}
            ${this.number('Per person per day (MB)', 'quota', v.limits.dailyQuotaBytes, MiB, 'dailyQuotaBytes')}
            ${this.number('Keep free on disk (MB)', 'floor', v.limits.diskFloorBytes, MiB, 'diskFloorBytes')}
          </div>
          <div>Free on the studio disk: <b class="mono">${v.freeBytes === null ? '\u2014' : formatBytes(v.freeBytes)}</b></div>
          <div>New files land ${v.folders.set ? html`beside the saved set, in <div class="where">${v.folders.set}/&lt;name&gt;/</div>` : html`in the drops folder (save the set in Live 12 to have them land beside it): <div class="where">${v.folders.drops}/&lt;name&gt;/</div>`}</div>
          ${v.files.length === 0 ? html`<span class="muted">No files stored yet.</span>` : html`<ul>${repeat(v.files, (f) => f.id, (f) => html`<li data-host-file=${f.id}>
            <span class="name" title=${f.path}>${f.name}</span>
            <button class="danger" @click=${() => void this.deleteFile(f.id, f.name)} aria-label=${`Delete ${f.name}`}>Delete</button>
            <span class="meta">${f.senders.map((s) => s.name).join(', ')} \u00b7 ${timeAgo(f.at)} \u00b7 ${formatSeconds(f.seconds)} \u00b7 ${formatBytes(f.bytes)} \u00b7 ${f.where === 'set' ? 'beside the set' : 'drops folder'}</span>
          </li>`)}</ul>`}
        `}
      </div>
    </section>`;
  }
}
customElements.define('rt-console-files', RtConsoleFiles);
