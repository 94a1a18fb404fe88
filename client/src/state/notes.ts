import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import {
  DOC_NAMES, NOTES_AWARENESS, NOTES_TEXT, notesCursorOf, notesUserOf, type NotesCursor, type NotesUser, type SessionView,
} from '../../../protocol/browser.ts';
import { Observable } from './observable.ts';
import type { LinkStatus } from './set-store.ts';

export type { NotesUser };
export interface RemoteCursor { clientId: number; user: NotesUser; anchor: number; head: number }

const COLOURS = ['#ffa92e', '#3cd3e6', '#7ce06a', '#ff6fa8', '#b48cff', '#ffd84d', '#5aa9ff', '#ff7a4d'];

/** A stable colour per name, so a person keeps their colour across reloads. */
export function colourFor(name: string): string {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[h % COLOURS.length]!;
}

/**
 * The room's collaborative `notes` doc (set list, lyrics, lesson notes): a Y.Text named
 * `text`, plus awareness carrying each person's name, colour and cursor as relative
 * positions (they survive other people's edits).
 */
export class NotesLink {
  readonly doc = new Y.Doc();
  readonly text: Y.Text = this.doc.getText(NOTES_TEXT);
  readonly status = new Observable<LinkStatus>('connecting');
  readonly synced = new Observable<boolean>(false);
  readonly cursors = new Observable<RemoteCursor[]>([]);
  private provider: WebsocketProvider | null = null;

  constructor(private sessionOf: () => SessionView) {}

  private get session(): SessionView {
    return this.sessionOf();
  }

  get awareness(): Awareness | null {
    return this.provider?.awareness ?? null;
  }

  get readOnly(): boolean {
    return this.session.role === 'observer';
  }

  connect(serverUrl: string): void {
    if (this.provider) return;
    const provider = new WebsocketProvider(serverUrl, DOC_NAMES.notes, this.doc, { maxBackoffTime: 4000 });
    this.provider = provider;
    provider.on('status', (e: { status: string }) => this.status.set(e.status === 'connected' ? 'connected' : e.status === 'connecting' ? 'connecting' : 'disconnected'));
    provider.on('sync', (s: boolean) => this.synced.set(s));
    provider.awareness.setLocalStateField(NOTES_AWARENESS.user, { name: this.session.name, color: colourFor(this.session.name), role: this.session.role } satisfies NotesUser);
    provider.awareness.on('change', () => this.readCursors());
    this.text.observe(() => this.readCursors());
  }

  disconnect(): void {
    this.provider?.awareness.setLocalState(null);
    this.provider?.destroy();
    this.provider = null;
  }

  /** Publish our selection (absolute indexes → relative positions). */
  setCursor(anchor: number, head: number): void {
    const aw = this.awareness;
    if (!aw) return;
    const cursor: NotesCursor = {
      anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(this.text, anchor)),
      head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(this.text, head)),
    };
    aw.setLocalStateField(NOTES_AWARENESS.cursor, cursor);
  }

  clearCursor(): void {
    this.awareness?.setLocalStateField(NOTES_AWARENESS.cursor, null);
  }

  private readCursors(): void {
    const aw = this.awareness;
    if (!aw) return;
    const out: RemoteCursor[] = [];
    aw.getStates().forEach((state, clientId) => {
      if (clientId === this.doc.clientID) return;
      const userField: unknown = state[NOTES_AWARENESS.user];
      const cursorField: unknown = state[NOTES_AWARENESS.cursor];
      const user = notesUserOf(userField);
      const cur = notesCursorOf(cursorField);
      if (!user || !cur) return;
      const a = absolute(cur.anchor, this.doc);
      const h = absolute(cur.head, this.doc);
      if (a === null || h === null) return;
      out.push({ clientId, user, anchor: a, head: h });
    });
    this.cursors.set(out);
  }

  /** Everyone currently in the notes doc (for the "who's here" chips). */
  people(): NotesUser[] {
    const aw = this.awareness;
    if (!aw) return [];
    const out: NotesUser[] = [];
    aw.getStates().forEach((state) => {
      const userField: unknown = state[NOTES_AWARENESS.user];
      const user = notesUserOf(userField);
      if (user) out.push(user);
    });
    return out;
  }
}

/** A peer's relative position as an index in our text, or null when it is not one (it came from another page). */
function absolute(json: unknown, doc: Y.Doc): number | null {
  try {
    return Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(json), doc)?.index ?? null;
  } catch {
    return null;
  }
}
