import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import {
  CLOSE_NOTES_REFUSED, CLOSE_TOO_MANY_CONNECTIONS, DOC_NAMES, NOTES_AWARENESS, NOTES_MAX_UPDATE_BYTES, NOTES_TEXT,
  caretColour as colourFor, caretUserOf, notesCursorOf, reconnectsAfter, type NotesCursor, type NotesUser, type SessionView,
} from '../../../protocol/browser.ts';
import { Observable } from './observable.ts';
import type { LinkStatus } from './set-store.ts';
import { plainWords } from './messages.ts';

/** The origin of this page's own edits to the notes: what the undo after a refusal takes back. */
export const LOCAL_EDIT = Symbol('local-notes-edit');

/** Someone in the notes as this page shows them: an observer's page is told no names (H10). */
export interface Person { name: string; color: string }
export interface RemoteCursor { clientId: number; user: Person; anchor: number; head: number }

/** A stable colour per name, so a person keeps their colour across reloads; the server picks it the same way for others. */
export { colourFor };

function personOf(state: Record<string, unknown>): Person | null {
  const user = caretUserOf(state[NOTES_AWARENESS.user]);
  return user ? { name: user.name ?? 'Someone', color: user.color } : null;
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
  /** Why the server refused our last change (the notes are full, a paste too big), until the next edit goes through. */
  readonly refusal = new Observable<string | null>(null);
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
    const provider = new WebsocketProvider(serverUrl, DOC_NAMES.notes, this.doc, { maxBackoffTime: 4000, shouldReconnect: (event) => reconnectsAfter(event.code) });
    this.provider = provider;
    provider.on('status', (e: { status: string }) => this.status.set(e.status === 'connected' ? 'connected' : e.status === 'connecting' ? 'connecting' : 'disconnected'));
    provider.on('sync', (s: boolean) => this.synced.set(s));
    // The server drops a change that would make the notes too big and closes with the reason
    // (H7). Take the change back before the provider reconnects, or it would send it again.
    const undo = new Y.UndoManager(this.text, { trackedOrigins: new Set([LOCAL_EDIT]), captureTimeout: 300 });
    provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      // The oldest of too many doc connections its session holds (H14): stay closed.
      if (event?.code === CLOSE_TOO_MANY_CONNECTIONS) provider.disconnect();
      const code = event?.code === CLOSE_NOTES_REFUSED ? event.reason.split(':')[0] ?? 'TOO_LARGE' : event?.code === 1009 ? 'TOO_LARGE' : null;
      if (!code) return;
      undo.undo();
      this.refusal.set(code === 'TOO_LARGE' ? `That change is too big for the shared notes (at most ${NOTES_MAX_UPDATE_BYTES / 1024} KB at a time), so it was taken back.` : plainWords(code));
    });
    this.text.observe((_e, tr) => { if (tr.origin === LOCAL_EDIT && this.refusal.value) this.refusal.set(null); });
    // The server sets every caret's name, colour and role from the session (H10); ours is what this page shows of itself.
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
      const user = personOf(state);
      const cursorField: unknown = state[NOTES_AWARENESS.cursor];
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
  people(): Person[] {
    const aw = this.awareness;
    if (!aw) return [];
    const out: Person[] = [];
    aw.getStates().forEach((state) => {
      const user = personOf(state);
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
