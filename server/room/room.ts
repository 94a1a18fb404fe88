import { DOC_NAMES } from '../../protocol/index.ts';
import { SetMirror } from '../mirror/set-mirror.ts';
import type { DocChannel } from '../yjs/doc-channel.ts';
import { NotesHub } from '../notes/notes-hub.ts';

/**
 * One room: the shared Live set's mirror, the collaborative notes, and the host's
 * switches. State that outlives a restart (join code, notes, lock) is persisted by
 * the persistence layer through the fields here.
 */
export class Room {
  readonly mirror = new SetMirror();
  /** The `notes` doc, loaded while someone has it open and saved through persistTo(). */
  readonly notes: NotesHub;
  readonly channels: Map<string, DocChannel>;
  locked = false;
  frozen = false;

  constructor(readonly name: string, public joinCode: string, public adminPin: string) {
    this.notes = new NotesHub(name);
    this.channels = new Map<string, DocChannel>([
      [DOC_NAMES.set, setChannel(this.mirror)],
      [DOC_NAMES.notes, this.notes],
    ]);
  }

  /** The y-websocket channel for `/yjs/<room>/<doc>`, if it is this room's. */
  channel(room: string, doc: string): DocChannel | undefined {
    return room === this.name ? this.channels.get(doc) : undefined;
  }

  ownerTrack(id: string): string | null {
    return this.mirror.ownerTrack(id);
  }
}

/** `set` over y-websocket: read-only, and its doc is whichever the mirror holds now (M8). */
export function setChannel(mirror: SetMirror): DocChannel {
  return {
    name: DOC_NAMES.set,
    get doc() { return mirror.doc; },
    awareness: null,
    canWrite: () => false,
    onReplaced: (listener) => mirror.onReplaced(listener),
  };
}
