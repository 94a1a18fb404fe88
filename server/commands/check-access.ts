import { namedEntities, roleAllows, wireError, type ActionSpec, type Command, type WireError } from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';

export interface AccessContext {
  locked: boolean;
  frozen: boolean;
  /** The track an entity belongs to, for track assignments. */
  ownerTrack(id: string): string | null;
}

/** Role, revoked control, room lock, freeze and track assignment, in that order. */
export function checkAccess(session: Session, parsed: { command: Command; spec: ActionSpec }, room: AccessContext): WireError | null {
  const { spec, command } = parsed;
  if (!roleAllows(session.role, spec.minRole)) {
    return wireError('FORBIDDEN', `${spec.name} needs the ${spec.minRole} role; you joined as ${session.role}`);
  }
  const reads = spec.mode === 'read';
  if (!reads && !session.canControl && session.role !== 'host') {
    return wireError('FORBIDDEN', 'the host has paused your control');
  }
  if (room.frozen && !reads) return wireError('FROZEN', 'the room is frozen: nothing reaches Live until the host thaws it');
  if (room.locked && session.role !== 'host' && !reads) return wireError('ROOM_LOCKED', 'the host locked the room');
  if (!reads && session.role !== 'host' && session.assignedTracks.length > 0) {
    // Song-wide actions name no track, so an assigned session may not send them.
    const named = namedEntities(spec, command.target, command.args);
    if (named.length === 0) return wireError('FORBIDDEN', 'you are assigned to other tracks');
    for (const { id, arg } of named) {
      const track = room.ownerTrack(id);
      if (!track || !session.assignedTracks.includes(track)) {
        return wireError('FORBIDDEN', arg ? `you are assigned to other tracks (args.${arg} is on another track)` : 'you are assigned to other tracks');
      }
    }
  }
  return null;
}
