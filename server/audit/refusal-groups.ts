import type { AuditEntry } from '../../protocol/index.ts';

export interface RefusalGroupsOptions {
  /** Where entries go: the first of a group at once, the count of the rest when its window closes. */
  write(entry: AuditEntry): void;
  windowMs?: number;
  /** Groups remembered at once; past it, sources of one kind share a group. */
  maxGroups?: number;
  now?: () => number;
}

interface Group { first: AuditEntry; since: number; more: number; last: AuditEntry | null }

/**
 * Folds a flood of one refusal from one source into two entries a minute: the first,
 * written at once, and `N more like this` when the window closes. A guesser or a
 * misconfigured device stays visible, with its count, without filling the log.
 */
export class RefusalGroups {
  readonly #groups = new Map<string, Group>();
  readonly #o: Required<Omit<RefusalGroupsOptions, 'write'>> & Pick<RefusalGroupsOptions, 'write'>;
  readonly #timer: NodeJS.Timeout;

  constructor(options: RefusalGroupsOptions) {
    this.#o = { windowMs: 60_000, maxGroups: 1_000, now: Date.now, ...options };
    this.#timer = setInterval(() => this.closeWindows(), Math.max(1_000, Math.floor(this.#o.windowMs / 6)));
    this.#timer.unref();
  }

  add(entry: AuditEntry): void {
    const now = this.#o.now();
    let key = keyOf(entry, entry.ip ?? '');
    if (!this.#groups.has(key) && this.#groups.size >= this.#o.maxGroups) key = keyOf(entry, '*');
    const group = this.#groups.get(key);
    if (group && now - group.since < this.#o.windowMs) {
      group.more++;
      group.last = entry;
      return;
    }
    if (group) this.#close(key, group);
    this.#groups.set(key, { first: entry, since: now, more: 0, last: null });
    this.#o.write(entry);
  }

  /** Writes the count of every window that has closed (all of them when `all`). */
  closeWindows(all = false): void {
    const now = this.#o.now();
    for (const [key, group] of this.#groups) {
      if (all || now - group.since >= this.#o.windowMs) this.#close(key, group);
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.closeWindows(true);
  }

  #close(key: string, group: Group): void {
    this.#groups.delete(key);
    if (group.more === 0 || !group.last) return;
    const seconds = Math.max(1, Math.round((this.#o.now() - group.since) / 1000));
    const { at: _at, ...last } = group.last;
    this.#o.write({
      ...last,
      at: this.#o.now(),
      ...(key.includes('|*|') ? { ip: '*' } : {}),
      detail: `${group.more} more like this in ${seconds} s; the last: ${group.last.detail ?? '(no detail)'}`,
    });
  }
}

function keyOf(entry: AuditEntry, ip: string): string {
  return `${entry.kind}|${ip}|${entry.code ?? ''}|${entry.sessionId ?? ''}`;
}
