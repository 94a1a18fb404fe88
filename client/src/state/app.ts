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
import { watchTruth, describeGap, type LinkTruth } from './link-truth.ts';
import { watchLiveReturn, returnNotice } from './live-return.ts';
import { screen } from './screen.ts';
import { trackOf } from './activity.ts';

import { TransfersStore } from './transfers.ts';

const VIEWS = ['band', 'surface', 'console', 'notes', 'files', 'projector'] as const;
export type View = (typeof VIEWS)[number];

/** Everything a view needs, made once per joined session. */
export class RoomApp {
  readonly set = new SetStore();
  readonly link: RoomLink;
  readonly notes: NotesLink;
  readonly view: Observable<View>;
  readonly selectedTrack = new Observable<string | null>(null);
  readonly ended = new Observable<null | 'kicked' | 'expired'>(null);
  /** Whether the page shows Live as it is now (link-truth.ts). */
  readonly truth: Observable<LinkTruth>;
  /** Tracks this page changed lately (who-did-what lines about them are wanted). */
  readonly touched = new Map<string, number>();
  /** "Live is back, but not as it was: …" until the user dismisses it. */
  readonly returnNotice = new Observable<string | null>(null);
  /** The last time Live came back: when the page compared, and what differed (nothing raises no notice). */
  lastReturn: { at: number; changes: string[] } | null = null;
  private stopTruth: () => void;
  private stopReturn: (() => void) | null = null;
  /** Files stored or placed since the lists were last read: the files views reload. */
  readonly filesChanged = new Observable<number>(0);
  readonly transfers = new TransfersStore({
    place: async (fileId, slotId, baseRev) => {
      const answer = await this.command('clip_slot.create_audio_clip', slotId, { file: fileId }, { quiet: true, ...(baseRev ? { baseRev } : {}) });
      return answer.ok ? { ok: true } : { ok: false, error: answer.error };
    },
    nextEmptySlot: (slotId) => this.nextEmptySlot(slotId),
    revOf: (slotId) => (this.set.get('clip_slot', slotId) as { rev?: string } | undefined)?.rev ?? null,
    stored: () => this.filesChanged.set(this.filesChanged.value + 1),
  });

  constructor(session: SessionView) {
    this.link = new RoomLink((why) => this.ended.set(why));
    this.link.session.set(session);
    this.notes = new NotesLink(() => this.link.session.value ?? session);
    this.view = new Observable<View>(initialView(session));
    const watched = watchTruth(this.link, this.set);
    this.truth = watched.truth;
    this.stopTruth = watched.stop;
  }

  private heartbeat: ReturnType<typeof setInterval> | null = null;
  /** Device panels on screen, counted (several views may show one device). */
  private readonly shownDevices = new Map<string, number>();
  private observeTimer: ReturnType<typeof setTimeout> | null = null;

  /**
   * A device panel appeared: Live mirrors that device's parameters while any page shows
   * it (ROOM_EVENTS.observe). Returns the call to make when the panel goes.
   */
  showDevice(deviceId: string): () => void {
    this.shownDevices.set(deviceId, (this.shownDevices.get(deviceId) ?? 0) + 1);
    this.observeSoon();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const n = (this.shownDevices.get(deviceId) ?? 1) - 1;
      if (n <= 0) this.shownDevices.delete(deviceId);
      else this.shownDevices.set(deviceId, n);
      this.observeSoon();
    };
  }

  private observeSoon(): void {
    if (this.observeTimer) return;
    // panels come and go together when a track is selected: one message for the lot
    this.observeTimer = setTimeout(() => {
      this.observeTimer = null;
      this.link.observe([...this.shownDevices.keys()]);
    }, 30);
  }

  private expiry: ReturnType<typeof setTimeout> | null = null;
  private offExpiry: (() => void) | null = null;
  private offDrop: (() => void) | null = null;

  /** Ask the server about the session now: the heartbeat, and how an ended one is noticed. */
  private checkSession(): void {
    void currentSession().then((s) => {
      if (s) this.link.session.set({ ...(this.link.session.value ?? s), ...s });
      else this.ended.set('expired');
    }).catch(() => undefined);
  }

  /** Right after the session would expire, ask: the page must not say "Connected" past its end. */
  private armExpiry(expiresAt: number | undefined): void {
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
    if (!expiresAt) return;
    const ms = Math.min(2 ** 31 - 1, Math.max(0, expiresAt - Date.now() + 500));
    this.expiry = setTimeout(() => this.checkSession(), ms);
  }

  start(): void {
    // GET /api/session is the session's heartbeat (it refreshes the idle timer) and how
    // an expired session is noticed while the sockets are quiet.
    this.heartbeat = setInterval(() => { this.checkSession(); }, 60_000);
    this.armExpiry(this.session?.expiresAt);
    this.offExpiry = this.link.session.subscribe((s) => { this.armExpiry(s?.expiresAt); });
    this.stopReturn = watchLiveReturn(this.truth, this.set, (changes) => {
      this.lastReturn = { at: Date.now(), changes };
      if (changes.length) this.returnNotice.set(returnNotice(changes));
    });
    this.offDrop = this.truth.subscribe((t) => { if (!t.live) this.link.dropMeters(); });
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
    if (this.expiry) clearTimeout(this.expiry);
    this.offExpiry?.();
    this.stopReturn?.();
    this.offDrop?.();
    this.stopTruth();
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
    return this.denial(trackId) === null && this.truth.value.live;
  }

  /** Why canControl() is false, in plain words (tooltips and the read-only sign); '' when it is true. */
  whyNot(trackId: string | null = null): string {
    const denial = this.denial(trackId);
    if (denial !== null && denial !== 'not-joined' && denial.reason === 'assignment') {
      const mine = (this.session?.assignedTracks ?? []).map((id) => this.set.get('track', id)?.name).filter(Boolean).join(', ') || 'other tracks';
      return trackId
        ? `The host assigned you ${mine}; this track is not one of them.`
        : `The host assigned you ${mine}; the master, returns, scenes, tempo and transport stay with the host.`;
    }
    if (denial !== null) return whyDenied(denial);
    return this.truth.value.live ? '' : describeGap(this.truth.value);
  }

  private denial(trackId: string | null): AccessDenial | 'not-joined' | null {
    const session = this.session;
    if (!session) return 'not-joined';
    return accessDenial(session, this.link.flags.value, { ...CONTROL_REQUEST, named: trackId === null ? [] : [{ track: trackId }] });
  }

  /** Send one command; refusals are shown in plain words unless `quiet`. */
  async command(action: string, target: string | null, args: Record<string, unknown> = {}, opts: { baseRev?: string; gesture?: { id: string; phase: GesturePhase }; quiet?: boolean } = {}): Promise<Answer> {
    const cmd: Command = { id: uuid(), action, target, args };
    const track = trackOf(this.set, action, target);
    if (track) this.touched.set(track, Date.now());
    if (opts.baseRev) cmd.baseRev = opts.baseRev;
    if (opts.gesture) cmd.gesture = opts.gesture;
    const answer = await this.link.send(cmd);
    if (!answer.ok && !opts.quiet) this.report(answer.error);
    return answer;
  }

  /** The first empty slot after `slotId` on its track (then any empty one on it): where a drop goes instead. */
  nextEmptySlot(slotId: string): string | null {
    const slot = this.set.get('clip_slot', slotId);
    const slots = slot ? this.set.get('track', slot.trackId)?.clipSlots ?? [] : [];
    const at = slots.indexOf(slotId);
    const order = [...slots.slice(at + 1), ...slots.slice(0, Math.max(0, at))];
    return order.find((id) => this.set.get('clip_slot', id)?.hasClip === false) ?? null;
  }

  /** Empty slots of audio tracks this session may fill, for "Place on…" pickers. */
  emptyAudioSlots(): Array<{ slotId: string; label: string }> {
    const out: Array<{ slotId: string; label: string }> = [];
    const scenes = this.set.ids('scene');
    for (const trackId of this.set.ids('track')) {
      const t = this.set.get('track', trackId);
      if (!t || t.kind !== 'audio' || !this.canControl(trackId)) continue;
      (t.clipSlots ?? []).forEach((slotId, i) => {
        if (this.set.get('clip_slot', slotId)?.hasClip === false) {
          const scene = this.set.get('scene', scenes[i]);
          out.push({ slotId, label: `${t.name} \u00b7 ${scene?.name || `scene ${i + 1}`}` });
        }
      });
    }
    return out;
  }

  report(error: WireError): void {
    const kind = error.code === 'CONFLICT' || error.code === 'HELD' ? 'warn' : 'error';
    notify(kind, describeError(error), error.code);
  }
}

/** The view the screen calls for (the join form no longer picks one); a deep link wins. */
function initialView(session: SessionView): View {
  const fromHash = VIEWS.find((v) => `#${v}` === location.hash);
  if (fromHash === 'band' || fromHash === 'surface' || fromHash === 'notes' || fromHash === 'files') return fromHash;
  if ((fromHash === 'console' || fromHash === 'projector') && session.role === 'host') return fromHash;
  const kind = screen.value.kind;
  if (kind === 'tablet') return 'surface';
  if (kind === 'laptop' && session.role === 'host') return 'console';
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
