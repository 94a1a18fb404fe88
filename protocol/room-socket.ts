import type { Answer, CommandInput } from './command.ts';
import type { WireError } from './errors.ts';
import type { IntentAnswer, IntentParseRequest } from './intent.ts';
import type {
  ActivityMessage, AnswerEvent, HostAck, HostCall, HostLoadMessage, HostPayload, HostValue, LeasesMessage, LoadMessage, MetersMessage,
  ObserveRequest, RoomState, WelcomeMessage, YouMessage,
} from './room-events.ts';

/**
 * The `/room` namespace as socket.io's typed event maps: the server's namespace is
 * `Namespace<RoomReceived, RoomServerEvents, {}, RoomSocketData>` and the page's socket
 * `Socket<RoomServerEvents, RoomClientEvents>`, so an event name or payload that one
 * side spells differently does not compile. Zod-free: the page imports this module.
 */

/** Every event name on `/room`. */
export const ROOM_EVENTS = {
  command: 'command',
  /** Words to commands, previewed before anything runs (protocol/intent.ts). */
  intentParse: 'intent.parse',
  answer: 'answer',
  welcome: 'welcome',
  room: 'room',
  load: 'load',
  leases: 'leases',
  meters: 'meters',
  kicked: 'kicked',
  /** server -> every page: the server is stopping (SERVER_STOPPING); pages reconnect once it is back. */
  stopping: 'stopping',
  activity: 'activity',
  closing: 'closing',
  you: 'you',
  hostLock: 'host:lock',
  hostFreeze: 'host:freeze',
  hostSetControl: 'host:set_control',
  hostAssignTracks: 'host:assign_tracks',
  hostKick: 'host:kick',
  hostRotateCode: 'host:rotate_code',
  hostSessions: 'host:sessions',
  hostAudit: 'host:audit',
  hostLoad: 'host:load',
  hostSetRole: 'host:set_role',
  hostJoinInfo: 'host:join_info',
  /** browser -> server: `{ devices }` the device panels this socket shows now (replaces the last). */
  observe: 'observe',
  hostRemoved: 'host:removed',
  hostLetBack: 'host:let_back',
  hostFiles: 'host:files',
  hostFilesSettings: 'host:files_settings',
  hostFileDelete: 'host:file_delete',
} as const satisfies Record<string, keyof RoomClientEvents | keyof RoomServerEvents>;

type HostCallEvents = {
  [E in HostCall]: (payload: HostPayload<E>, ack: (answer: HostAck<HostValue<E>>) => void) => void;
};

/** Browser -> server, as the browser sends them (each acknowledged exactly once). */
export type RoomClientEvents = HostCallEvents & {
  command: (command: CommandInput, ack: (answer: Answer) => void) => void;
  'intent.parse': (request: IntentParseRequest, ack: (answer: IntentAnswer) => void) => void;
  /** Each call replaces the socket's last list; the acknowledgement (optional) counts the devices. */
  observe: (request: ObserveRequest, ack?: (answer: HostAck<{ devices: number }>) => void) => void;
};

/** Server -> browser. */
// A type, not an interface: socket.io's event maps need an index-signature-compatible type.
export type RoomServerEvents = {
  welcome: (message: WelcomeMessage) => void;
  room: (state: RoomState) => void;
  you: (message: YouMessage) => void;
  load: (message: LoadMessage) => void;
  'host:load': (message: HostLoadMessage) => void;
  leases: (message: LeasesMessage) => void;
  meters: (message: MetersMessage) => void;
  kicked: (error: WireError) => void;
  /** To every page: the server is stopping (a SERVER_STOPPING WireError). */
  stopping: (error: WireError) => void;
  /** To members and hosts: changes by others, coalesced per person and control. */
  activity: (message: ActivityMessage) => void;
  /** To this socket only: it is being closed, and why (TOO_MANY_CONNECTIONS: a newer one took its place, H14). */
  closing: (error: WireError) => void;
  answer: (answer: AnswerEvent) => void;
};

/**
 * The same browser -> server events as the server receives them: unparsed. Nothing a
 * browser sends is trusted before its schema passed, the acknowledgement included
 * (a client may send anything in its place).
 */
export type RoomReceived = { [E in keyof RoomClientEvents]: (payload: unknown, ack?: unknown) => void };

/** What the server keeps on each `/room` socket after the handshake. */
export interface RoomSocketData { sessionId: string }
