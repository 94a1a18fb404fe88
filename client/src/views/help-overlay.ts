import { LitElement, html, css } from 'lit';
import { SHORTCUTS } from '../state/shortcuts.ts';
import { base } from '../ui/shared.ts';

/** The keyboard shortcuts, listed from the table the keys run (state/shortcuts.ts). */
export class RtHelp extends LitElement {
  static override properties = { open: { type: Boolean, reflect: true } };
  declare open: boolean;

  constructor() {
    super();
    this.open = false;
  }

  static override styles = [base, css`
    dialog { background: var(--bg-1); color: var(--text-0); border: 1px solid var(--line); border-radius: 10px; padding: 16px 18px; width: min(620px, calc(100vw - 16px)); max-height: calc(100vh - 16px); box-shadow: var(--shadow); }
    dialog::backdrop { background: rgb(0 0 0 / 55%); }
    header { display: flex; align-items: center; gap: 8px; margin-bottom: 10px; }
    h2 { margin: 0; font-size: var(--fs-l); flex: 1; }
    table { width: 100%; border-collapse: collapse; font-size: var(--fs-m); }
    th { text-align: left; font-weight: 600; color: var(--text-1); padding: 6px 8px; border-bottom: 1px solid var(--line); }
    td { padding: 6px 8px; border-bottom: 1px solid var(--line-soft); vertical-align: top; }
    kbd { font: 12px var(--mono); background: var(--bg-3); border: 1px solid var(--line); border-radius: 4px; padding: 1px 6px; white-space: nowrap; color: var(--text-0); }
    p { color: var(--text-1); font-size: var(--fs-s); margin: 12px 0 0; }
  `];

  override updated(changed: Map<string, unknown>): void {
    if (!changed.has('open')) return;
    const dialog = this.renderRoot.querySelector('dialog');
    if (this.open && !dialog?.open) dialog?.showModal();
    if (!this.open && dialog?.open) dialog.close();
  }

  private closed(): void {
    this.open = false;
    this.dispatchEvent(new CustomEvent('rt-close', { bubbles: true, composed: true }));
  }

  override render() {
    return html`<dialog aria-labelledby="help-title" @close=${this.closed}>
      <header><h2 id="help-title">Keyboard shortcuts</h2><button @click=${() => this.renderRoot.querySelector('dialog')?.close()}>Close</button></header>
      <table>
        <thead><tr><th scope="col">Keys</th><th scope="col">What they do</th></tr></thead>
        <tbody>${SHORTCUTS.map((s) => html`<tr><td><kbd>${s.keys}</kbd></td><td>${s.what}</td></tr>`)}
          <tr><td><kbd>Shift + F10</kbd> on a clip</td><td>Rename or recolour the clip (or right-click it)</td></tr>
          <tr><td><kbd>↑ ↓ ← →</kbd> on a fader or knob</td><td>Move it a step (Shift: a fine step); Page Up/Down a big step; Home/End to the ends; Delete to its default</td></tr>
          <tr><td><kbd>Wheel</kbd> over a fader or knob</td><td>Move it (Shift or Alt: finely)</td></tr>
          <tr><td><kbd>Enter</kbd> on the tempo</td><td>Type a tempo</td></tr>
        </tbody>
      </table>
      <p>Single keys do nothing while you type in a field or the notes. Space presses a button you reached with Tab; anywhere else it plays and stops.</p>
    </dialog>`;
  }
}
customElements.define('rt-help', RtHelp);
