import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { META, ROOT_OF, SINGLETON_KINDS, META_ROOT, metaOf, type EntityKind, type EntityChange, type EntityLookup, type MetaProps } from '../../protocol/index.ts';
import { copyRoots } from './copy-roots.ts';

/** Origin tag on mirror transactions so observers can tell Live's writes apart. */
export const LIVE_ORIGIN = Symbol('live');

interface Indexed { kind: EntityKind; map: Y.Map<unknown> }

/** Told when rebuild() swapped the doc; `previous` is destroyed once every listener returned. */
export type DocReplaced = (next: Y.Doc, previous: Y.Doc) => void;

export interface EntityView {
  kind: EntityKind;
  rev: string | null;
  get(prop: string): unknown;
}

/**
 * The room's `set` Y.Doc, written only here. One Live tick arrives as one batch and
 * becomes one transaction, so every browser receives one update per tick. A snapshot
 * is reconciled by difference: unchanged keys are not rewritten, so nothing flickers.
 */
export class SetMirror {
  private docValue: Y.Doc;
  private instanceValue: string;
  private readonly index = new Map<string, Indexed>();
  private epochValue: string | null = null;
  private readonly replacedListeners = new Set<DocReplaced>();

  /**
   * `instance` names this doc and is written to `meta.instance`: one per server start
   * and one per rebuild (M8). A browser that kept a `set` doc across a server restart
   * sees it change and must drop and recreate its doc (docs/protocol.md, M5): the old
   * content was written by other Yjs clients and would merge into stale entities.
   */
  constructor(instance: string = randomUUID()) {
    this.instanceValue = instance;
    this.docValue = newSetDoc(instance);
  }

  /** How many snapshots were applied; tests wait on it. */
  snapshots = 0;
  /** How many times rebuild() replaced the doc (M8); tests and the bench read it. */
  compactions = 0;

  get doc(): Y.Doc {
    return this.docValue;
  }

  get instance(): string {
    return this.instanceValue;
  }

  onReplaced(listener: DocReplaced): () => void {
    this.replacedListeners.add(listener);
    return () => this.replacedListeners.delete(listener);
  }

  /**
   * Replaces the doc with a fresh one holding only the current content (M8): every
   * overwrite of a Y.Map key leaves a tombstone, so under fader traffic the doc grows
   * with the number of writes, not with the set. The copy gets a higher client id, so
   * a client that merges it into the old doc ends with exactly the current values, and
   * a new `meta.instance`, so a browser following M5 drops its grown doc instead.
   */
  rebuild(instance: string = randomUUID()): void {
    const previous = this.docValue;
    const next = newSetDoc(instance, (doc) => copyRoots(previous, doc, (root, key) => root !== META_ROOT || key !== META.instance));
    for (const [id, hit] of [...this.index]) {
      const map = SINGLETON_KINDS.has(hit.kind) ? next.getMap<unknown>(ROOT_OF[hit.kind]) : next.getMap<unknown>(ROOT_OF[hit.kind]).get(id);
      if (map instanceof Y.Map) this.index.set(id, { kind: hit.kind, map });
      else this.index.delete(id);
    }
    this.docValue = next;
    this.instanceValue = instance;
    this.compactions++;
    for (const listener of [...this.replacedListeners]) listener(next, previous);
    previous.destroy();
  }

  get epoch(): string | null {
    return this.epochValue;
  }

  entity(id: string): EntityView | undefined {
    const hit = this.index.get(id);
    return hit ? new MapView(hit.kind, hit.map) : undefined;
  }

  /** entity() as protocol/control.ts's resolver reads it. */
  readonly lookup: EntityLookup = (id) => this.entity(id);

  /** The track an entity belongs to (itself for tracks), for track assignments. */
  ownerTrack(id: string): string | null {
    const hit = this.index.get(id);
    if (!hit) return null;
    switch (hit.kind) {
      case 'track': case 'return': case 'master': return id;
      case 'clip_slot': case 'clip': case 'device': {
        const track = hit.map.get('trackId');
        return typeof track === 'string' ? track : null;
      }
      case 'parameter': {
        const device = hit.map.get('deviceId');
        return typeof device === 'string' ? this.ownerTrack(device) : null;
      }
      default: return null;
    }
  }

  applyChanges(epoch: string, changes: readonly EntityChange[]): void {
    this.doc.transact(() => {
      if (epoch !== this.epochValue) this.setEpoch(epoch);
      for (const change of changes) this.applyChange(change);
    }, LIVE_ORIGIN);
  }

  applySnapshot(epoch: string, entities: readonly EntityChange[]): void {
    this.snapshots++;
    this.doc.transact(() => {
      this.setEpoch(epoch);
      const present = new Set<string>();
      for (const entity of entities) {
        present.add(entity.id);
        this.applyChange(entity, true);
      }
      for (const [id, hit] of [...this.index]) {
        if (!present.has(id) && !this.stillListed(id, hit, present)) this.remove(id, hit);
      }
    }, LIVE_ORIGIN);
  }

  /**
   * A snapshot too big for one script line arrives as a snapshot line without the tail
   * of the parameters (and the cue points after them), which follow at once as events.
   * Such an entity is kept while the snapshot's own lists still name it — its device's
   * `params`/`macros`, the order's `cuePoints` — so it is not deleted and recreated
   * (flicker) a moment later. One that no list names any more is removed.
   */
  private stillListed(id: string, hit: Indexed, present: ReadonlySet<string>): boolean {
    if (hit.kind === 'parameter') {
      const deviceId = hit.map.get('deviceId');
      if (typeof deviceId !== 'string' || !present.has(deviceId)) return false;
      const device = this.index.get(deviceId)?.map;
      return listHas(device?.get('params'), id) || listHas(device?.get('macros'), id);
    }
    if (hit.kind === 'cue_point') {
      return present.has('order') && listHas(this.index.get('order')?.map.get('cuePoints'), id);
    }
    return false;
  }

  /** The `meta` map as written (read back with protocol's zod-free reader). */
  meta(): Partial<MetaProps> {
    return metaOf(this.doc.getMap(META_ROOT).toJSON());
  }

  setMeta(props: Partial<Omit<MetaProps, 'instance' | 'epoch'>>): void {
    const meta = this.doc.getMap(META_ROOT);
    this.doc.transact(() => {
      for (const [key, value] of Object.entries(props)) writeIfChanged(meta, key, value);
    }, LIVE_ORIGIN);
  }

  private setEpoch(epoch: string): void {
    this.epochValue = epoch;
    writeIfChanged(this.doc.getMap(META_ROOT), META.epoch, epoch);
  }

  private applyChange(change: EntityChange, full = false): void {
    const existing = this.index.get(change.id);
    if (change.removed) {
      if (existing) this.remove(change.id, existing);
      return;
    }
    const map = existing?.map ?? this.create(change.kind, change.id);
    if (change.rev !== undefined) writeIfChanged(map, 'rev', change.rev);
    const props = change.props ?? {};
    for (const [key, value] of Object.entries(props)) {
      if (key === 'id' || key === 'rev') continue;
      writeIfChanged(map, key, value);
    }
    if (full) {
      for (const key of [...map.keys()]) {
        if (key !== 'id' && key !== 'rev' && !(key in props)) map.delete(key);
      }
    }
  }

  private create(kind: EntityKind, id: string): Y.Map<unknown> {
    const root = this.doc.getMap<unknown>(ROOT_OF[kind]);
    let map: Y.Map<unknown>;
    if (SINGLETON_KINDS.has(kind)) {
      map = root;
    } else {
      map = new Y.Map<unknown>();
      root.set(id, map);
    }
    map.set('id', id);
    this.index.set(id, { kind, map });
    return map;
  }

  private remove(id: string, hit: Indexed): void {
    this.index.delete(id);
    if (SINGLETON_KINDS.has(hit.kind)) {
      for (const key of [...hit.map.keys()]) hit.map.delete(key);
    } else {
      this.doc.getMap(ROOT_OF[hit.kind]).delete(id);
    }
  }
}

/** An entity as the checks read it (a class: the server runs under tsx, where a closure per call costs a defineProperty). */
/** An entity as the pipeline reads it: an object, not closures (the hot path reads one per command). */
class MapView implements EntityView {
  readonly rev: string | null;

  constructor(readonly kind: EntityKind, private readonly map: Y.Map<unknown>) {
    const rev = map.get('rev');
    this.rev = typeof rev === 'string' ? rev : null;
  }

  get(prop: string): unknown {
    return this.map.get(prop);
  }
}

function listHas(list: unknown, id: string): boolean {
  return Array.isArray(list) && list.includes(id);
}

function newSetDoc(instance: string, fill?: (doc: Y.Doc) => void): Y.Doc {
  const doc = new Y.Doc({ gc: true });
  // Each doc writes with a higher Yjs client id than the one before it (a server start
  // or a rebuild), so where a client merges an old doc with the new one, the new
  // values (meta.instance first) win on every key.
  doc.clientID = nextClientId();
  doc.transact(() => {
    fill?.(doc);
    doc.getMap(META_ROOT).set(META.instance, instance);
  }, LIVE_ORIGIN);
  return doc;
}

let lastClientId = 0;

/** Milliseconds since the epoch, strictly increasing within this process (ids up to 2^53 are fine for Yjs). */
function nextClientId(): number {
  lastClientId = Math.max(Date.now(), lastClientId + 1);
  return lastClientId;
}

function writeIfChanged(map: Y.Map<unknown>, key: string, value: unknown): void {
  const old = map.get(key);
  if (old === value) return;
  if (typeof value === 'object' && value !== null && typeof old === 'object' && old !== null && JSON.stringify(old) === JSON.stringify(value)) return;
  map.set(key, value === undefined ? null : value);
}
