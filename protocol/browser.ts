/**
 * The contract as the page needs it, without zod: constants, names, the pure rules
 * (access, control) and the message types. Values come only from zod-free modules and
 * everything else is `export type` (a test walks this module's imports and fails if a
 * runtime import reaches zod). The page's inputs are typed by the event maps; the
 * server parses everything the page sends.
 */
export { PROTOCOL_VERSION, ROOMTONE_VERSION, DEFAULT_ROOM } from './version.ts';
export { ERRORS, ERROR_CODES, isErrorCode, wireErrorOf, wireError, type ErrorCode, type WireError } from './errors.ts';
export { AUDIT_KINDS, AUDIT_KIND_NAMES, isAuditKind, type AuditKind } from './audit-kinds.ts';
export { ROLES, LAYOUTS, roleAllows, type Role, type Layout } from './roles.ts';
export {
  ROOM_NAMESPACE, YJS_PATH_PREFIX, DOC_NAMES, NOTES_TEXT, HEALTH_ROUTE, API_PREFIX, API_ROUTES, MAX_COMMAND_BYTES, apiPath, yjsRoomUrl, type DocName,
} from './endpoints.ts';
export {
  ENTITY_KINDS, ROOT_OF, SINGLETON_KINDS, META_ROOT, META, SONG_ID, epochOfRev,
  type EntityKind, type Rev, type MetaProps, type ProcessInfo, type SongProps, type TrackProps, type SceneProps, type ClipSlotProps,
  type ClipProps, type DeviceProps, type ParameterProps, type CuePointProps, type OrderProps, type Monitoring, type CrossfadeAssign, type SlotState,
} from './set-doc.ts';
export { controlOf, controlValue, PARAMETER_LISTS, type Control, type ControlCommand, type EntityLookup, type EntityRef } from './control.ts';
export { accessDenial, CONTROL_REQUEST, type AccessDenial, type AccessRequest, type AccessSubject, type RoomSwitches } from './access.ts';
export { ROOM_EVENTS, type RoomClientEvents, type RoomServerEvents } from './room-socket.ts';
export { sessionViewOf, sessionAnswerOf, healthOf, httpErrorOf } from './page-readers.ts';
export { NOTES_AWARENESS, notesCursorOf, notesUserOf, type NotesCursor, type NotesUser } from './notes-awareness.ts';
export type { ActionMode, TargetKind } from './actions/action.ts';
export type { Answer, Command, CommandInput, GesturePhase } from './command.ts';
export type {
  AuditEntry, CurrentSessionAnswer, Health, HostAck, HostCall, HostLoadMessage, HostPayload, HostSessionRow, HostValue, HttpError,
  JoinInfo, JoinRequestInput, LeasesMessage, LoadMessage, MetersMessage, Presence, RoomAuth, RoomState, SessionAnswer, SessionView,
  WelcomeMessage, YouMessage,
} from './room-events.ts';
