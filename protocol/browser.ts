/**
 * The contract as the page needs it, without zod: constants, names, the pure rules
 * (access, control) and the message types. Values come only from zod-free modules and
 * everything else is `export type` (a test walks this module's imports and fails if a
 * runtime import reaches zod). The page's inputs are typed by the event maps; the
 * server parses everything the page sends. Add what the page needs here.
 */
export { PROTOCOL_VERSION, DEFAULT_ROOM } from './version.ts';
export { isErrorCode, wireErrorOf, type ErrorCode, type WireError } from './errors.ts';
export { ROLES, type Role, type Layout } from './roles.ts';
export { CLOSE_NOTES_REFUSED, CLOSE_TOO_MANY_CONNECTIONS, reconnectsAfter } from './doc-close-codes.ts';
export { NOTES_MAX_UPDATE_BYTES } from './notes-limits.ts';
export { ROOM_NAMESPACE, DOC_NAMES, NOTES_TEXT, HEALTH_ROUTE, JOIN_CODE_PARAM, apiPath, joinLink, yjsRoomUrl } from './endpoints.ts';
export { LAUNCH_QUANTIZATIONS, ENTITY_KINDS, ROOT_OF, SINGLETON_KINDS, META_ROOT, META, type EntityKind, type MetaProps } from './set-doc.ts';
export { controlOf, type Control, type EntityLookup, type EntityRef } from './control.ts';
export { accessDenial, CONTROL_REQUEST, type AccessDenial } from './access.ts';
export { ROOM_EVENTS, type RoomClientEvents, type RoomServerEvents } from './room-socket.ts';
export { deviceBanksOf, type DeviceBank } from './page-readers.ts';
export { sessionAnswerOf, healthOf, httpErrorOf, metaOf, filesListingOf, takesListingOf, uploadAnswerOf } from './page-readers.ts';
export { FILE_ROUTES, UPLOAD_METADATA, uploadPath, fileDownloadPath, takeDownloadPath } from './files.ts';
export type { FileLimits, FilesListing, HostFilesView, StoredFileView, TakesListing, UploadAnswer } from './file-schemas.ts';
export { entityOf, type Entity } from './entity-readers.ts';
export { NOTES_AWARENESS, caretColour, caretUserOf, notesCursorOf, type NotesCursor, type NotesUser } from './notes-awareness.ts';
export type { Answer, Command, GesturePhase } from './command.ts';
export { MoveGate } from './gesture-flow.ts';
export { LIVE_PALETTE } from './palette.ts';
export type {
  ActivityItem, AuditEntry, Health, HostAck, HostCall, HostLoadMessage, HostPayload, HostSessionRow, HostValue, JoinRequestInput, LoadMessage,
  JoinAddress, Presence, RemovedPersonView, RoomAuth, RoomState, SessionRefresh, SessionView,
} from './room-events.ts';
export { readIntentAnswer } from './intent-guard.ts';
export type { IntentAnswer, IntentCommand } from './intent.ts';
export { volumeToDb, dbToVolume } from './volume-law.ts';
