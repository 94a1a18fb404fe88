import { z } from 'zod';
import { RoleSchema, LayoutSchema, type Role, type Layout } from './roles.ts';
import type { WireError } from './errors.ts';

/** The cookie that carries the session token (HttpOnly; Secure; SameSite=Strict). */
export const SESSION_COOKIE = 'roomtone_session';

export const JoinRequestSchema = z.object({
  name: z.string().trim().min(1).max(40),
  code: z.string().trim().min(1).max(32),
  role: RoleSchema.default('member'),
  pin: z.string().max(32).optional(),
  layout: LayoutSchema.optional(),
}).strict();
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

/** What a session may know about itself. */
export interface SessionView {
  id: string;
  name: string;
  role: Role;
  layout: Layout;
  room: string;
  /** False when the host revoked this session's control. */
  canControl: boolean;
  /** Track ids assigned to this session; empty means no assignment restricts it. */
  assignedTracks: string[];
  expiresAt: number;
}

export interface RoomState {
  locked: boolean;
  frozen: boolean;
  /** Track id → session id; the hosts' view. Members get only `mine` in `you`. */
}

/** Anonymized load: about once a second and on change. No names, ids, IPs or targets. */
export interface LoadMessage {
  othersActive: number;
  othersTasksInFlight: number;
  queueDepth: number;
  agentLatencyMs: number | null;
  agentConnected: boolean;
  liveConnected: boolean;
  simulated: boolean;
  /** File uploads running now that are not the receiver's (bytes moved in the last seconds). */
  othersUploads: number;
  /** Downloads streaming now that are not the receiver's. */
  othersDownloads: number;
}

/** The host's identified view of the same. */
export interface HostLoadMessage extends LoadMessage {
  sessions: Array<{ id: string; name: string; role: Role; tasksInFlight: number; commandsPerMinute: number; uploads: number; downloads: number }>;
  /**
   * Wrong admin PINs in the room's budget window (H3): the console says someone is
   * guessing once `failures` is above 0, and that PIN entry is paused while
   * `pausedForMs` is.
   */
  pinGuessing: { failures: number; addresses: number; windowMs: number; pausedForMs: number };
}

/** Online: a socket is open. Away: the last one closed less than the grace period ago. Offline: longer. */
export type Presence = 'online' | 'away' | 'offline';

/**
 * The `you` event: changes to the receiver's own session. `refreshRequired` means the
 * host changed this session's role: the client POSTs /api/session/refresh (which
 * issues a new token cookie and applies a promotion), then reconnects its sockets.
 */
export type YouMessage = Partial<SessionView> & {
  refreshRequired?: boolean;
  /**
   * With a promotion: this socket's single-use ticket, sent back in the refresh's body
   * while the socket is open. Without it the refresh does not apply a promotion (H15).
   */
  promotionTicket?: string;
};

/** POST /api/session/refresh's body. */
export const SessionRefreshSchema = z.object({ ticket: z.string().max(64).optional() }).strict();

export interface HostSessionRow {
  id: string;
  name: string;
  role: Role;
  /** A promotion waits here until the session refreshes its token. */
  pendingRole?: Role;
  layout: Layout;
  ip: string;
  connected: boolean;
  presence: Presence;
  lastActiveAt: number;
  canControl: boolean;
  assignedTracks: string[];
  createdAt: number;
}

export interface AuditEntry {
  at: number;
  kind: string;
  sessionId?: string;
  name?: string;
  ip?: string;
  action?: string;
  target?: string | null;
  /** Who or what `target` names, in words (a session's name), where the server knows it. */
  targetName?: string;
  ok?: boolean;
  code?: string;
  detail?: string;
}

/** One accepted change, named: who, which action on what, with which arguments. */
export interface ActivityItem { name: string; action: string; target: string | null; args: Record<string, unknown>; at: number }
/** `activity`: changes by others, coalesced per person and control, to members and hosts only. */
export interface ActivityMessage { items: ActivityItem[] }

/** Controls someone holds a gesture lease on; anonymized (no holder). */
/** What the console projects: the join code and the link a tablet on the LAN can open. */
/** Another address of the studio machine, in case the QR code's is not the room's network. */
export interface JoinAddress { address: string; interface: string; kind: 'lan' | 'vpn' | 'virtual' | 'link-local'; defaultRoute: boolean; url: string }

export interface JoinInfo { code: string; joinUrl: string; addresses?: JoinAddress[] }

export interface LeasesMessage {
  held: Array<{ key: string; action: string; target: string | null; index?: number }>;
}

export type HostAck<T = unknown> = { ok: true; value: T } | { ok: false; error: WireError };

export { ROOM_EVENTS } from './room-event-names.ts';

export const HostLockSchema = z.object({ locked: z.boolean() }).strict();
export const HostFreezeSchema = z.object({ frozen: z.boolean() }).strict();
export const HostSetControlSchema = z.object({ sessionId: z.string().min(1).max(64), allowed: z.boolean() }).strict();
export const HostAssignTracksSchema = z.object({ sessionId: z.string().min(1).max(64), trackIds: z.array(z.string().min(1).max(64)).max(256) }).strict();
export const HostKickSchema = z.object({ sessionId: z.string().min(1).max(64) }).strict();
export const HostLetBackSchema = z.object({ removedId: z.string().min(1).max(64) }).strict();
/** Someone the host removed (kick): joins from their address are refused until they are let back in. */
export interface RemovedPersonView { id: string; name: string; ip: string; at: number }

export const HostSetRoleSchema = z.object({ sessionId: z.string().min(1).max(64), role: RoleSchema }).strict();
/** Devices one browser socket shows at once, at most (a track's chain and a few more). */
export const OBSERVE_PER_SOCKET = 32;
export const ObserveRequestSchema = z.object({ devices: z.array(z.string().min(1).max(64)).max(OBSERVE_PER_SOCKET) }).strict();
export type ObserveRequest = z.infer<typeof ObserveRequestSchema>;

export const HostAuditQuerySchema = z.object({
  kind: z.string().max(64).optional(),
  sessionId: z.string().max(64).optional(),
  onlyErrors: z.boolean().optional(),
  limit: z.number().int().min(1).max(1000).default(200),
}).strict();
