import type { Layout, Role, SessionView } from '../../protocol/index.ts';

/** Server-side session record. The token itself is never stored, only its hash. */
export interface Session {
  id: string;
  tokenHash: string;
  name: string;
  role: Role;
  layout: Layout;
  room: string;
  ip: string;
  createdAt: number;
  lastActiveAt: number;
  canControl: boolean;
  assignedTracks: string[];
  /**
   * Set when the host changed the role: the token must be regenerated (POST
   * /api/session/refresh). A promotion waits in pendingRole until then, so a copy of
   * the old token never gains the new powers; a demotion applies at once.
   */
  refreshRequired?: boolean;
  pendingRole?: Role;
}

export function viewOf(session: Session, expiresAt: number): SessionView {
  return {
    id: session.id,
    name: session.name,
    role: session.role,
    layout: session.layout,
    room: session.room,
    canControl: session.canControl,
    assignedTracks: [...session.assignedTracks],
    expiresAt,
  };
}
