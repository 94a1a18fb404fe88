/**
 * socket.io event names on the `/room` namespace. Kept free of runtime schemas so the
 * browser bundle can import them without pulling zod in.
 */
export const ROOM_EVENTS = {
  command: 'command',
  /** Words to commands, previewed before anything runs (protocol/intent.ts). */
  intentParse: 'intent.parse',
  welcome: 'welcome',
  room: 'room',
  load: 'load',
  leases: 'leases',
  meters: 'meters',
  kicked: 'kicked',
  stopping: 'stopping',
  activity: 'activity',
  /** server → this socket only: it is being closed, and why (a WireError; TOO_MANY_CONNECTIONS). */
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
} as const;
