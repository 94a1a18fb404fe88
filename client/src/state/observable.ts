import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** A value that notifies subscribers when it changes. Small on purpose: no framework. */
export class Observable<T> {
  private listeners = new Set<(value: T) => void>();
  constructor(private current: T) {}

  get value(): T {
    return this.current;
  }

  set(next: T): void {
    if (Object.is(next, this.current)) return;
    this.current = next;
    for (const fn of [...this.listeners]) fn(next);
  }

  update(fn: (value: T) => T): void {
    this.set(fn(this.current));
  }

  subscribe(fn: (value: T) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** Re-render a Lit host whenever one of the observables changes. */
export class Watch implements ReactiveController {
  private offs: Array<() => void> = [];
  constructor(private host: ReactiveControllerHost, private sources: Array<Observable<unknown>>) {
    host.addController(this);
  }
  hostConnected(): void {
    this.offs = this.sources.map((s) => s.subscribe(() => this.host.requestUpdate()));
  }
  hostDisconnected(): void {
    for (const off of this.offs) off();
    this.offs = [];
  }
}
