import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { roleAllows } from '../../protocol/index.ts';
import { SetMirror } from '../mirror/set-mirror.ts';
import { createAwareness, type DocChannel } from '../yjs/doc-channel.ts';

/**
 * One room: the shared Live set's mirror, the collaborative notes, and the host's
 * switches. State that outlives a restart (join code, notes, lock) is persisted by
 * the persistence layer through the fields here.
 */
export class Room {
  readonly mirror = new SetMirror();
  readonly notes = new Y.Doc();
  readonly notesAwareness: Awareness;
  readonly channels: Map<string, DocChannel>;
  locked = false;
  frozen = false;

  constructor(readonly name: string, public joinCode: string, public adminPin: string) {
    this.notesAwareness = createAwareness(this.notes);
    this.channels = new Map<string, DocChannel>([
      ['set', { name: 'set', doc: this.mirror.doc, awareness: null, canWrite: () => false }],
      ['notes', { name: 'notes', doc: this.notes, awareness: this.notesAwareness, canWrite: (role) => roleAllows(role as 'member', 'member') }],
    ]);
  }

  ownerTrack(id: string): string | null {
    return this.mirror.ownerTrack(id);
  }
}
