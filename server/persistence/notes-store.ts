import * as Y from 'yjs';
import type { BatchedFile } from './batched-file.ts';
import type { NotesFile } from './schema.ts';

/**
 * The rooms' `notes` docs on disk. An edit only marks the file dirty; the doc is
 * encoded once per write, so typing a paragraph does not encode it per keystroke.
 */
export class NotesStore {
  #docs = new Map<string, Y.Doc>();
  #pending = new Set<string>();
  #file!: BatchedFile<NotesFile>;

  static async open(openFile: (beforeWrite: (data: NotesFile) => void) => Promise<BatchedFile<NotesFile>>): Promise<NotesStore> {
    const store = new NotesStore();
    store.#file = await openFile((data) => store.#encodePending(data));
    return store;
  }

  /** The stored state of a room's notes doc, or null when none was saved. */
  load(room: string): Uint8Array | null {
    const b64 = this.#file.data.docs[room];
    return b64 === undefined ? null : new Uint8Array(Buffer.from(b64, 'base64'));
  }

  /** Apply the stored state to `doc` and persist every later change. Returns an unbind. */
  bind(room: string, doc: Y.Doc): () => void {
    const stored = this.load(room);
    if (stored) Y.applyUpdate(doc, stored, this);
    this.#docs.set(room, doc);
    const onUpdate = (_u: Uint8Array, origin: unknown): void => {
      if (origin === this) return;
      this.#pending.add(room);
      this.#file.markDirty();
    };
    doc.on('update', onUpdate);
    return () => {
      doc.off('update', onUpdate);
      if (this.#docs.get(room) === doc) this.#docs.delete(room);
    };
  }

  #encodePending(data: NotesFile): void {
    for (const room of this.#pending) {
      const doc = this.#docs.get(room);
      if (doc) data.docs[room] = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
    }
    this.#pending.clear();
  }

  get writeCount(): number {
    return this.#file.writeCount;
  }

  flush(): Promise<void> {
    return this.#file.flush();
  }
}
