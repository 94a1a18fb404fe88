import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION, ROOM_EVENTS, ROOM_NAMESPACE, readIntentAnswer, wireErrorOf,
  type ActivityItem, type Answer, type Command, type HostAck, type HostCall, type HostLoadMessage, type HostPayload,
  type HostValue, type IntentAnswer, type LoadMessage, type RoomAuth, type RoomClientEvents, type RoomServerEvents, type RoomState, type SessionView, type WireError,
} from '../../../protocol/browser.ts';
import { Observable } from './observable.ts';
import { refreshSession } from './api.ts';
import { notify } from './toasts.ts';
import { describeError } from './messages.ts';

export type SocketStatus = 'connecting' | 'online' | 'reconnecting' | 'offline' | 'kicked' | 'ended' | 'stopped' | 'outdated';
export type RoomFlags = RoomState;
/** The last known levels, song position and playing clips' positions (merged from deltas). */
export interface Meters { levels: Record<string, [number, number]>; position: number | null; clips: Record<string, number> }

type RoomClientSocket = Socket<RoomServerEvents, RoomClientEvents>;
type TimedSocket = ReturnType<RoomClientSocket['timeout']>;
type HostEmitters = {
  readonly [E in HostCall]: (socket: TimedSocket, payload: HostPayload<E>, done: (err: Error | null, ack: HostAck<HostValue<E>>) => void) => void;
};

/**
 * One typed emit per host power: socket.io's event maps cannot type an emit whose event
 * name is generic, so each power is spelled here once and the map type checks them all.
 */
const HOST_EMITTERS: HostEmitters = {
  [ROOM_EVENTS.hostLock]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostLock, payload, done),
  [ROOM_EVENTS.hostFreeze]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostFreeze, payload, done),
  [ROOM_EVENTS.hostSetControl]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostSetControl, payload, done),
  [ROOM_EVENTS.hostAssignTracks]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostAssignTracks, payload, done),
  [ROOM_EVENTS.hostKick]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostKick, payload, done),
  [ROOM_EVENTS.hostRotateCode]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostRotateCode, payload, done),
  [ROOM_EVENTS.hostJoinInfo]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostJoinInfo, payload, done),
  [ROOM_EVENTS.hostRemoved]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostRemoved, payload, done),
  [ROOM_EVENTS.hostLetBack]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostLetBack, payload, done),
  [ROOM_EVENTS.hostSessions]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostSessions, payload, done),
  [ROOM_EVENTS.hostAudit]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostAudit, payload, done),
  [ROOM_EVENTS.hostSetRole]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostSetRole, payload, done),
  [ROOM_EVENTS.hostFiles]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostFiles, payload, done),
  [ROOM_EVENTS.hostFilesSettings]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostFilesSettings, payload, done),
  [ROOM_EVENTS.hostFileDelete]: (socket, payload, done) => socket.emit(ROOM_EVENTS.hostFileDelete, payload, done),
};

/** How long we wait for a command's answer before telling the user it timed out. */
const ANSWER_TIMEOUT_MS = 8000;

/**
 * The socket.io `/room` link: commands with acknowledgements, room flags, anonymized
 * load, leases, meters and (for hosts) the console's calls. socket.io reconnects by
 * itself; `status` says what the user should see meanwhile.
 */
export class RoomLink {
  readonly status = new Observable<SocketStatus>('connecting');
  readonly session = new Observable<SessionView | null>(null);
  readonly flags = new Observable<RoomFlags>({ locked: false, frozen: false });
  readonly load = new Observable<LoadMessage | null>(null);
  readonly hostLoad = new Observable<HostLoadMessage | null>(null);
  /** The keys (controlOf().key) of the controls someone holds a gesture lease on. */
  readonly leases = new Observable<ReadonlySet<string>>(new Set());
  /** The server start's id from `welcome` (equals the set doc's meta.instance, M5). */
  readonly instance = new Observable<string | null>(null);
  /** Why the server said it stops (SERVER_STOPPING), until it is back. */
  readonly stopReason = new Observable<string | null>(null);
  /** Set when the server refused this page's protocol version (`older` says which side to update). */
  readonly outdated = new Observable<WireError | null>(null);
  /** Meters change ~20×/s; consumers read `meters` in their own animation frame. */
  meters: Meters = { levels: {}, position: null, clips: {} };
  readonly meterTick = new Observable<number>(0);
  /** Changes by others (names: members and hosts only), as the server batched them. */
  readonly activity = new Observable<ActivityItem[]>([]);
  /** This session's tag in `activity` items (welcome.actor). */
  private actor: string | null = null;
  private socket: RoomClientSocket | null = null;
  /** The device panels this page shows; told to the server again after every reconnect. */
  private observed: string[] = [];

  constructor(private onUnauthenticated: (why: 'kicked' | 'expired') => void) {}

  /** The devices whose panels this page shows now (replaces the last list; [] for none). */
  observe(devices: string[]): void {
    this.observed = devices.slice(0, 32);
    if (this.socket?.connected) this.socket.emit(ROOM_EVENTS.observe, { devices: this.observed });
  }

  connect(): void {
    if (this.socket) return;
    const auth: RoomAuth = { protocol: PROTOCOL_VERSION };
    const socket: RoomClientSocket = io(ROOM_NAMESPACE, { withCredentials: true, transports: ['websocket'], reconnectionDelayMax: 4000, auth });
    this.socket = socket;
    socket.on('connect', () => {
      this.stopReason.set(null);
      this.status.set('online');
      if (this.observed.length > 0) socket.emit(ROOM_EVENTS.observe, { devices: this.observed });
    });
    socket.on('disconnect', (reason) => {
      if (this.status.value === 'kicked' || this.status.value === 'ended' || this.status.value === 'outdated') return;
      // "io server disconnect" means the server closed us on purpose; try again so an
      // expired session is detected by the handshake and the user is sent to the join
      // page, and a server that stopped is found again once it is back.
      if (this.status.value !== 'stopped') this.status.set('reconnecting');
      if (reason === 'io server disconnect') setTimeout(() => socket.connect(), this.status.value === 'stopped' ? 1500 : 500);
    });
    // The server is stopping (Ctrl-C, a service stop, an update): say so rather than
    // "Connected" or a bare "Reconnecting"; socket.io keeps trying meanwhile.
    socket.on(ROOM_EVENTS.stopping, (msg) => {
      this.stopReason.set(wireErrorOf(msg)?.message ?? 'Roomtone is stopping on the studio computer');
      this.status.set('stopped');
    });
    socket.on('connect_error', (err) => {
      const refusal = 'data' in err ? wireErrorOf(err.data) : null;
      if (refusal?.code === 'PROTOCOL_MISMATCH') {
        // Retrying cannot help: only a reload (of the page, or of the server) can.
        this.status.set('outdated');
        socket.disconnect();
        this.outdated.set(refusal);
        return;
      }
      const code = refusal?.code ?? err.message;
      if (code === 'UNAUTHENTICATED' || code === 'KICKED') {
        this.status.set(code === 'KICKED' ? 'kicked' : 'ended');
        socket.disconnect();
        this.onUnauthenticated(code === 'KICKED' ? 'kicked' : 'expired');
        return;
      }
      if (this.status.value === 'stopped') return;
      this.status.set(this.status.value === 'connecting' ? 'connecting' : 'reconnecting');
    });
    socket.io.on('reconnect_attempt', () => {
      if (this.status.value !== 'kicked' && this.status.value !== 'ended' && this.status.value !== 'stopped' && this.status.value !== 'outdated') this.status.set('reconnecting');
    });
    socket.on(ROOM_EVENTS.welcome, (msg) => {
      this.actor = msg.actor ?? null;
      this.instance.set(msg.instance);
      this.session.set(msg.session);
      this.flags.set({ locked: msg.room.locked, frozen: msg.room.frozen });
      this.status.set('online');
    });
    socket.on(ROOM_EVENTS.room, (msg) => this.flags.set({ locked: msg.locked, frozen: msg.frozen }));
    socket.on(ROOM_EVENTS.you, (msg) => {
      const { refreshRequired, promotionTicket, ...changes } = msg;
      const cur = this.session.value;
      if (cur) this.session.set({ ...cur, ...changes });
      // The host changed our role: fetch a new token; the server then closes our sockets
      // and they come back under the new cookie (see the disconnect handler).
      // A promotion comes with this socket's ticket: only this page can claim it (H15).
      if (refreshRequired) void refreshSession(promotionTicket).then((s) => this.session.set(s)).catch(() => undefined);
    });
    socket.on(ROOM_EVENTS.load, (msg) => { this.load.set(msg); });
    socket.on(ROOM_EVENTS.hostLoad, (msg) => { this.hostLoad.set(msg); });
    socket.on(ROOM_EVENTS.leases, (msg) => { this.leases.set(new Set(msg.held.map((h) => h.key))); });
    // Each frame names only what moved since the last (the server greets a new socket with
    // the whole frame): merge it, so a steady level or a stopped song keeps its value.
    socket.on(ROOM_EVENTS.meters, (msg) => {
      const m = this.meters;
      Object.assign(m.levels, msg.levels);
      if (msg.position !== undefined) m.position = msg.position;
      if (msg.clips) Object.assign(m.clips, msg.clips);
      this.meterTick.set(this.meterTick.value + 1);
    });
    // One message for the whole room: this page leaves its own person's items out.
    socket.on(ROOM_EVENTS.activity, (msg) => {
      const others = msg.items.filter((item) => this.actor === null || item.actor !== this.actor);
      if (others.length) this.activity.set(others);
    });
    // The server closes this page's socket and says why (too many tabs of one session):
    // stay closed and say so, rather than reconnect and close another tab in turn.
    socket.on(ROOM_EVENTS.closing, (err) => {
      this.status.set('offline');
      socket.disconnect();
      notify('warn', describeError(err), err.code, 15_000);
    });
    socket.on(ROOM_EVENTS.kicked, () => {
      this.status.set('kicked');
      socket.disconnect();
      this.onUnauthenticated('kicked');
    });
  }

  /** Live went away: its levels must not stay on screen (they drop), nor its positions. */
  dropMeters(): void {
    this.meters = { levels: {}, position: this.meters.position, clips: {} };
    this.meterTick.set(this.meterTick.value + 1);
  }

  get connected(): boolean {
    return !!this.socket?.connected;
  }

  disconnect(): void {
    this.socket?.disconnect();
    this.socket = null;
  }

  /**
   * Send a command; resolves with its answer (never rejects). While offline, socket.io
   * buffers the emit and sends it on reconnect with the same id, which the server
   * deduplicates; a missing answer becomes a TIMEOUT the user is told about.
   */
  send(cmd: Command): Promise<Answer> {
    const socket = this.socket;
    if (!socket) return Promise.resolve({ ok: false, error: { code: 'AGENT_OFFLINE', message: 'not connected' } });
    return new Promise((resolve) => {
      socket.timeout(ANSWER_TIMEOUT_MS).emit(ROOM_EVENTS.command, cmd, (err: Error | null, answer: Answer) => {
        resolve(err ? { ok: false, error: { code: 'TIMEOUT', message: 'No answer from the room server in time.' } } : answer);
      });
    });
  }

  /**
   * Words to commands (`intent.parse`): changes nothing. The commands that come back are
   * run, if the person confirms, with send() like any other. A model on the LAN can take
   * seconds, so its wait is longer.
   */
  intent(text: string, model = false): Promise<IntentAnswer> {
    const socket = this.socket;
    const offline: IntentAnswer = { ok: false, error: { code: 'AGENT_OFFLINE', message: 'Not connected to the room server.' } };
    if (!socket?.connected) return Promise.resolve(offline);
    return new Promise((resolve) => {
      socket.timeout(model ? 30_000 : ANSWER_TIMEOUT_MS).emit(ROOM_EVENTS.intentParse, model ? { text, model: true } : { text }, (err: Error | null, raw: unknown) => {
        if (err) resolve({ ok: false, error: { code: 'TIMEOUT', message: 'The room server did not answer in time.' } });
        else resolve(readIntentAnswer(raw) ?? { ok: false, error: { code: 'INTERNAL', message: 'The server\u2019s answer was not understood.' } });
      });
    });
  }

  /** A host console call, acknowledged `{ ok, value }` or `{ ok: false, error }`. */
  host<E extends HostCall>(event: E, payload: HostPayload<E>): Promise<HostAck<HostValue<E>>> {
    const socket = this.socket;
    if (!socket?.connected) return Promise.resolve({ ok: false, error: { code: 'INTERNAL', message: 'Not connected to the room server.' } });
    const call: HostEmitters[E] = HOST_EMITTERS[event];
    return new Promise((resolve) => {
      call(socket.timeout(ANSWER_TIMEOUT_MS), payload, (err, ack) => {
        resolve(err ? { ok: false, error: { code: 'TIMEOUT', message: 'The server did not answer.' } } : ack);
      });
    });
  }
}
