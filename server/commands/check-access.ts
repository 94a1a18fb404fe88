import { accessDenial, wireError, type AccessDenial, type ActionSpec, type Command, type WireError } from '../../protocol/index.ts';
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
  const track = command.target ? room.ownerTrack(command.target) : null;
  const denial = accessDenial(session, room, { minRole: spec.minRole, mode: spec.mode, track });
  return denial ? wireError(denial.code, message(denial, spec, session)) : null;
}

function message(denial: AccessDenial, spec: ActionSpec, session: Session): string {
  switch (denial.reason) {
    case 'role': return `${spec.name} needs the ${denial.needs} role; you joined as ${session.role}`;
    case 'revoked': return 'the host has paused your control';
    case 'frozen': return 'the room is frozen: nothing reaches Live until the host thaws it';
    case 'locked': return 'the host locked the room';
    case 'assignment': return 'you are assigned to other tracks';
  }
}
