import { LitElement, html, css, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { RoomApp } from '../state/app.ts';
import type { Transfer } from '../state/transfers.ts';
import { Watch } from '../state/observable.ts';
import { listFiles, listTakes } from '../state/api.ts';
import { describeError, formatBytes } from '../state/messages.ts';
import { fileDownloadPath, takeDownloadPath, type FilesListing, type TakesListing } from '../../../protocol/browser.ts';
import { base } from '../ui/shared.ts';

const REFRESH_MS = 5000;
const ACCEPT = 'audio/*,.wav,.wave,.aif,.aiff,.flac,.mp3,.ogg,.oga,.opus,.m4a';

export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '';
  const m = Math.floor(s / 60);
  const rest = s - m * 60;
  return m > 0 ? `${m}:${rest.toFixed(0).padStart(2, '0')}` : `${rest.toFixed(1)} s`;
}

/** Plain words for a transfer's state, for the list and for screen readers. */
export function transferStatus(t: Transfer, slotLabel: (id: string) => string): string {
  switch (t.state) {
    case 'uploading': return `Sending \u2014 ${Math.floor((t.sent / Math.max(1, t.bytes)) * 100)}%`;
    case 'paused': return 'Paused';
    case 'waiting': return 'Waiting for the network \u2014 it goes on by itself when the Wi-Fi is back';
    case 'storing': return 'Checking the audio on the studio computer\u2026';
    case 'placing': return `Putting it in ${slotLabel(t.slotId ?? '')}\u2026`;
    case 'placed': return `In the set: ${slotLabel(t.slotId ?? '')}`;
    case 'stored': return 'Stored in the room\u2019s files';
    case 'conflict': return `Someone filled ${slotLabel(t.slotId ?? '')} just before you.`;
    case 'failed': return t.error ? describeError(t.error) : 'That did not work.';
  }
}

/**
 * Files for everyone: send audio (pick files on a tablet, or drop them here), each
 * transfer with progress, pause and resume; the room's drops with "place on a slot" and
 * download; the takes the set references, to download.
 */
export class RtFiles extends LitElement {
  static override properties = {
    app: { attribute: false },
    full: { type: Boolean, reflect: true },
    files: { state: true },
    takes: { state: true },
    loadError: { state: true },
  };
  declare app: RoomApp;
  declare full: boolean;
  declare files: FilesListing | null;
  declare takes: TakesListing | null;
  declare loadError: string;
  private timer: ReturnType<typeof setInterval> | null = null;
  private watch: Watch | null = null;

  constructor() {
    super();
    this.full = false;
    this.files = null;
    this.takes = null;
    this.loadError = '';
  }

  static override styles = [base, css`
    :host { display: block; padding: 10px; font-size: var(--fs-s); }
    :host([full]) { max-width: 980px; margin: 0 auto; padding: 16px; overflow: auto; height: 100%; }
    section { margin-bottom: 16px; }
    h2 { font-size: 13px; margin: 0 0 8px; text-transform: uppercase; letter-spacing: 0.06em; color: var(--text-2); }
    .send { display: grid; gap: 8px; padding: 12px; border: 1px dashed var(--line); border-radius: var(--radius); background: var(--bg-1); }
    .send.over { border-color: var(--accent); background: color-mix(in srgb, var(--accent) 8%, var(--bg-1)); }
    .pick { display: inline-flex; align-items: center; gap: 8px; }
    .pick input { position: absolute; width: 1px; height: 1px; opacity: 0; }
    .pick label { display: inline-flex; align-items: center; min-height: var(--hit, 36px); padding: 6px 14px; border-radius: var(--radius-s); background: var(--accent); color: var(--accent-ink); font-weight: 600; cursor: pointer; }
    .pick input:focus-visible + label { box-shadow: var(--focus); }
    ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
    li { display: grid; grid-template-columns: 1fr auto; gap: 4px 10px; align-items: center; padding: 8px; border-radius: var(--radius-s); background: var(--bg-2); }
    .name { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
    .meta { grid-column: 1 / -1; color: var(--text-2); }
    .actions { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; justify-content: flex-end; }
    progress { grid-column: 1 / -1; width: 100%; height: 8px; accent-color: var(--play); }
    a.button { display: inline-flex; align-items: center; min-height: 26px; padding: 4px 10px; border-radius: var(--radius-s); background: var(--bg-3); border: 1px solid var(--line); color: var(--text-1); text-decoration: none; }
    a.button:hover { background: var(--bg-4); color: var(--text-0); }
    .tag { font-size: 10px; text-transform: uppercase; letter-spacing: 0.05em; padding: 1px 5px; border-radius: 3px; background: var(--bg-3); color: var(--text-1); margin-left: 6px; }
    .status.failed, .status.conflict { color: var(--warn); }
    .empty { color: var(--text-2); padding: 6px 0; }
    select { max-width: 200px; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    this.watch ??= new Watch(this, [this.app.transfers.list, this.app.filesChanged, this.app.link.session] as never);
    this.app.filesChanged.subscribe(() => void this.refresh());
    void this.refresh();
    this.timer = setInterval(() => void this.refresh(), REFRESH_MS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async refresh(): Promise<void> {
    try {
      const [files, takes] = await Promise.all([listFiles(), listTakes()]);
      this.files = files;
      this.takes = takes;
      this.loadError = '';
    } catch (err) {
      this.loadError = err instanceof Error ? err.message : 'The lists could not be read.';
    }
  }

  private slotLabel = (slotId: string): string => {
    const slot = this.app.set.get('clip_slot', slotId);
    const track = slot ? this.app.set.get('track', slot.trackId) : undefined;
    const index = track?.clipSlots?.indexOf(slotId) ?? -1;
    const scene = index >= 0 ? this.app.set.get('scene', this.app.set.ids('scene')[index]) : undefined;
    return track ? `${track.name}, ${scene?.name || `scene ${index + 1}`}` : 'that slot';
  };

  private send(list: FileList | null): void {
    if (!list) return;
    for (const file of Array.from(list)) this.app.transfers.start(file);
  }

  private onDrop(e: DragEvent): void {
    e.preventDefault();
    (e.currentTarget as HTMLElement).classList.remove('over');
    this.send(e.dataTransfer?.files ?? null);
  }

  private renderTransfer(t: Transfer) {
    const x = this.app.transfers;
    const pct = Math.floor((t.sent / Math.max(1, t.bytes)) * 100);
    const moving = t.state === 'uploading' || t.state === 'waiting';
    return html`<li data-transfer=${t.key} data-state=${t.state}>
      <span class="name">${t.name}</span>
      <span class="actions">
        ${moving ? html`<button @click=${() => x.pause(t.key)} aria-label=${`Pause sending ${t.name}`}>Pause</button>` : nothing}
        ${t.state === 'paused' || (t.state === 'failed' && !t.file) ? html`<button class="primary" @click=${() => x.resume(t.key)} aria-label=${`Resume sending ${t.name}`}>Resume</button>` : nothing}
        ${t.state === 'conflict' && t.suggestion ? html`<button class="primary" data-suggest=${t.suggestion} @click=${() => void x.placeAt(t.key, t.suggestion!)}>Put it in ${this.slotLabel(t.suggestion)}</button>` : nothing}
        ${moving || t.state === 'paused' ? html`<button class="ghost" @click=${() => x.cancel(t.key)} aria-label=${`Cancel sending ${t.name}`}>Cancel</button>`
          : t.state === 'placed' || t.state === 'stored' || t.state === 'failed' || t.state === 'conflict' ? html`<button class="ghost" @click=${() => x.dismiss(t.key)} aria-label=${`Dismiss ${t.name}`}>\u2715</button>` : nothing}
      </span>
      ${t.file ? nothing : html`<progress max="100" value=${pct} aria-label=${`${t.name}: ${pct}% sent`}></progress>`}
      <span class="meta status ${t.state}" role="status">${transferStatus(t, this.slotLabel)} \u00b7 ${formatBytes(t.bytes)}</span>
    </li>`;
  }

  override render() {
    const app = this.app;
    const session = app.session;
    const can = session?.role !== 'observer';
    const transfers = app.transfers.list.value;
    const allowance = this.files?.allowance;
    const slots = app.emptyAudioSlots();
    const member = session?.role !== 'observer';
    return html`
      ${this.hasAttribute('full') ? html`<h1 class="sr-only">Files: audio in and takes out</h1>` : nothing}
      ${can ? html`<section aria-labelledby="send-h">
        <h2 id="send-h">Send audio to the studio</h2>
        <div class="send" @dragover=${(e: DragEvent) => { e.preventDefault(); (e.currentTarget as HTMLElement).classList.add('over'); }}
          @dragleave=${(e: DragEvent) => (e.currentTarget as HTMLElement).classList.remove('over')} @drop=${this.onDrop}>
          <span class="pick"><input id="pick" type="file" multiple accept=${ACCEPT} @change=${(e: Event) => { const input = e.target as HTMLInputElement; this.send(input.files); input.value = ''; }} />
            <label for="pick">Choose audio files\u2026</label></span>
          <span class="muted">WAV, AIFF, FLAC, MP3, OGG or M4A. Or drop files here \u2014 or onto an empty slot of an audio track in the grid.</span>
          ${allowance ? html`<span class="muted" data-testid="allowance">${!allowance.dropsEnabled && session?.role !== 'host' ? 'The host has turned drops off for now.'
            : `Up to ${formatBytes(allowance.maxFileBytes)} a file${allowance.quotaBytes !== null ? ` \u00b7 ${formatBytes(Math.max(0, allowance.quotaBytes - allowance.usedTodayBytes))} left today` : ''}.`}</span>` : nothing}
        </div>
      </section>` : nothing}

      ${transfers.length ? html`<section aria-labelledby="tr-h"><h2 id="tr-h">Your transfers</h2>
        <ul>${repeat(transfers, (t) => t.key, (t) => this.renderTransfer(t))}</ul></section>` : nothing}

      <section aria-labelledby="drops-h">
        <h2 id="drops-h">The room\u2019s files</h2>
        ${this.loadError ? html`<p class="empty" role="alert">${this.loadError}</p>` : nothing}
        ${!this.files ? html`<p class="empty">Loading\u2026</p>` : this.files.files.length === 0 ? html`<p class="empty">No files yet.</p>` : html`<ul>
          ${repeat(this.files.files, (f) => f.id, (f) => html`<li data-file=${f.id}>
            <span class="name">${f.name}${f.mine ? html`<span class="tag">yours</span>` : f.fromHost ? html`<span class="tag">from the host</span>` : nothing}</span>
            <span class="actions">
              ${can && slots.length ? html`<label class="sr-only" for=${`place-${f.id}`}>Place ${f.name} on</label>
                <select id=${`place-${f.id}`} @change=${(e: Event) => { const sel = e.target as HTMLSelectElement; if (sel.value) void this.place(f.id, sel.value); sel.value = ''; }}>
                  <option value="">Place on\u2026</option>
                  ${slots.map((s) => html`<option value=${s.slotId}>${s.label}</option>`)}
                </select>` : nothing}
              ${member ? html`<a class="button" href=${fileDownloadPath(f.id)} download aria-label=${`Download ${f.name}`}>Download</a>` : nothing}
            </span>
            <span class="meta">${formatSeconds(f.seconds)} \u00b7 ${f.format.toUpperCase()} \u00b7 ${Math.round(f.sampleRate / 100) / 10} kHz \u00b7 ${f.channels === 1 ? 'mono' : f.channels === 2 ? 'stereo' : `${f.channels} ch`} \u00b7 ${formatBytes(f.bytes)}</span>
          </li>`)}</ul>`}
      </section>

      <section aria-labelledby="takes-h">
        <h2 id="takes-h">Takes and audio in the set</h2>
        ${!this.takes ? html`<p class="empty">Loading\u2026</p>`
          : !this.takes.liveConnected ? html`<p class="empty">Live is not connected, so the set\u2019s files cannot be listed.</p>`
          : this.takes.takes.length === 0 ? html`<p class="empty">The set plays no audio files yet. Record on an armed audio track and it shows up here.</p>`
          : html`<ul>${repeat(this.takes.takes, (t) => t.id, (t) => html`<li data-take=${t.id}>
              <span class="name">${t.track} \u00b7 ${t.name || t.fileName}${t.recording ? html`<span class="tag">recording</span>` : nothing}</span>
              <span class="actions">${member && t.available ? html`<a class="button" href=${takeDownloadPath(t.id)} download aria-label=${`Download ${t.name || t.fileName} from ${t.track}`}>Download</a>`
                : html`<span class="muted">${t.recording ? 'still recording' : t.available ? '' : 'not on the studio disk'}</span>`}</span>
              <span class="meta">${t.fileName}${t.seconds !== null ? ` \u00b7 ${formatSeconds(t.seconds)}` : ''}${t.arrangement ? ' \u00b7 arrangement' : ''}</span>
            </li>`)}</ul>`}
      </section>
    `;
  }

  private async place(fileId: string, slotId: string): Promise<void> {
    const rev = this.app.set.get('clip_slot', slotId)?.rev;
    await this.app.command('clip_slot.create_audio_clip', slotId, { file: fileId }, rev ? { baseRev: rev } : {});
  }
}
customElements.define('rt-files', RtFiles);
