import type * as Y from 'yjs';
import type { Role, WireError } from '../../protocol/index.ts';
import { Awareness } from 'y-protocols/awareness';

/**
 * One shared document as served over y-websocket: the doc, its awareness (cursors in
 * `notes`; none in `set`) and whether browsers may write to it.
 */
export interface DocChannel {
  readonly name: string;
  readonly doc: Y.Doc;
  readonly awareness: Awareness | null;
  /** True when this role may send updates; `set` is read-only for everyone. */
  canWrite(role: Role): boolean;
  /** The refusal for a writer's update (notes past their size, H7), or null to apply it. */
  admitUpdate?(update: Uint8Array): WireError | null;
  /** The first connection to this doc arrived (a lazily loaded doc cancels its unload). */
  acquire?(): void;
  /** The last connection left (a lazily loaded doc may now be saved and dropped). */
  release?(): void;
  /**
   * Registers for the doc being swapped for a compacted copy (`set`, M8): from then on
   * `doc` is `next`, and `previous` is destroyed once the listeners returned.
   */
  onReplaced?(listener: (next: Y.Doc, previous: Y.Doc) => void): () => void;
}

export function createAwareness(doc: Y.Doc): Awareness {
  const awareness = new Awareness(doc);
  // The server has no cursor of its own.
  awareness.setLocalState(null);
  return awareness;
}

