export type TransferKind = 'uploads' | 'downloads';

/**
 * File transfers moving now, per session, for the load line ("2 uploads running, not
 * yours"). An upload is a series of requests with pauses between them (chunks, a
 * resume after the Wi-Fi came back): it stays counted for `lingerMs` after its last
 * request, so the count does not flicker between chunks.
 */
export class TransferCounter {
  private readonly active = new Map<string, { sessionId: string; kind: TransferKind; requests: number; timer: NodeJS.Timeout | null }>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly lingerMs = 3_000) {}

  /** A request of transfer `key` (an upload id, or one download) started; call the result when it ends. */
  begin(sessionId: string, kind: TransferKind, key: string): () => void {
    const id = `${kind}:${key}`;
    let entry = this.active.get(id);
    if (!entry) {
      entry = { sessionId, kind, requests: 0, timer: null };
      this.active.set(id, entry);
      this.changed();
    }
    if (entry.timer) { clearTimeout(entry.timer); entry.timer = null; }
    entry.requests += 1;
    const current = entry;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      current.requests -= 1;
      if (current.requests > 0) return;
      const linger = kind === 'uploads' ? this.lingerMs : 0;
      const drop = (): void => {
        if (this.active.get(id) === current && current.requests === 0) {
          this.active.delete(id);
          this.changed();
        }
      };
      if (linger === 0) return drop();
      current.timer = setTimeout(drop, linger);
      current.timer.unref();
    };
  }

  /** An upload that finished or was refused stops counting at once. */
  forget(kind: TransferKind, key: string): void {
    const entry = this.active.get(`${kind}:${key}`);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    this.active.delete(`${kind}:${key}`);
    this.changed();
  }

  bySession(): Map<string, { uploads: number; downloads: number }> {
    const out = new Map<string, { uploads: number; downloads: number }>();
    for (const e of this.active.values()) {
      const t = out.get(e.sessionId) ?? { uploads: 0, downloads: 0 };
      t[e.kind] += 1;
      out.set(e.sessionId, t);
    }
    return out;
  }

  count(kind: TransferKind): number {
    let n = 0;
    for (const e of this.active.values()) if (e.kind === kind) n += 1;
    return n;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    for (const e of this.active.values()) if (e.timer) clearTimeout(e.timer);
    this.active.clear();
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
