import { z } from 'zod';
import { ScriptResultSchema, type EntityChange, type LiveInfo } from './script-lines.ts';
import type { WireError } from './errors.ts';

/**
 * The server <-> host agent wire: socket.io namespace `/agent` (path AGENT_SOCKET_PATH). The agent connects
 * outbound with `auth: { token, protocol, room, takeover? }`. The server refuses a
 * wrong token (UNAUTHENTICATED), another protocol (PROTOCOL_MISMATCH) and a second
 * agent for a room (AGENT_CONFLICT) unless takeover is asked for.
 */
/**
 * The agent's socket.io server has its own path, apart from the browsers' `/socket.io/`:
 * a snapshot of a big set is megabytes (up to one 8 MiB script line), far more than
 * the 512 KB a browser may send, and only a device-token holder may send that much.
 */
export const AGENT_SOCKET_PATH = '/agent.io/';
/** The device token also travels as this header, so the server refuses strangers before any message. */
export const AGENT_TOKEN_HEADER = 'x-roomtone-agent-token';
/** Largest message on the agent's socket: one script line plus JSON overhead. */
export const AGENT_MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export const AgentAuthSchema = z.object({
  token: z.string().min(16).max(256),
  protocol: z.number().int(),
  room: z.string().min(1).max(64).default('studio'),
  takeover: z.boolean().optional(),
  agentId: z.string().max(64).optional(),
});
export type AgentAuth = z.infer<typeof AgentAuthSchema>;

export const AGENT_EVENTS = {
  /** server -> agent: a batch of commands to run. */
  commands: 'commands',
  /** agent -> server: results for commands, in any grouping. */
  results: 'results',
  /** agent -> server: entity changes from one Live tick. */
  events: 'events',
  /** agent -> server: full state after (re)connecting to Live. */
  snapshot: 'snapshot',
  /** agent -> server: Live link status. */
  status: 'status',
  meters: 'meters',
  /** server -> agent: please send a fresh snapshot. */
  snapshotRequest: 'snapshot_request',
  /** server -> agent: `{ devices }`, every device a browser has open; the agent tells Live (observe line). */
  observe: 'observe',
} as const;

export interface AgentCommand {
  id: string;
  action: string;
  target: string | null;
  args: Record<string, unknown>;
  baseRev?: string;
  /** Wall-clock epoch ms; the agent and the script drop the command past it (TIMEOUT). */
  deadline: number;
}

export type AgentResult =
  | { id: string; ok: true; rev: string | null; value: unknown }
  | { id: string; ok: false; error: WireError };

export interface AgentStatus {
  liveConnected: boolean;
  live: LiveInfo | null;
  epoch: string | null;
  /** Median round trip agent <-> script over the last few seconds. */
  latencyMs: number | null;
}

export interface AgentEventsMessage { epoch: string; seq: number; changes: EntityChange[] }
export interface AgentObserveMessage { devices: string[] }
export interface AgentSnapshotMessage { epoch: string; live: LiveInfo; entities: EntityChange[] }

/** Results reach the server exactly as the Remote Script sent them. */
export const AgentResultSchema = ScriptResultSchema;
