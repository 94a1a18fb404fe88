import { z } from 'zod';
import { RoleSchema, LayoutSchema } from '../../protocol/role-schema.ts';

/** What is kept of a session: never the token, only its SHA-256. */
export const PersistedSessionSchema = z.object({
  id: z.string(),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  room: z.string(),
  name: z.string(),
  role: RoleSchema,
  layout: LayoutSchema,
  ip: z.string(),
  createdAt: z.number(),
  lastActiveAt: z.number(),
  canControl: z.boolean(),
  assignedTracks: z.array(z.string()),
  refreshRequired: z.boolean().optional(),
  pendingRole: RoleSchema.optional(),
});

export const PersistedRoomSchema = z.object({
  id: z.string(),
  joinCode: z.string(),
  locked: z.boolean(),
  frozen: z.boolean(),
  createdAt: z.number(),
});

export const PersistedDeviceSchema = z.object({
  id: z.string(),
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  label: z.string(),
  createdAt: z.number(),
});

/** A kicked token's hash, kept until the session would have expired, so it answers KICKED. */
export const KickedTokenSchema = z.object({ tokenHash: z.string(), sessionId: z.string(), until: z.number() });
export type KickedToken = z.infer<typeof KickedTokenSchema>;

/**
 * Someone the host removed: joins from their address are refused until the host lets them
 * back or rotates the join code (a new code lifts every removal).
 */
export const RemovedPersonSchema = z.object({ id: z.string(), name: z.string(), ip: z.string(), sessionId: z.string(), at: z.number() });
export type RemovedPerson = z.infer<typeof RemovedPersonSchema>;

export const StateFileSchema = z.object({
  version: z.literal(1),
  createdAt: z.number(),
  rooms: z.record(z.string(), PersistedRoomSchema),
  sessions: z.record(z.string(), PersistedSessionSchema),
  devices: z.record(z.string(), PersistedDeviceSchema),
  kicked: z.array(KickedTokenSchema),
  /** Absent in files written before removals were kept. */
  removed: z.array(RemovedPersonSchema).default([]),
});
export type StateFile = z.infer<typeof StateFileSchema>;

/** Each room's `notes` Y.Doc as one base64 update (Y.encodeStateAsUpdate). */
export const NotesFileSchema = z.object({
  version: z.literal(1),
  docs: z.record(z.string(), z.string()),
});
export type NotesFile = z.infer<typeof NotesFileSchema>;

export const emptyState = (): StateFile => ({ version: 1, createdAt: Date.now(), rooms: {}, sessions: {}, devices: {}, kicked: [], removed: [] });
export const emptyNotes = (): NotesFile => ({ version: 1, docs: {} });
