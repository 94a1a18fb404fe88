import { z } from 'zod';
import type { HealthReport, ProcessReport } from './health.ts';
import { LayoutSchema, RoleSchema } from './role-schema.ts';
import { WireErrorSchema } from './error-schema.ts';
import { DeletedFileSchema, FileLimitsSchema, HostFileDeleteSchema, HostFilesSettingsSchema, HostFilesViewSchema } from './file-schemas.ts';
import type { WireError } from './errors.ts';
import { MetersBodySchema } from './agent-messages.ts';

/**
 * Every message on socket.io `/room` and over HTTP between a browser and the server,
 * each with its runtime schema. The server parses what browsers send; Node clients (the
 * test kit, the bench) parse what the server sends; the page types it through the event
 * maps in room-socket.ts (it does not load zod). docs/protocol.md is the prose.
 */

const SessionIdSchema = z.string().min(1).max(64);
const EntityIdSchema = z.string().min(1).max(64);

/** The browser's socket.io handshake: `auth: { protocol }`. */
export const RoomAuthSchema = z.object({ protocol: z.number().int().optional() });
export type RoomAuth = z.input<typeof RoomAuthSchema>;

export const JoinRequestSchema = z.object({
  name: z.string().trim().min(1).max(40),
  code: z.string().trim().min(1).max(32),
  role: RoleSchema.default('member'),
  pin: z.string().max(32).optional(),
  layout: LayoutSchema.optional(),
}).strict();
/** A join as the server reads it (role defaulted). */
export type JoinRequest = z.output<typeof JoinRequestSchema>;
/** A join as a browser sends it. */
export type JoinRequestInput = z.input<typeof JoinRequestSchema>;

/** What a session may know about itself. */
export const SessionViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  layout: LayoutSchema,
  room: z.string(),
  /** False when the host revoked this session's control. */
  canControl: z.boolean(),
  /** Track ids assigned to this session; empty means no assignment restricts it. */
  assignedTracks: z.array(z.string()),
  expiresAt: z.number(),
});
export type SessionView = z.infer<typeof SessionViewSchema>;

/** `POST /api/join`, `POST /api/session/refresh`: the session. */
export const SessionAnswerSchema = z.object({ session: SessionViewSchema });
export type SessionAnswer = z.infer<typeof SessionAnswerSchema>;

/** `GET /api/session`: the session, and whether the host changed its role (refresh the token). */
export const CurrentSessionAnswerSchema = z.object({ session: SessionViewSchema, refreshRequired: z.boolean() });
export type CurrentSessionAnswer = z.infer<typeof CurrentSessionAnswerSchema>;

/** Every HTTP refusal: `{ error: { code, message, ... } }` with the registry's status. */
export const HttpErrorSchema = z.object({ error: WireErrorSchema });
export type HttpError = z.infer<typeof HttpErrorSchema>;

export const ProcessInfoSchema = z.object({
  name: z.string(),
  phase: z.enum(['starting', 'running', 'restarting', 'failed', 'stopped']),
  running: z.boolean(),
  restarts: z.number(),
  lastExit: z.string().nullable(),
  error: z.string().nullable(),
}) satisfies z.ZodType<ProcessReport>;

/** `GET /healthz` and `GET /readyz` (protocol/health.ts). */
export const HealthSchema = z.object({
  ok: z.boolean(),
  version: z.string(),
  stopping: z.boolean(),
  agent: z.object({ connected: z.boolean() }),
  live: z.object({ mode: z.enum(['real', 'sim', 'none']), connected: z.boolean(), version: z.string().nullable() }),
  processes: z.array(ProcessInfoSchema),
}) satisfies z.ZodType<HealthReport>;
export type Health = HealthReport;

export const RoomStateSchema = z.object({ locked: z.boolean(), frozen: z.boolean() });
export type RoomState = z.infer<typeof RoomStateSchema>;

/**
 * `welcome`: sent once per connection. `instance` is the set doc's current `meta.instance`
 * (M5); `actor` is this session's tag in `activity` items.
 */
export const WelcomeMessageSchema = z.object({
  session: SessionViewSchema,
  room: RoomStateSchema,
  protocol: z.number().int(),
  instance: z.string(),
  actor: z.string().optional(),
});
export type WelcomeMessage = z.infer<typeof WelcomeMessageSchema>;

/**
 * `you`: changes to the receiver's own session. `refreshRequired` means the host changed
 * this session's role: the client POSTs /api/session/refresh (which issues a new token
 * cookie and applies a promotion), then reconnects its sockets.
 */
export const YouMessageSchema = SessionViewSchema.partial().extend({
  refreshRequired: z.boolean().optional(),
  /**
   * With a promotion: this socket's single-use ticket, sent back in the refresh's body
   * while the socket is open. Without it the refresh does not apply a promotion (H15).
   */
  promotionTicket: z.string().max(64).optional(),
});
export type YouMessage = z.infer<typeof YouMessageSchema>;

/** `POST /api/session/refresh`'s body. */
export const SessionRefreshSchema = z.object({ ticket: z.string().max(64).optional() }).strict();
export type SessionRefresh = z.infer<typeof SessionRefreshSchema>;

/** Anonymized load: about once a second and on change. No names, ids, IPs or targets. */
export const LoadMessageSchema = z.object({
  othersActive: z.number(),
  othersTasksInFlight: z.number(),
  queueDepth: z.number(),
  agentLatencyMs: z.number().nullable(),
  agentConnected: z.boolean(),
  liveConnected: z.boolean(),
  simulated: z.boolean(),
  /** File uploads running now that are not the receiver's (bytes moved in the last seconds). */
  othersUploads: z.number(),
  /** Downloads streaming now that are not the receiver's. */
  othersDownloads: z.number(),
}).strict();
export type LoadMessage = z.infer<typeof LoadMessageSchema>;

/** The host's identified view of the same. */
export const HostLoadMessageSchema = LoadMessageSchema.extend({
  sessions: z.array(z.object({ id: z.string(), name: z.string(), role: RoleSchema, tasksInFlight: z.number(), commandsPerMinute: z.number(), uploads: z.number(), downloads: z.number() })),
  /**
   * Wrong admin PINs in the room's budget window (H3): the console says someone is
   * guessing once `failures` is above 0, and that PIN entry is paused while
   * `pausedForMs` is.
   */
  pinGuessing: z.object({ failures: z.number(), addresses: z.number(), windowMs: z.number(), pausedForMs: z.number() }),
});
export type HostLoadMessage = z.infer<typeof HostLoadMessageSchema>;

/** Controls someone holds a gesture lease on, anonymized (no holder). `key` is controlOf(command).key. */
export const LeasesMessageSchema = z.object({
  held: z.array(z.object({ key: z.string(), action: z.string(), target: z.string().nullable(), index: z.number().optional() })),
});
export type LeasesMessage = z.infer<typeof LeasesMessageSchema>;

/**
 * Track levels, the song position and playing clips' positions: not state, so they
 * travel outside the `set` doc, volatile. The frame the script measured (MetersBody).
 */
export const MetersMessageSchema = MetersBodySchema;
export type MetersMessage = z.infer<typeof MetersMessageSchema>;

/** `answer`: a command's answer when it was sent without an acknowledgement callback. */
export const AnswerEventSchema = z.union([
  z.object({ id: z.string().nullable(), ok: z.literal(true), rev: z.string().nullable(), value: z.unknown() }),
  z.object({ id: z.string().nullable(), ok: z.literal(false), error: WireErrorSchema }),
]);
export type AnswerEvent = z.infer<typeof AnswerEventSchema>;

/** Online: a socket is open. Away: the last one closed less than the grace period ago. Offline: longer. */
export const PresenceSchema = z.enum(['online', 'away', 'offline']);
export type Presence = z.infer<typeof PresenceSchema>;

export const HostSessionRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: RoleSchema,
  /** A promotion waits here until the session refreshes its token. */
  pendingRole: RoleSchema.optional(),
  layout: LayoutSchema,
  ip: z.string(),
  connected: z.boolean(),
  presence: PresenceSchema,
  lastActiveAt: z.number(),
  canControl: z.boolean(),
  assignedTracks: z.array(z.string()),
  createdAt: z.number(),
});
export type HostSessionRow = z.infer<typeof HostSessionRowSchema>;

export const AuditEntrySchema = z.object({
  at: z.number(),
  kind: z.string(),
  sessionId: z.string().optional(),
  name: z.string().optional(),
  ip: z.string().optional(),
  action: z.string().optional(),
  target: z.string().nullable().optional(),
  /** Who or what `target` names, in words (a session's name), where the server knows it. */
  targetName: z.string().optional(),
  ok: z.boolean().optional(),
  code: z.string().optional(),
  detail: z.string().optional(),
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;

/**
 * One accepted change, named: who, which action on what, with which arguments. `actor`
 * is the author's opaque tag (welcome.actor on the author's own page), never a session id.
 */
export const ActivityItemSchema = z.object({ name: z.string(), action: z.string(), target: z.string().nullable(), args: z.record(z.string(), z.unknown()), at: z.number(), actor: z.string().optional() });
export type ActivityItem = z.infer<typeof ActivityItemSchema>;
/**
 * `activity`: changes, coalesced per person and control, to members and hosts only. One
 * message for all of them (encoded once): each page leaves out the items whose `actor` is
 * its own `welcome.actor`.
 */
export const ActivityMessageSchema = z.object({ items: z.array(ActivityItemSchema) });
export type ActivityMessage = z.infer<typeof ActivityMessageSchema>;

/** What the console projects: the join code and the link a tablet on the LAN can open. */
/** Another address of the studio machine, in case the QR code's is not the room's network. */
export const JoinAddressSchema = z.object({
  address: z.string(),
  interface: z.string(),
  kind: z.enum(['lan', 'vpn', 'virtual', 'link-local']),
  defaultRoute: z.boolean(),
  url: z.string(),
});
export type JoinAddress = z.infer<typeof JoinAddressSchema>;
export const JoinInfoSchema = z.object({ code: z.string(), joinUrl: z.string(), addresses: z.array(JoinAddressSchema).optional() });

/** host:kick's value: the kicked session, the removal (for host:let_back) and every session of that person it ended. */
export const KickedSessionSchema = z.object({ sessionId: z.string(), removedId: z.string(), sessions: z.array(z.string()) });

/** Someone the host removed (kick): joins from their address are refused until they are let back in. */
export const RemovedPersonViewSchema = z.object({ id: z.string(), name: z.string(), ip: z.string(), at: z.number() });
export type RemovedPersonView = z.infer<typeof RemovedPersonViewSchema>;

// host:* payloads (browser -> server).
export const HostLockSchema = z.object({ locked: z.boolean() }).strict();
export const HostFreezeSchema = z.object({ frozen: z.boolean() }).strict();
export const HostSetControlSchema = z.object({ sessionId: SessionIdSchema, allowed: z.boolean() }).strict();
export const HostAssignTracksSchema = z.object({ sessionId: SessionIdSchema, trackIds: z.array(EntityIdSchema).max(256) }).strict();
export const HostKickSchema = z.object({ sessionId: SessionIdSchema }).strict();
export const HostLetBackSchema = z.object({ removedId: z.string().min(1).max(64) }).strict();
export const HostSetRoleSchema = z.object({ sessionId: SessionIdSchema, role: RoleSchema }).strict();
/** Devices one browser socket shows at once, at most (a track's chain and a few more). */
export const OBSERVE_PER_SOCKET = 32;
/** `observe` (browser -> server): the device panels this socket shows now (replaces the last). */
export const ObserveRequestSchema = z.object({ devices: z.array(EntityIdSchema).max(OBSERVE_PER_SOCKET) }).strict();
export type ObserveRequest = z.infer<typeof ObserveRequestSchema>;

export const HostAuditQuerySchema = z.object({
  kind: z.string().max(64).optional(),
  sessionId: z.string().max(64).optional(),
  onlyErrors: z.boolean().optional(),
  limit: z.number().int().min(1).max(1000).default(200),
}).strict();
export const HostNoPayloadSchema = z.object({}).strict();

/**
 * Every host power: its payload's schema and its value's schema. The acknowledgement
 * is `{ ok: true, value }` or `{ ok: false, error }` (HostAck).
 */
export const HOST_CALLS = {
  'host:lock': { payload: HostLockSchema, value: RoomStateSchema },
  'host:freeze': { payload: HostFreezeSchema, value: RoomStateSchema },
  'host:set_control': { payload: HostSetControlSchema, value: HostSessionRowSchema },
  'host:assign_tracks': { payload: HostAssignTracksSchema, value: HostSessionRowSchema },
  'host:kick': { payload: HostKickSchema, value: KickedSessionSchema },
  'host:rotate_code': { payload: HostNoPayloadSchema, value: JoinInfoSchema },
  'host:join_info': { payload: HostNoPayloadSchema, value: JoinInfoSchema },
  'host:removed': { payload: HostNoPayloadSchema, value: z.array(RemovedPersonViewSchema) },
  'host:let_back': { payload: HostLetBackSchema, value: z.object({ id: z.string() }) },
  'host:sessions': { payload: HostNoPayloadSchema, value: z.array(HostSessionRowSchema) },
  'host:audit': { payload: HostAuditQuerySchema, value: z.array(AuditEntrySchema) },
  'host:set_role': { payload: HostSetRoleSchema, value: HostSessionRowSchema },
  'host:files': { payload: HostNoPayloadSchema, value: HostFilesViewSchema },
  'host:files_settings': { payload: HostFilesSettingsSchema, value: FileLimitsSchema },
  'host:file_delete': { payload: HostFileDeleteSchema, value: DeletedFileSchema },
} as const satisfies Record<`host:${string}`, { payload: z.ZodType; value: z.ZodType }>;

export type HostCall = keyof typeof HOST_CALLS;
/** A host power's payload as the browser sends it. */
export type HostPayload<E extends HostCall> = z.input<(typeof HOST_CALLS)[E]['payload']>;
/** A host power's payload after the server's parse (defaults applied). */
export type HostParsedPayload<E extends HostCall> = z.output<(typeof HOST_CALLS)[E]['payload']>;
export type HostValue<E extends HostCall> = z.infer<(typeof HOST_CALLS)[E]['value']>;

export type HostAck<T> = { ok: true; value: T } | { ok: false; error: WireError };

type HostCallSchemas = {
  readonly [E in HostCall]: { payload: z.ZodType<HostParsedPayload<E>, HostPayload<E>>; value: z.ZodType<HostValue<E>> };
};
const HOST_CALL_SCHEMAS: HostCallSchemas = HOST_CALLS;

/** One host power's schemas, typed by its name (for code generic over the power). */
export function hostCallSchemas<E extends HostCall>(event: E): HostCallSchemas[E] {
  return HOST_CALL_SCHEMAS[event];
}

/** The acknowledgement schema of one host power, for Node clients that parse it. */
export function hostAckSchema<E extends HostCall>(event: E) {
  return z.union([
    z.object({ ok: z.literal(true), value: hostCallSchemas(event).value }),
    z.object({ ok: z.literal(false), error: WireErrorSchema }),
  ]);
}
