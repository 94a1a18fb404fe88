import { z } from 'zod';
import { WireErrorSchema } from './error-schema.ts';
import type { WireError } from './errors.ts';
import { DEFAULT_ROOM } from './version.ts';
import { ENTITY_KINDS } from './set-doc.ts';

/**
 * The server <-> host agent wire: socket.io namespace AGENT_NAMESPACE on its own path
 * (AGENT_SOCKET_PATH). The agent connects outbound with `auth: AgentAuth`. The server
 * refuses a wrong token (UNAUTHENTICATED), another protocol (PROTOCOL_MISMATCH) and a
 * second agent for a room (AGENT_CONFLICT) unless takeover is asked for. Each side
 * parses what the other sends with the schemas below. The Remote Script's lines reuse
 * the bodies (script-lines.ts): the agent relays them as they are.
 */

export const AgentAuthSchema = z.object({
  token: z.string().min(16).max(256),
  protocol: z.number().int(),
  room: z.string().min(1).max(64).default(DEFAULT_ROOM),
  takeover: z.boolean().optional(),
  agentId: z.string().max(64).optional(),
});
export type AgentAuth = z.input<typeof AgentAuthSchema>;

export const EntityChangeSchema = z.object({
  kind: z.enum(ENTITY_KINDS),
  id: z.string().min(1).max(64),
  rev: z.string().optional(),
  removed: z.literal(true).optional(),
  props: z.record(z.string(), z.unknown()).optional(),
});
export type EntityChange = z.infer<typeof EntityChangeSchema>;

export const LiveInfoSchema = z.object({
  version: z.string(),
  simulated: z.boolean(),
  python: z.string().optional(),
});
export type LiveInfo = z.infer<typeof LiveInfoSchema>;

/** One command on its way to Live. */
export const AgentCommandSchema = z.object({
  id: z.string().min(1).max(64),
  action: z.string().min(1).max(64),
  target: z.string().min(1).max(64).nullable(),
  args: z.record(z.string(), z.unknown()),
  baseRev: z.string().min(1).max(64).optional(),
  /** Wall-clock epoch ms; the agent and the script drop the command past it (TIMEOUT). */
  deadline: z.number(),
});
export type AgentCommand = z.infer<typeof AgentCommandSchema>;

/** A command's result as the Remote Script sends it (rev and value may be absent). */
export const ScriptResultSchema = z.union([
  z.object({ id: z.string().max(64), ok: z.literal(true), rev: z.string().nullable().optional(), value: z.unknown().optional() }),
  z.object({ id: z.string().max(64), ok: z.literal(false), error: WireErrorSchema }),
]);
export type ScriptResult = z.infer<typeof ScriptResultSchema>;

/** A command's result once the server resolved it: exactly one per dispatched command. */
export type AgentResult =
  | { id: string; ok: true; rev: string | null; value: unknown }
  | { id: string; ok: false; error: WireError };

/** Entity changes from one Live tick. */
export const EventsBodySchema = z.object({ epoch: z.string().max(64), seq: z.number().int(), changes: z.array(EntityChangeSchema).max(100_000) });
export type EventsBody = z.infer<typeof EventsBodySchema>;

/** Live's full state after (re)connecting. */
// building: the script is still reading the set; what the snapshot lacks follows as events
export const SnapshotBodySchema = z.object({ epoch: z.string().max(64), live: LiveInfoSchema, entities: z.array(EntityChangeSchema).max(200_000), building: z.boolean().optional() });
export type SnapshotBody = z.infer<typeof SnapshotBodySchema>;

/**
 * Track levels ([left, right] by track id), the song position and playing clips' positions
 * (by clip id), at a bounded rate: only what moved since the previous frame. The same
 * frame goes on to the pages (`meters` on /room) and into MeterState.
 */
export const MetersBodySchema = z.object({
  levels: z.record(z.string(), z.tuple([z.number(), z.number()])),
  position: z.number().optional(),
  clips: z.record(z.string(), z.number()).optional(),
});
export type MetersBody = z.infer<typeof MetersBodySchema>;

/** The agent's view of its Live link. */
export const AgentStatusSchema = z.object({
  liveConnected: z.boolean(),
  live: LiveInfoSchema.nullable(),
  epoch: z.string().nullable(),
  /** Median round trip agent <-> script over the last few seconds. */
  latencyMs: z.number().nullable(),
});
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

export const AGENT_EVENTS = {
  /** server -> agent: a batch of commands to run. */
  commands: 'commands',
  /** server -> agent: please send a fresh snapshot. */
  snapshotRequest: 'snapshot_request',
  /** agent -> server: results for commands, in any grouping. */
  results: 'results',
  /** agent -> server: entity changes from one Live tick. */
  events: 'events',
  /** agent -> server: full state after (re)connecting to Live. */
  snapshot: 'snapshot',
  /** agent -> server: Live link status. */
  status: 'status',
  /** agent -> server, volatile: levels and position. */
  meters: 'meters',
  /** server -> agent: `{ devices }`, every device a browser has open; the agent tells Live (observe line). */
  observe: 'observe',
} as const satisfies Record<string, keyof AgentServerEvents | keyof AgentClientEvents>;

/** Server -> agent, as the server sends them. */
export type AgentServerEvents = {
  commands: (batch: AgentCommand[]) => void;
  snapshot_request: () => void;
  observe: (message: AgentObserveMessage) => void;
};

/** Agent -> server, as the agent sends them. */
export interface AgentClientEvents {
  results: (results: ScriptResult[]) => void;
  events: (body: EventsBody) => void;
  snapshot: (body: SnapshotBody) => void;
  status: (status: AgentStatus) => void;
  meters: (body: MetersBody) => void;
}

/** The same events as each side receives them: unparsed until their schema passed. */
export type AgentReceivedByServer = { [E in keyof AgentClientEvents]: (payload: unknown) => void };
export type AgentReceivedByAgent = { commands: (batch: unknown) => void; snapshot_request: () => void; observe: (message: unknown) => void };

/** Largest command batch the agent accepts in one message (the server's window is 256). */
export const AGENT_BATCH_LIMIT = 10_000;
/** A batch as the agent parses it: each command on its own, so one bad entry costs only itself. */
export const AgentBatchSchema = z.array(z.unknown()).max(AGENT_BATCH_LIMIT);

/** Most devices one `observe` may name (the union of every browser's open panels). */
export const OBSERVE_LIMIT = 256;
/** server -> agent `observe`: the devices browsers look at; their parameters are mirrored. */
export const AgentObserveMessageSchema = z.object({ devices: z.array(z.string().min(1).max(64)).max(OBSERVE_LIMIT) });
export type AgentObserveMessage = z.infer<typeof AgentObserveMessageSchema>;
