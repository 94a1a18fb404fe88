import { LitElement, html, css, nothing } from 'lit';
import * as Y from 'yjs';
import type { RoomApp } from '../state/app.ts';
import { Watch } from '../state/observable.ts';
import { colourFor, LOCAL_EDIT, type RemoteCursor } from '../state/notes.ts';
import { base } from '../ui/shared.ts';
import { inkFor } from '../state/contrast.ts';

/** Ink for a caret colour written as #rrggbb (other forms keep the dark ink). */
function inkOnCss(colour: string): string {
  return /^#[0-9a-f]{6}$/i.test(colour) ? inkFor(parseInt(colour.slice(1), 16)) : '#101216';
}

const LOCAL = LOCAL_EDIT;

type Delta = Array<{ insert?: string | object; delete?: number; retain?: number }>;

/** Where index `i` of the old text is in the new one, given a Yjs text delta. */
function transform(i: number, delta: Delta): number {
  let pos = 0; // position in the old text
  let shift = 0;
  for (const op of delta) {
    if (pos > i) break;
    if (op.retain !== undefined) pos += op.retain;
    else if (op.insert !== undefined) {
      const len = typeof op.insert === 'string' ? op.insert.length : 1;
      if (pos < i) shift += len; // an insert exactly at the caret stays after it
    } else if (op.delete !== undefined) {
      if (pos < i) shift -= Math.min(op.delete, i - pos);
      pos += op.delete;
    }
  }
  return Math.max(0, i + shift);
}

/**
 * The room's shared notes (set list, lyrics, lesson notes): a textarea bound to the
 * `notes` Y.Text. Local edits become minimal Yjs inserts/deletes; remote edits keep our
 * caret where it was in the text (relative positions). Other people's carets are drawn
 * over the textarea from awareness, in their colour with their name. Observers read only.
 */
export class RtNotes extends LitElement {
  static override properties = { app: { attribute: false }, full: { type: Boolean, reflect: true } };
  declare app: RoomApp;
  declare full: boolean;
  private lastValue = '';
  private relAnchor: Y.RelativePosition | null = null;
  private relHead: Y.RelativePosition | null = null;
  private composing = false;
  private offs: Array<() => void> = [];
  private positions: Array<{ c: RemoteCursor; top: number; left: number; height: number }> = [];
  private watch: Watch | null = null;

  constructor() {
    super();
    this.full = false;
  }

  static override styles = [base, css`
    :host { display: grid; grid-template-rows: auto 1fr; height: 100%; min-height: 0; }
    :host([full]) { max-width: 980px; margin: 0 auto; width: 100%; padding: 12px 16px 16px; }
    header { display: flex; align-items: center; gap: 8px; padding: 8px; flex-wrap: wrap; }
    h1, h2 { font-size: var(--fs-l); margin: 0; flex: 1; }
    .who { display: flex; gap: 4px; flex-wrap: wrap; }
    .chip { font-size: 11px; padding: 2px 8px; border-radius: 10px; font-weight: 600; }
    .state { font-size: var(--fs-xs); color: var(--text-2); }
    .wrap { position: relative; min-height: 0; margin: 0 8px 8px; }
    :host([full]) .wrap { margin: 0; }
    textarea, .mirror {
      font: 14px/1.55 var(--mono); padding: 12px 14px; border: 1px solid var(--line); border-radius: var(--radius);
      white-space: pre-wrap; overflow-wrap: break-word; word-break: normal; tab-size: 4; letter-spacing: 0;
    }
    textarea { position: absolute; inset: 0; width: 100%; height: 100%; resize: none; background: var(--bg-1); color: var(--text-0); }
    textarea[readonly] { background: var(--bg-0); color: var(--text-1); }
    .mirror { position: absolute; top: 0; left: 0; visibility: hidden; pointer-events: none; height: auto; border-color: transparent; }
    .refused { margin: 0 0 8px; color: var(--err, #ff6b6b); font-size: var(--fs-s); }
    .overlay { position: absolute; inset: 0; pointer-events: none; overflow: hidden; border-radius: var(--radius); }
    .caret { position: absolute; width: 2px; background: var(--c); }
    .caret span { position: absolute; left: 0; bottom: 100%; font: 600 10px/1 var(--font); background: var(--c); color: #101216; padding: 2px 4px; border-radius: 3px 3px 3px 0; white-space: nowrap; }
  `];

  override connectedCallback(): void {
    super.connectedCallback();
    const notes = this.app.notes;
    this.watch ??= new Watch(this, [notes.status, notes.synced, notes.refusal] as never);
    const onText = (e: Y.YTextEvent, tr: Y.Transaction) => {
      if (tr.origin === LOCAL) return;
      this.applyRemote(e.delta);
    };
    notes.text.observe(onText);
    this.offs.push(() => notes.text.unobserve(onText));
    this.offs.push(notes.cursors.subscribe(() => this.measureCursors()));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.offs.forEach((o) => o());
    this.offs = [];
    this.app.notes.clearCursor();
  }

  override firstUpdated(): void {
    this.applyRemote();
    this.measureCursors();
  }

  private get area(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  /**
   * Show a remote change. The textarea held the text as it was before the change, so our
   * selection is carried through the change's delta (inserts before the caret push it
   * right, deletes before it pull it left) — the caret stays on the same character.
   */
  private applyRemote(delta?: Delta): void {
    const ta = this.area;
    if (!ta || this.composing) return;
    const value = this.app.notes.text.toString();
    if (value === ta.value) {
      this.lastValue = value;
      return;
    }
    const focused = this.shadowRoot?.activeElement === ta;
    let start = ta.selectionStart;
    let end = ta.selectionEnd;
    const dir = ta.selectionDirection;
    const consistent = ta.value === this.lastValue;
    if (delta && consistent) {
      start = transform(start, delta);
      end = transform(end, delta);
    }
    ta.value = value;
    this.lastValue = value;
    if (focused) {
      if (!(delta && consistent) && this.relAnchor && this.relHead) {
        const a = Y.createAbsolutePositionFromRelativePosition(this.relAnchor, this.app.notes.doc)?.index ?? 0;
        const h = Y.createAbsolutePositionFromRelativePosition(this.relHead, this.app.notes.doc)?.index ?? a;
        start = Math.min(a, h);
        end = Math.max(a, h);
      }
      ta.setSelectionRange(start, end, dir ?? 'none');
      this.onSelect();
    }
    this.measureCursors();
  }

  private onInput(): void {
    const ta = this.area;
    if (!ta || this.composing || this.app.notes.readOnly) return;
    const next = ta.value;
    // Diff against the shared text itself: it is what the textarea showed before this edit.
    const prev = this.app.notes.text.toString();
    if (next === prev) return;
    let start = 0;
    const max = Math.min(prev.length, next.length);
    while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
    let endPrev = prev.length;
    let endNext = next.length;
    while (endPrev > start && endNext > start && prev.charCodeAt(endPrev - 1) === next.charCodeAt(endNext - 1)) {
      endPrev--;
      endNext--;
    }
    const text = this.app.notes.text;
    this.app.notes.doc.transact(() => {
      if (endPrev > start) text.delete(start, endPrev - start);
      if (endNext > start) text.insert(start, next.slice(start, endNext));
    }, LOCAL);
    this.lastValue = next;
    this.onSelect();
    this.measureCursors();
  }

  private onSelect(): void {
    const ta = this.area;
    if (!ta) return;
    const back = ta.selectionDirection === 'backward';
    const anchor = back ? ta.selectionEnd : ta.selectionStart;
    const head = back ? ta.selectionStart : ta.selectionEnd;
    const text = this.app.notes.text;
    this.relAnchor = Y.createRelativePositionFromTypeIndex(text, anchor);
    this.relHead = Y.createRelativePositionFromTypeIndex(text, head);
    this.app.notes.setCursor(anchor, head);
  }

  /** Where each remote caret sits, measured with a hidden mirror of the textarea. */
  private measureCursors(): void {
    const ta = this.area;
    const mirror = this.renderRoot.querySelector<HTMLDivElement>('.mirror');
    if (!ta || !mirror) return;
    mirror.style.width = `${ta.clientWidth + (ta.offsetWidth - ta.clientWidth)}px`;
    const value = ta.value;
    this.positions = this.app.notes.cursors.value.map((c) => {
      const at = Math.min(c.head, value.length);
      mirror.textContent = value.slice(0, at);
      const mark = document.createElement('span');
      mark.textContent = '\u200b';
      mirror.appendChild(mark);
      return { c, top: mark.offsetTop - ta.scrollTop, left: mark.offsetLeft - ta.scrollLeft, height: mark.offsetHeight || 20 };
    });
    this.requestUpdate();
  }

  override render() {
    const notes = this.app.notes;
    const ro = notes.readOnly;
    const people = notes.people();
    const st = notes.status.value;
    return html`
      <header>
        ${this.full ? html`<h1>Notes</h1>` : html`<h2>Notes</h2>`}
        <div class="who" role="group" aria-label="People in the notes">${people.map((p) => html`<span class="chip" style="background:${p.color || colourFor(p.name)}; color:${inkOnCss(p.color || colourFor(p.name))}">${p.name}</span>`)}</div>
        <span class="state" role="status">${st === 'connected' ? (notes.synced.value ? (ro ? 'Read only' : 'Saved for everyone') : 'Loading\u2026') : 'Reconnecting\u2026'}</span>
      </header>
      ${notes.refusal.value ? html`<p class="refused" role="alert">${notes.refusal.value}</p>` : nothing}
      <div class="wrap">
        <div class="mirror" aria-hidden="true"></div>
        <textarea aria-label="Shared notes: set list, lyrics, lesson notes" spellcheck="false" ?readonly=${ro}
          placeholder=${ro ? 'Nothing written yet.' : 'Set list, lyrics, lesson notes\u2026 everyone here sees what you type.'}
          @input=${this.onInput} @select=${this.onSelect} @keyup=${this.onSelect} @click=${this.onSelect} @focus=${this.onSelect}
          @blur=${() => notes.clearCursor()} @scroll=${() => this.measureCursors()}
          @compositionstart=${() => (this.composing = true)} @compositionend=${() => { this.composing = false; this.onInput(); }}></textarea>
        <div class="overlay" aria-hidden="true">
          ${this.positions.map(({ c, top, left, height }) => top < -height ? nothing : html`<div class="caret" style="--c:${c.user.color}; top:${top}px; left:${left}px; height:${height}px"><span>${c.user.name}</span></div>`)}
        </div>
      </div>
    `;
  }
}
customElements.define('rt-notes', RtNotes);
