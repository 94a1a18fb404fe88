import { roleAllows, type Role } from './roles.ts';
import type { ActionMode } from './actions/action.ts';

/**
 * Who may do what, as one pure rule: the server's check (server/commands/check-access.ts)
 * and the page's "can I / why not" both call accessDenial(), so the page disables exactly
 * what the server would refuse. Rules AC1–AC5 in docs/protocol.md, in this order.
 */

export interface AccessSubject {
  role: Role;
  /** False when the host revoked this session's control. */
  canControl: boolean;
  /** Track ids the session is assigned to; empty: no assignment restricts it. */
  assignedTracks: readonly string[];
}

export interface RoomSwitches {
  locked: boolean;
  frozen: boolean;
}

/** One entity a command names, by the track it belongs to (itself for a track; null: song-level or unknown). */
export interface NamedTrack {
  track: string | null;
  /** The argument that names it (the catalogue's `entityArgs`); absent for the target. */
  arg?: string;
}

export interface AccessRequest {
  /** The action's least role (the catalogue's `minRole`). */
  minRole: Role;
  mode: ActionMode;
  /**
   * Every entity the command names, target and entity arguments alike (namedEntities() in
   * actions/action.ts): an id in an argument is as much a write as the target (H6). None:
   * a song-wide action.
   */
  named: readonly NamedTrack[];
}

export type AccessDenial =
  | { code: 'FORBIDDEN'; rule: 'AC1'; reason: 'role'; needs: Role }
  | { code: 'FORBIDDEN'; rule: 'AC2'; reason: 'revoked' }
  | { code: 'FROZEN'; rule: 'AC3'; reason: 'frozen' }
  | { code: 'ROOM_LOCKED'; rule: 'AC4'; reason: 'locked' }
  | { code: 'FORBIDDEN'; rule: 'AC5'; reason: 'assignment'; arg?: string };

/** A write anything a member may send; what the page asks when it enables a control. */
export const CONTROL_REQUEST: Omit<AccessRequest, 'named'> = { minRole: 'member', mode: 'edit' };

/**
 * AC1 the action's least role; AC2 a revoked session sends nothing but reads (hosts
 * exempt); AC3 a frozen room sends nothing but reads, hosts included; AC4 a locked room
 * takes writes from hosts only; AC5 a session with assigned tracks writes only to
 * entities on those tracks — the target and every entity argument — so not song-wide
 * (hosts exempt).
 */
export function accessDenial(subject: AccessSubject, room: RoomSwitches, request: AccessRequest): AccessDenial | null {
  if (!roleAllows(subject.role, request.minRole)) return { code: 'FORBIDDEN', rule: 'AC1', reason: 'role', needs: request.minRole };
  if (request.mode === 'read') return null;
  const host = subject.role === 'host';
  if (!subject.canControl && !host) return { code: 'FORBIDDEN', rule: 'AC2', reason: 'revoked' };
  if (room.frozen) return { code: 'FROZEN', rule: 'AC3', reason: 'frozen' };
  if (room.locked && !host) return { code: 'ROOM_LOCKED', rule: 'AC4', reason: 'locked' };
  if (!host && subject.assignedTracks.length > 0) {
    if (request.named.length === 0) return { code: 'FORBIDDEN', rule: 'AC5', reason: 'assignment' };
    const outside = request.named.find(({ track }) => track === null || !subject.assignedTracks.includes(track));
    if (outside) return { code: 'FORBIDDEN', rule: 'AC5', reason: 'assignment', ...(outside.arg !== undefined ? { arg: outside.arg } : {}) };
  }
  return null;
}
