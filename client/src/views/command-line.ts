import { LitElement, html, css, nothing } from 'lit';
import type { IntentAnswer, IntentCommand } from '../../../protocol/browser.ts';
import type { RoomApp } from '../state/app.ts';
import { describeError } from '../state/messages.ts';
import { notify } from '../state/toasts.ts';
import { deepActiveElement } from '../state/shortcuts.ts';
import { WordsHistory } from '../state/words-history.ts';
import { base } from '../ui/shared.ts';

interface Result { say: string; ok: boolean; message: string }

/**
 * Words instead of faders, in every view: Ctrl+K (or "/" when not typing; both are in the
 * shortcuts table, state/shortcuts.ts) opens it,
 * Enter shows in words what will happen, Enter again runs it through the ordinary
 * `command` event (so every check a fader meets applies), Esc cancels. ↑ and ↓ walk
 * this person's history. The preview and each result are announced to screen readers.
 */
export class RtCommandLine extends LitElement {
  static override properties = {
    app: { attribute: false },
    open: { type: Boolean, reflect: true },
    text: { state: true },
    preview: { state: true },
    busy: { state: true },
    results: { state: true },
  };
  declare app: RoomApp;
  declare open: boolean;
  declare text: string;
  /** The answer, and the exact words it answers: Enter runs it only while the words are the same. */
  declare preview: { text: string; answer: IntentAnswer } | null;
  declare busy: 'parsing' | 'asking' | 'running' | null;
  declare results: Result[] | null;
  private history: WordsHistory | null = null;
  private walk: number | null = null;
  private returnFocus: HTMLElement | null = null;

  constructor() {
    super();
    this.open = false;
    this.text = '';
    this.preview = null;
    this.busy = null;
    this.results = null;
  }

  static override styles = [base, css`
    /* Always a block (an empty row of the shell's grid while closed), so the view keeps its row. */
    :host { display: block; }
    :host([open]) { background: var(--bg-1); border-bottom: 1px solid var(--line); padding: 8px 12px; }
    form { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
    label { font-weight: 600; font-size: var(--fs-m); white-space: nowrap; }
    input { flex: 1 1 280px; min-width: 0; font-size: var(--fs-l); padding: 7px 10px; }
    .hint { color: var(--text-2); font-size: var(--fs-s); flex-basis: 100%; }
    /* On a short screen (a phone on its side) the hint is only read out: the view needs the height. */
    @media (max-height: 500px) { .hint { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; margin: -1px; padding: 0; } }
    .preview { margin-top: 8px; font-size: var(--fs-m); }
    .preview:empty { display: none; }
    .say { margin: 0; }
    .say.error { color: #ffc2c7; }
    .say b { color: var(--warn); }
    ol { margin: 6px 0 0; padding-left: 20px; color: var(--text-1); }
    li.ok::marker { color: var(--play); }
    li.fail { color: #ffc2c7; }
    .extra { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 6px; }
    .extra button { font-size: var(--fs-s); }
    .why { color: var(--text-2); font-size: var(--fs-s); margin: 6px 0 0; }
  `];

  override updated(changed: Map<string, unknown>): void {
    // The shell makes room for it (a short screen scrolls rather than squeezing the view).
    if (changed.has('open')) this.dispatchEvent(new CustomEvent('rt-words-open', { detail: this.open, bubbles: true, composed: true }));
  }

  /** Opens the command line and puts the cursor in it. */
  show(): void {
    if (!this.open) {
      const before = deepActiveElement();
      this.returnFocus = before instanceof HTMLElement ? before : null;
    }
    this.open = true;
    void this.updateComplete.then(() => this.input()?.focus());
  }

  hide(): void {
    this.open = false;
    this.preview = null;
    this.results = null;
    this.walk = null;
    const back = this.returnFocus;
    this.returnFocus = null;
    if (back?.isConnected) back.focus();
  }

  private input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('input');
  }

  private words(): WordsHistory {
    const s = this.app.session;
    this.history ??= new WordsHistory(s?.room ?? 'studio', s?.name ?? '');
    return this.history;
  }

  private onInput(event: Event): void {
    this.text = (event.target as HTMLInputElement).value;
    this.walk = null;
    if (this.preview && this.preview.text !== this.text) this.preview = null;
    this.results = null;
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter') {
      event.preventDefault();
      void this.enter();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      if (this.preview || this.results) {
        this.preview = null;
        this.results = null;
      } else this.hide();
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      const all = this.words().all;
      if (all.length === 0) return;
      event.preventDefault();
      const at = this.walk ?? all.length;
      const next = event.key === 'ArrowUp' ? Math.max(0, at - 1) : at + 1;
      this.walk = next >= all.length ? null : next;
      this.text = this.walk === null ? '' : all[this.walk]!;
      this.preview = null;
      this.results = null;
    }
  }

  /** Enter: preview the words, or run the preview of exactly these words. */
  private async enter(): Promise<void> {
    if (this.busy) return;
    const ready = this.readyToRun();
    if (ready) return this.run(ready);
    if (this.preview?.text === this.text) return;
    await this.ask(false);
  }

  private readyToRun(): IntentCommand[] | null {
    const p = this.preview;
    if (!p || p.text !== this.text || !p.answer.ok || p.answer.commands.length === 0) return null;
    return this.app.canControl() ? p.answer.commands : null;
  }

  private async ask(model: boolean): Promise<void> {
    const text = this.text.trim();
    if (!text) return;
    this.busy = model ? 'asking' : 'parsing';
    this.results = null;
    try {
      const answer = await this.app.link.intent(text, model);
      this.preview = { text: this.text, answer };
      if (answer.ok && answer.commands.length === 0) this.words().add(text);
    } finally {
      this.busy = null;
    }
  }

  private async run(commands: IntentCommand[]): Promise<void> {
    this.busy = 'running';
    const results: Result[] = [];
    try {
      // In order, one answer each: "stop and set the tempo to 100" stops first.
      for (const c of commands) {
        const answer = await this.app.command(c.action, c.target, c.args, { ...(c.baseRev ? { baseRev: c.baseRev } : {}), quiet: true });
        if (answer.ok) results.push({ say: c.say, ok: true, message: '' });
        else {
          this.app.report(answer.error);
          const stale = answer.error.code === 'CONFLICT' && c.baseRev ? ' It moved since the preview: press Enter to preview again.' : '';
          results.push({ say: c.say, ok: false, message: `${describeError(answer.error)}${stale}` });
        }
      }
    } finally {
      this.busy = null;
    }
    this.words().add(this.text);
    const failed = results.filter((r) => !r.ok).length;
    if (failed === 0) notify('ok', `Done: ${commands.map((c) => c.say).join('; ')}.`);
    this.results = results;
    this.preview = null;
    if (failed === 0) this.text = '';
  }

  private useSuggestion(text: string): void {
    this.text = text;
    this.preview = null;
    this.results = null;
    this.input()?.focus();
    void this.ask(false);
  }

  private renderPreview() {
    if (this.busy === 'parsing') return html`<p class="say">Reading that\u2026</p>`;
    if (this.busy === 'asking') return html`<p class="say">Asking the room\u2019s model\u2026</p>`;
    if (this.busy === 'running') return html`<p class="say">Running\u2026</p>`;
    if (this.results) {
      const failed = this.results.filter((r) => !r.ok).length;
      return html`<p class="say">${failed === 0 ? 'Done.' : `${this.results.length - failed} of ${this.results.length} done.`}</p>
        <ol aria-label="Results">${this.results.map((r) => html`<li class=${r.ok ? 'ok' : 'fail'}>${r.ok ? '\u2713' : '\u2717'} ${r.say}${r.ok ? '' : ` \u2014 ${r.message}`}</li>`)}</ol>`;
    }
    const p = this.preview;
    if (!p) return nothing;
    const a = p.answer;
    if (!a.ok) return html`<p class="say error">${a.error.message}</p>`;
    if (a.commands.length === 0) return html`<p class="say">${a.say}</p>`;
    const can = this.app.canControl();
    return html`<p class="say">${a.source === 'model' ? html`<b>Suggested by the room\u2019s model \u2014 check it before you run it.</b> ` : nothing}${a.say}</p>
      <p class="why">${can ? 'Press Enter again to run it, Esc to cancel.' : `Nothing will run: ${this.app.whyNot()}`}</p>`;
  }

  private renderExtras() {
    const p = this.preview;
    if (!p || this.busy) return nothing;
    const a = p.answer;
    if (a.ok) {
      if (a.commands.length < 2) return nothing;
      return html`<ol aria-label="Commands in this preview">${a.commands.map((c) => html`<li>${c.say}</li>`)}</ol>`;
    }
    const suggestions = a.error.suggestions ?? [];
    if (suggestions.length === 0 && !a.canAskModel) return nothing;
    return html`<div class="extra" role="group" aria-label="Things to say instead">
      ${suggestions.map((s) => html`<button type="button" @click=${() => this.useSuggestion(s)}>${s}</button>`)}
      ${a.canAskModel ? html`<button type="button" class="primary" @click=${() => void this.ask(true)}>Ask the room\u2019s model</button>` : nothing}
    </div>`;
  }

  override render() {
    if (!this.open) return nothing;
    const ready = this.readyToRun();
    return html`
      <form aria-label="Command line" @submit=${(e: Event) => { e.preventDefault(); void this.enter(); }}>
        <label for="words">Say it</label>
        <input id="words" type="text" autocomplete="off" spellcheck="false" maxlength="300"
          aria-describedby="words-hint words-preview" placeholder="bring the vocals up a touch"
          .value=${this.text} @input=${this.onInput} @keydown=${this.onKeydown} />
        <button type="submit" class="primary" ?disabled=${!!this.busy || !this.text.trim()}>${ready ? 'Run' : 'Preview'}</button>
        <button type="button" @click=${() => this.hide()}>Close</button>
        <span id="words-hint" class="hint">Enter shows what will happen; Enter again does it; Esc cancels; \u2191 and \u2193 bring back what you said before.</span>
      </form>
      <div id="words-preview" class="preview" role="status" aria-live="polite" aria-atomic="true">${this.renderPreview()}</div>
      ${this.renderExtras()}
    `;
  }
}
customElements.define('rt-command-line', RtCommandLine);
