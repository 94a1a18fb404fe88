import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import type { SessionView } from '../../../protocol/browser.ts';
import { Observable } from './observable.ts';
import type { LinkStatus } from './set-store.ts';

export interface NotesUser { name: string; color: string; role: string }
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
  readonly text: Y.Text = this.doc.getText('text');
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
    const provider = new WebsocketProvider(serverUrl, 'notes', this.doc, { maxBackoffTime: 4000 });
    this.provider = provider;
    provider.on('status', (e: { status: string }) => this.status.set(e.status === 'connected' ? 'connected' : e.status === 'connecting' ? 'connecting' : 'disconnected'));
    provider.on('sync', (s: boolean) => this.synced.set(s));
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
      const user = state.user as NotesUser | undefined;
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
      if (state.user) out.push(state.user as NotesUser);
    });
    return out;
  }
}
