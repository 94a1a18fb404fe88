import type { ROOM_EVENTS as PROTOCOL_EVENTS } from '../../../protocol/room-events.ts';

/**
 * The /room event names. Typed against protocol/room-events.ts (a rename there fails the
 * type check here) but spelled out so the browser bundle does not pull zod in with the
 * runtime schemas that module also defines.
 */
export const ROOM_EVENTS: typeof PROTOCOL_EVENTS = {
  command: 'command',
  welcome: 'welcome',
  room: 'room',
  load: 'load',
  leases: 'leases',
  meters: 'meters',
  kicked: 'kicked',
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
};
