import { LitElement, html, css } from 'lit';
import type { RoomApp } from '../state/app.ts';
import { EntityWatch } from '../state/watch-entities.ts';
import { ControlBinding } from '../state/gesture.ts';
import { RoomFollower } from './cells.ts';
import type { ValueEvent } from '../ui/drag-controller.ts';
import { base } from '../ui/shared.ts';

/** Live's crossfader (song.crossfader, -1 = A … 1 = B) as a horizontal fader. */
export class RtCrossfader extends LitElement {
  static override properties = { app: { attribute: false } };
  declare app: RoomApp;
  private binding: ControlBinding;

  constructor() {
    super();
    new EntityWatch(this, () => this.app?.set, () => ['song']);
    new RoomFollower(this);
    this.binding = new ControlBinding(this, () => this.app, {
      action: 'song.set_crossfader', target: () => null,
      args: (v) => ({ value: Math.round((v * 2 - 1) * 10000) / 10000 }),
    });
  }


  static override styles = [base, css`
    :host { display: grid; grid-template-columns: auto 1fr auto; align-items: center; gap: 6px; font: 600 12px var(--font); color: var(--text-1); }
    rt-fader { height: var(--hit, 28px); }
  `];

  override render() {
    const song = this.app.set.get('song');
    const can = this.app.canControl();
    const v = this.binding.shown(((song?.crossfader ?? 0) + 1) / 2, song?.rev);
    const pct = Math.round(Math.abs(v * 2 - 1) * 100);
    const text = pct === 0 ? 'centre' : `${pct}% to ${v < 0.5 ? 'A' : 'B'}`;
    return html`<span aria-hidden="true">A</span>
      <rt-fader horizontal data-crossfader .value=${v} label="Crossfader" value-text=${text} ?disabled=${!can} title=${can ? '' : this.app.whyNot()}
        ?held=${this.binding.heldByOther()} ?snapping=${this.binding.snapping} .defaultValue=${0.5}
        @rt-grab=${() => this.binding.grab()} @rt-move=${(e: ValueEvent) => this.binding.move(e.detail.value)}
        @rt-release=${() => this.binding.release()} @rt-set=${(e: ValueEvent) => void this.binding.set(e.detail.value)}></rt-fader>
      <span aria-hidden="true">B</span>`;
  }
}
customElements.define('rt-crossfader', RtCrossfader);
