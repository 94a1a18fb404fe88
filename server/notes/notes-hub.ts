import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { DOC_NAMES, roleAllows, type Role } from '../../protocol/index.ts';
import { createAwareness, type DocChannel } from '../yjs/doc-channel.ts';
import { DocSizeGuard } from './doc-size-guard.ts';
import type { WireError } from '../../protocol/index.ts';

/**
 * Where a room's notes live between loads. server/persistence's NotesStore is one:
 * `bind` applies the stored state to the doc and saves every later change (debounced,
 * batched); `flush` writes what is pending now.
 */
export interface NotesPersistence {
  bind(room: string, doc: Y.Doc): () => void;
  flush(): Promise<void>;
}

interface Loaded { doc: Y.Doc; awareness: Awareness; unbind: () => void; size: DocSizeGuard }

/**
 * The room's collaborative `notes` doc (Y.Text `text` + awareness for cursors), served
 * as a y-websocket channel. Members and hosts edit; observers read (their updates are
 * dropped and flagged by the connection). The doc is loaded on its first connection and,
 * `idleMs` after the last one leaves, saved and dropped from memory; the next
 * connection loads it again from the store.
 */
export class NotesHub implements DocChannel {
  readonly name = DOC_NAMES.notes;
  /** How long the doc stays in memory with nobody connected. */
  idleMs: number;
  private loadedValue: Loaded | null = null;
  private persistence: NotesPersistence | null = null;
  private users = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private unloading: Promise<void> | null = null;
  /** How many times the doc was loaded and unloaded; tests and the bench read them. */
  loads = 0;
  unloads = 0;

  constructor(readonly room: string, options: { idleMs?: number } = {}) {
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** Attaches the store; a doc already in memory is bound now. */
  persistTo(persistence: NotesPersistence): void {
    this.persistence = persistence;
    if (this.loadedValue) {
      this.loadedValue.unbind();
      this.loadedValue.unbind = persistence.bind(this.room, this.loadedValue.doc);
    }
  }

  get loaded(): boolean {
    return this.loadedValue !== null;
  }

  get doc(): Y.Doc {
    return this.load().doc;
  }

  get awareness(): Awareness {
    return this.load().awareness;
  }

  canWrite(role: Role): boolean {
    return roleAllows(role, 'member');
  }

  admitUpdate(update: Uint8Array): WireError | null {
    return this.load().size.admit(update);
  }

  acquire(): void {
    this.users++;
    if (this.idleTimer) {
      clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
  }

  release(): void {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      void this.unload();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** Saves the doc and drops it from memory, unless someone connected meanwhile. */
  unload(): Promise<void> {
    this.unloading ??= (async () => {
      const loaded = this.loadedValue;
      if (!loaded) return;
      await this.persistence?.flush();
      if (this.users > 0 || this.loadedValue !== loaded) return; // back in use: keep it
      loaded.unbind();
      loaded.awareness.destroy();
      loaded.doc.destroy();
      this.loadedValue = null;
      this.unloads++;
    })().finally(() => { this.unloading = null; });
    return this.unloading;
  }

  private load(): Loaded {
    if (this.loadedValue) return this.loadedValue;
    const doc = new Y.Doc();
    const awareness = createAwareness(doc);
    const unbind = this.persistence ? this.persistence.bind(this.room, doc) : () => {};
    this.loadedValue = { doc, awareness, unbind, size: new DocSizeGuard(doc) };
    this.loads++;
    return this.loadedValue;
  }
}
