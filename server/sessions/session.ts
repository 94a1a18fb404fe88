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
