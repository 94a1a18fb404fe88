import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { CLOSE_TOO_MANY_CONNECTIONS, DOC_NAMES, ENTITY_KINDS, META, ROOT_OF, SINGLETON_KINDS, META_ROOT, metaOf, entityOf, reconnectsAfter, type Entity, type EntityKind, type EntityLookup, type EntityRef, type MetaProps } from '../../../protocol/browser.ts';
import { Observable } from './observable.ts';

export type LinkStatus = 'connecting' | 'connected' | 'disconnected';

/** What the store needs of a y-websocket provider (tests hand in a fake). */
export interface SetProvider {
  on(event: 'status', fn: (e: { status: string }) => void): void;
  on(event: 'sync', fn: (isSynced: boolean) => void): void;
  on(event: 'connection-close', fn: (event: { code: number } | null) => void): void;
  destroy(): void;
}
export type ProviderFactory = (serverUrl: string, doc: Y.Doc) => SetProvider;

const websocketProvider: ProviderFactory = (serverUrl, doc) => {
  const provider = new WebsocketProvider(serverUrl, DOC_NAMES.set, doc, { maxBackoffTime: 4000, shouldReconnect: (event) => reconnectsAfter(event.code) });
  // Only the server writes the set doc, so this page has no update of its own to send. The
  // provider's listener made Yjs encode every update it applied, only to drop it: a quarter
  // of the task that applies the first sync (the longest task of the band view's load).
  doc.off('update', provider._updateHandler);
  return provider;
};

const SINGLETON_ROOTS = new Set<string>([...SINGLETON_KINDS].map((k) => ROOT_OF[k]).concat(META_ROOT));

/**
 * The read-only mirror of Live: the server's `set` Y.Doc over y-websocket.
 *
 * Rendering contract: a Yjs update (one Live tick, one server transaction) marks the
 * entities it touched dirty; one requestAnimationFrame later each dirty key's
 * subscribers run once. Components subscribe to their own entity key, so a fader move
 * re-renders one strip, never the mixer.
 */
export class SetStore {
  private _doc = new Y.Doc();
  /** The server-start id (`meta.instance`) this doc was first synced with (docs/protocol.md, M5). */
  private instance: string | null = null;
  private serverUrl = '';
  /** How many times the doc was dropped and recreated because the server restarted. */
  resets = 0;
  readonly status = new Observable<LinkStatus>('connecting');
  readonly synced = new Observable<boolean>(false);
  /** Incremented per flush; exposed for tests and the performance note in docs/client.md. */
  flushes = 0;
  private provider: SetProvider | null = null;
  /** A fresh doc syncing in the background after an instance change; swapped in once synced. */
  private pending: { doc: Y.Doc; provider: SetProvider } | null = null;
  private subs = new Map<string, Set<() => void>>();
  private cache = new Map<string, unknown>();
  private dirty = new Set<string>();
  private scheduled = false;

  constructor(private readonly createProvider: ProviderFactory = websocketProvider) {
    this.observe(this._doc);
  }

  get doc(): Y.Doc {
    return this._doc;
  }

  private observe(doc: Y.Doc): void {
    const roots = new Set([...Object.values(ROOT_OF), META_ROOT]);
    for (const root of roots) {
      doc.getMap(root).observeDeep((events) => {
        if (doc === this._doc) this.onEvents(root, events);
      });
    }
  }

  connect(serverUrl: string): void {
    if (this.provider) return;
    this.serverUrl = serverUrl;
    this.provider = this.follow(this.createProvider(serverUrl, this._doc));
  }

  /** Status and sync of a provider count only while it is the store's current one. */
  private follow(provider: SetProvider): SetProvider {
    provider.on('status', (e: { status: string }) => {
      if (provider !== this.provider) return;
      this.status.set(e.status === 'connected' ? 'connected' : e.status === 'connecting' ? 'connecting' : 'disconnected');
    });
    provider.on('sync', (isSynced: boolean) => {
      if (provider !== this.provider) return;
      this.synced.set(isSynced);
      if (isSynced) this.checkInstance(this.meta().instance ?? null);
    });
    provider.on('connection-close', (event: { code: number } | null) => {
      if (provider !== this.provider) return;
      this.status.set('disconnected');
      // This page is the oldest of too many its session has open (H14): reconnecting
      // would only close another tab's in turn. It stays closed; the room socket says why.
      if (event?.code === CLOSE_TOO_MANY_CONNECTIONS) provider.destroy();
    });
    return provider;
  }

  disconnect(): void {
    this.provider?.destroy();
    this.provider = null;
    this.pending?.provider.destroy();
    this.pending?.doc.destroy();
    this.pending = null;
  }

  /**
   * M5: the server restarted if the doc now names another server start than the one it
   * was first synced with (from a sync, or from /room's welcome). The old content was
   * written by the previous server and would merge into stale entities, so the doc is
   * dropped and a fresh one synced; every view re-reads.
   */
  checkInstance(instance: string | null): void {
    if (!instance) return;
    if (this.instance === null) {
      this.instance = instance;
      return;
    }
    if (instance === this.instance) return;
    this.instance = null;
    this.reset();
  }

  /**
   * A fresh doc is synced beside the current one, which views keep reading until the
   * fresh one is complete: a compacted doc (M8) arrives every few minutes in a busy
   * room, and swapping in an empty doc would blank every view until the sync finished.
   * Without a connection (tests) the swap is at once.
   */
  private reset(): void {
    this.resets++;
    const fresh = new Y.Doc();
    this.observe(fresh);
    if (!this.serverUrl) {
      this.swapTo(fresh, null);
      this.synced.set(false);
      return;
    }
    this.pending?.provider.destroy();
    this.pending?.doc.destroy();
    const provider = this.follow(this.createProvider(this.serverUrl, fresh));
    const pending = { doc: fresh, provider };
    this.pending = pending;
    provider.on('sync', (isSynced: boolean) => {
      if (!isSynced || this.pending !== pending) return;
      this.pending = null;
      this.swapTo(fresh, provider);
      this.synced.set(true);
      this.checkInstance(this.meta().instance ?? null);
    });
  }

  private swapTo(doc: Y.Doc, provider: SetProvider | null): void {
    const old = this._doc;
    const oldProvider = this.provider;
    this._doc = doc;
    this.provider = provider;
    oldProvider?.destroy();
    old.destroy();
    this.cache.clear();
    for (const key of this.subs.keys()) this.dirty.add(key);
    this.schedule();
  }

  private onEvents(root: string, events: ReadonlyArray<Y.YEvent<Y.AbstractType<unknown>>>): void {
    if (SINGLETON_ROOTS.has(root)) {
      this.mark(root);
      if (root === META_ROOT && this.synced.value) {
        const instance = this.doc.getMap(META_ROOT).get(META.instance);
        if (typeof instance === 'string') queueMicrotask(() => this.checkInstance(instance));
      }
    } else {
      for (const ev of events) {
        if (ev.path.length === 0) {
          if (ev instanceof Y.YMapEvent) for (const key of ev.keysChanged) this.mark(`${root}:${key}`);
          this.mark(`#${root}`);
        } else {
          this.mark(`${root}:${String(ev.path[0])}`);
        }
      }
    }
    this.schedule();
  }

  private mark(key: string): void {
    this.dirty.add(key);
    this.cache.delete(key);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const run = (): void => this.flush();
    // rAF pauses in hidden tabs; a timer keeps a background tab's state current.
    if (typeof document !== 'undefined' && document.hidden) setTimeout(run, 100);
    else requestAnimationFrame(run);
  }

  private flush(): void {
    this.scheduled = false;
    if (this.dirty.size === 0) return;
    const keys = [...this.dirty];
    this.dirty.clear();
    this.flushes++;
    const ran = new Set<() => void>();
    for (const key of keys) {
      const set = this.subs.get(key);
      if (!set) continue;
      for (const fn of set) {
        if (ran.has(fn)) continue;
        ran.add(fn);
        fn();
      }
    }
    const any = this.subs.get('*');
    if (any) for (const fn of any) if (!ran.has(fn)) fn();
  }

  /** Run `fn` after every flush that touched `key` ('*' = every flush). */
  subscribe(key: string, fn: () => void): () => void {
    let set = this.subs.get(key);
    if (!set) this.subs.set(key, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  private read(key: string, compute: () => unknown): unknown {
    if (this.cache.has(key)) return this.cache.get(key);
    const v = compute();
    this.cache.set(key, v);
    return v;
  }

  /** An entity, read from the doc with protocol's entity readers (cached until its key is dirty). */
  get<K extends EntityKind>(kind: K, id?: string | null): Entity<K> | undefined {
    const root = ROOT_OF[kind];
    if (SINGLETON_KINDS.has(kind)) {
      const content = this.read(root, () => {
        const map = this.doc.getMap(root);
        return map.size === 0 ? undefined : plain(map);
      });
      return entityOf(kind, content, root) ?? undefined;
    }
    if (!id) return undefined;
    const content = this.read(`${root}:${id}`, () => plain(this.doc.getMap(root).get(id)));
    return entityOf(kind, content, id) ?? undefined;
  }

  meta(): Partial<MetaProps> {
    return metaOf(this.read(META_ROOT, () => plain(this.doc.getMap(META_ROOT))));
  }

  /** Ids of a collection in Live's order (from `order`, or the map's own keys as a fallback). */
  ids(kind: 'track' | 'return' | 'scene' | 'cue_point'): string[] {
    const order = this.get('order');
    const field = kind === 'track' ? 'tracks' : kind === 'return' ? 'returns' : kind === 'scene' ? 'scenes' : 'cuePoints';
    const list = order?.[field];
    const map = this.doc.getMap(ROOT_OF[kind]);
    if (Array.isArray(list)) return list.filter((id) => map.has(id));
    return [...map.keys()].sort(naturalCompare);
  }

  /**
   * Any entity by id, whatever its kind (what protocol/control.ts's resolver reads):
   * its rev and its props, straight from the doc.
   */
  readonly lookup: EntityLookup = (id) => {
    for (const kind of ENTITY_KINDS) {
      const root = this.doc.getMap<unknown>(ROOT_OF[kind]);
      const map = SINGLETON_KINDS.has(kind) ? (root.get('id') === id ? root : undefined) : root.get(id);
      if (map instanceof Y.Map) return entityRef(map);
    }
    return undefined;
  };

  /** The clip slot of a track at a scene index. */
  slotAt(trackId: string, sceneIndex: number): string | undefined {
    return this.get('track', trackId)?.clipSlots?.[sceneIndex];
  }
}

function entityRef(map: Y.Map<unknown>): EntityRef {
  const rev = map.get('rev');
  return { rev: typeof rev === 'string' ? rev : null, get: (prop) => plain(map.get(prop)) };
}

function plain(v: unknown): unknown {
  if (v instanceof Y.AbstractType) return v.toJSON();
  if (v && typeof v === 'object') return structuredClone(v);
  return v;
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, undefined, { numeric: true });
}
