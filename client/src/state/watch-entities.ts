import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { SetStore } from './set-store.ts';

/**
 * Subscribe a component to exactly the set-doc keys it renders (its track, its clip slot
 * and that slot's clip, …). The key list is recomputed before each update, so a slot that
 * gets a clip starts following that clip. One flush → at most one update per component.
 */
export class EntityWatch implements ReactiveController {
  private keys: string[] = [];
  private offs: Array<() => void> = [];
  private connected = false;

  constructor(private host: ReactiveControllerHost, private store: () => SetStore | undefined, private compute: () => string[]) {
    host.addController(this);
  }

  hostConnected(): void {
    this.connected = true;
    this.resubscribe(true);
  }

  hostDisconnected(): void {
    this.connected = false;
    for (const off of this.offs) off();
    this.offs = [];
    this.keys = [];
  }

  hostUpdate(): void {
    this.resubscribe(false);
  }

  private resubscribe(force: boolean): void {
    const store = this.store();
    if (!store || !this.connected) return;
    const next = this.compute();
    if (!force && next.length === this.keys.length && next.every((k, i) => k === this.keys[i])) return;
    for (const off of this.offs) off();
    this.keys = next;
    this.offs = next.map((k) => store.subscribe(k, () => this.host.requestUpdate()));
  }
}
