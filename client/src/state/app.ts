import {
  CONTROL_REQUEST, DEFAULT_ROOM, accessDenial, yjsRoomUrl,
  type AccessDenial, type Answer, type Command, type GesturePhase, type SessionView, type WireError,
} from '../../../protocol/browser.ts';
import { SetStore } from './set-store.ts';
import { RoomLink } from './room.ts';
import { NotesLink } from './notes.ts';
import { Observable } from './observable.ts';
import { describeError, whyDenied } from './messages.ts';
import { notify } from './toasts.ts';
import { currentSession } from './api.ts';

const VIEWS = ['band', 'surface', 'console', 'notes'] as const;
export type View = (typeof VIEWS)[number];

/** Everything a view needs, made once per joined session. */
export class RoomApp {
  readonly set = new SetStore();
  readonly link: RoomLink;
  readonly notes: NotesLink;
  readonly view: Observable<View>;
  readonly selectedTrack = new Observable<string | null>(null);
  readonly ended = new Observable<null | 'kicked' | 'expired'>(null);

  constructor(session: SessionView) {
    this.link = new RoomLink((why) => this.ended.set(why));
    this.link.session.set(session);
    this.notes = new NotesLink(() => this.link.session.value ?? session);
    this.view = new Observable<View>(initialView(session));
  }

  private heartbeat: ReturnType<typeof setInterval> | null = null;

  start(): void {
    // GET /api/session is the session's heartbeat (it refreshes the idle timer) and how
    // an expired session is noticed while the sockets are quiet.
    this.heartbeat = setInterval(() => {
      void currentSession().then((s) => {
        if (s) this.link.session.set({ ...(this.link.session.value ?? s), ...s });
        else this.ended.set('expired');
      }).catch(() => undefined);
    }, 60_000);
    const base = yjsRoomUrl(location.origin, this.session?.room ?? DEFAULT_ROOM);
    // M5: a welcome from another server start than the one the set doc came from means
    // the doc is stale; the store drops it and syncs a fresh one.
    this.link.instance.subscribe((id) => {
      if (id && this.set.synced.value) this.set.checkInstance(id);
    });
    this.link.connect();
    this.set.connect(base);
    this.notes.connect(base);
  }

  stop(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.link.disconnect();
    this.set.disconnect();
    this.notes.disconnect();
  }

  get session(): SessionView | null {
    return this.link.session.value;
  }

  get isHost(): boolean {
    return this.session?.role === 'host';
  }

  /**
   * Whether this session may change the set now, on the track `trackId` (null: a
   * song-level control). The server's own access rule (protocol/access.ts), so the page
   * disables exactly what the server would refuse.
   */
  canControl(trackId: string | null = null): boolean {
    return this.denial(trackId) === null;
  }

  /** Why canControl() is false, in plain words (tooltips and the read-only sign); '' when it is true. */
  whyNot(trackId: string | null = null): string {
    const denial = this.denial(trackId);
    return denial === null ? '' : whyDenied(denial);
  }

  private denial(trackId: string | null): AccessDenial | 'not-joined' | null {
    const session = this.session;
    if (!session) return 'not-joined';
    return accessDenial(session, this.link.flags.value, { ...CONTROL_REQUEST, track: trackId });
  }

  /** Send one command; refusals are shown in plain words unless `quiet`. */
  async command(action: string, target: string | null, args: Record<string, unknown> = {}, opts: { baseRev?: string; gesture?: { id: string; phase: GesturePhase }; quiet?: boolean } = {}): Promise<Answer> {
    const cmd: Command = { id: uuid(), action, target, args };
    if (opts.baseRev) cmd.baseRev = opts.baseRev;
    if (opts.gesture) cmd.gesture = opts.gesture;
    const answer = await this.link.send(cmd);
    if (!answer.ok && !opts.quiet) this.report(answer.error);
    return answer;
  }

  report(error: WireError): void {
    const kind = error.code === 'CONFLICT' || error.code === 'HELD' ? 'warn' : 'error';
    notify(kind, describeError(error), error.code);
  }
}

function initialView(session: SessionView): View {
  const fromHash = VIEWS.find((v) => `#${v}` === location.hash);
  if (fromHash === 'band' || fromHash === 'surface' || fromHash === 'notes') return fromHash;
  if (fromHash === 'console' && session.role === 'host') return 'console';
  if (session.layout === 'surface') return 'surface';
  if (session.layout === 'console' && session.role === 'host') return 'console';
  return 'band';
}

export function uuid(): string {
  const c: Crypto = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  // crypto.randomUUID needs a secure context; the LAN page is HTTPS, but be safe.
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
