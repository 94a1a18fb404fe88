import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import type { SessionView } from '../../../protocol/room-events.ts';
import { Observable } from './observable.ts';
import type { LinkStatus } from './set-store.ts';
import { CLOSE_NOTES_REFUSED, CLOSE_TOO_MANY_CONNECTIONS, reconnectsAfter } from '../../../protocol/doc-close-codes.ts';
import { plainWords } from './messages.ts';
import { caretColour as colourFor } from '../../../protocol/notes-caret.ts';

/** The origin of this page's own edits to the notes: what the undo after a refusal takes back. */
export const LOCAL_EDIT = Symbol('local-notes-edit');

export interface NotesUser { name: string; color: string; role: string }
export interface RemoteCursor { clientId: number; user: NotesUser; anchor: number; head: number }

/** A stable colour per name, so a person keeps their colour across reloads; the server picks it the same way for others. */
export { colourFor };

/** Another person's caret as the server lets us see it (H10): observers get no names, only hosts roles. */
function userOf(state: Record<string, unknown>): NotesUser | null {
  const user = state.user;
  if (typeof user !== 'object' || user === null) return null;
  const fields = new Map<string, unknown>(Object.entries(user));
  const name = fields.get('name');
  const color = fields.get('color');
  const role = fields.get('role');
  return { name: typeof name === 'string' ? name : 'Someone', color: typeof color === 'string' ? color : '#888888', role: typeof role === 'string' ? role : '' };
}

/**
 * The room's collaborative `notes` doc (set list, lyrics, lesson notes): a Y.Text named
 * `text`, plus awareness carrying each person's name, colour and cursor as relative
 * positions (they survive other people's edits).
 */
export class NotesLink {
  readonly doc = new Y.Doc();
  readonly text: Y.Text = this.doc.getText('text');
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
    const provider = new WebsocketProvider(serverUrl, 'notes', this.doc, { maxBackoffTime: 4000, shouldReconnect: (event) => reconnectsAfter(event.code) });
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
      this.refusal.set(code === 'TOO_LARGE' ? 'That change is too big for the shared notes (at most 256 KB at a time), so it was taken back.' : plainWords(code));
    });
    this.text.observe((_e, tr) => { if (tr.origin === LOCAL_EDIT && this.refusal.value) this.refusal.set(null); });
    provider.awareness.setLocalStateField('user', { name: this.session.name, color: colourFor(this.session.name), role: this.session.role } satisfies NotesUser);
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
    aw.setLocalStateField('cursor', {
      anchor: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(this.text, anchor)),
      head: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(this.text, head)),
    });
  }

  clearCursor(): void {
    this.awareness?.setLocalStateField('cursor', null);
  }

  private readCursors(): void {
    const aw = this.awareness;
    if (!aw) return;
    const out: RemoteCursor[] = [];
    aw.getStates().forEach((state, clientId) => {
      if (clientId === this.doc.clientID) return;
      const user = userOf(state);
      const cur = state.cursor as { anchor: unknown; head: unknown } | null | undefined;
      if (!user || !cur) return;
      const a = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(cur.anchor), this.doc);
      const h = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(cur.head), this.doc);
      if (!a || !h) return;
      out.push({ clientId, user, anchor: a.index, head: h.index });
    });
    this.cursors.set(out);
  }

  /** Everyone currently in the notes doc (for the "who's here" chips). */
  people(): NotesUser[] {
    const aw = this.awareness;
    if (!aw) return [];
    const out: NotesUser[] = [];
    aw.getStates().forEach((state) => {
      const user = userOf(state);
      if (user) out.push(user);
    });
    return out;
  }
}
