import { LitElement, html, css } from 'lit';
import type { RoomApp } from '../state/app.ts';
import { caresAbout, describeActivity } from '../state/activity.ts';
import { base } from '../ui/shared.ts';

const SHOW_MS = 6_000;
const TOUCHED_MS = 10 * 60_000;

/**
 * Who changed what on the controls you care about ("Sam muted Bass"), a few short lines
 * that fade out; a polite live region, so a screen reader says them between other things.
 */
export class RtActivity extends LitElement {
  static override properties = { app: { attribute: false }, lines: { state: true } };
  declare app: RoomApp;
  declare lines: Array<{ id: number; text: string }>;
  private off: (() => void) | null = null;
  private next = 1;

  constructor() {
    super();
    this.lines = [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.off = this.app.link.activity.subscribe((items) => {
      const s = this.app.session;
      const now = Date.now();
      const touched = new Set([...this.app.touched].filter(([, at]) => now - at < TOUCHED_MS).map(([id]) => id));
      const mine = { assigned: s?.assignedTracks ?? [], selected: this.app.selectedTrack.value, touched };
      const fresh = items.filter((i) => caresAbout(this.app.set, i, mine)).map((i) => ({ id: this.next++, text: describeActivity(this.app.set, i) }));
      if (!fresh.length) return;
      this.lines = [...this.lines, ...fresh].slice(-3);
      for (const line of fresh) setTimeout(() => { this.lines = this.lines.filter((l) => l.id !== line.id); }, SHOW_MS);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.off?.();
  }

  static override styles = [base, css`
    :host { position: fixed; left: 12px; bottom: 12px; z-index: 40; display: grid; gap: 4px; pointer-events: none; max-width: min(420px, calc(100vw - 24px)); }
    p { margin: 0; padding: 6px 10px; border-radius: var(--radius); background: var(--bg-3); border: 1px solid var(--line); color: var(--text-0); font-size: var(--fs-s); box-shadow: var(--shadow); animation: in 160ms ease-out; }
    @keyframes in { from { opacity: 0; transform: translateY(6px); } }
  `];

  override render() {
    return html`<div role="log" aria-live="polite" aria-label="Who changed what">${this.lines.map((l) => html`<p data-activity>${l.text}</p>`)}</div>`;
  }
}
customElements.define('rt-activity', RtActivity);
