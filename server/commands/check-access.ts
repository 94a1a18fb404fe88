import { accessDenial, namedEntities, wireError, type AccessDenial, type ActionSpec, type Command, type WireError } from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';

export interface AccessContext {
  locked: boolean;
  frozen: boolean;
  /** The track an entity belongs to, for track assignments. */
  ownerTrack(id: string): string | null;
}

/** Step 4 of P1: the access rule of protocol/access.ts (AC1–AC5), in the server's words. */
export function checkAccess(session: Session, parsed: { command: Command; spec: ActionSpec }, room: AccessContext): WireError | null {
  const { spec, command } = parsed;
  // Every entity the command names, target and arguments alike (H6), by its track.
  const named = namedEntities(spec, command.target, command.args).map(({ id, arg }) => ({ track: room.ownerTrack(id), ...(arg !== undefined ? { arg } : {}) }));
  const denial = accessDenial(session, room, { minRole: spec.minRole, mode: spec.mode, named });
  return denial ? wireError(denial.code, message(denial, spec, session)) : null;
}

function message(denial: AccessDenial, spec: ActionSpec, session: Session): string {
  switch (denial.reason) {
    case 'role': return `${spec.name} needs the ${denial.needs} role; you joined as ${session.role}`;
    case 'revoked': return 'the host has paused your control';
    case 'frozen': return 'the room is frozen: nothing reaches Live until the host thaws it';
    case 'locked': return 'the host locked the room';
    case 'assignment': return denial.arg !== undefined ? `you are assigned to other tracks (args.${denial.arg} is on another track)` : 'you are assigned to other tracks';
  }
}
