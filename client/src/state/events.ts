/** The /room event names, straight from the protocol (a zod-free module). */
export { ROOM_EVENTS } from '../../../protocol/room-event-names.ts';
