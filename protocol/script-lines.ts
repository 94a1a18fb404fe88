import { z } from 'zod';
import { WireErrorSchema } from './error-schema.ts';
import {
  AgentCommandSchema, AgentObserveMessageSchema, EventsBodySchema, LiveInfoSchema, MetersBodySchema, ScriptResultSchema, SnapshotBodySchema,
} from './agent-messages.ts';

/**
 * The host agent <-> Remote Script wire: one JSON object per line over TCP on
 * 127.0.0.1. docs/protocol.md ("Remote Script lines") is the prose of this file; the
 * Python side (remote-script/Roomtone/protocol.py) mirrors it, and a contract test
 * checks that the two agree.
 */
export const SCRIPT_LINE_LIMIT = 8 * 1024 * 1024; // 8 MiB: note lists are big, a runaway line is not
export const DEFAULT_SCRIPT_PORT = 47800;

// Script -> agent
export const ScriptLineSchema = z.discriminatedUnion('type', [
  /** `nonce`: what the agent proves itself against (script-auth.ts, H9). */
  z.object({ type: z.literal('hello'), protocol: z.number().int(), epoch: z.string(), live: LiveInfoSchema, nonce: z.string().max(64).optional() }),
  z.object({ type: z.literal('results'), results: z.array(ScriptResultSchema) }),
  EventsBodySchema.extend({ type: z.literal('events') }),
  SnapshotBodySchema.extend({ type: z.literal('snapshot') }),
  MetersBodySchema.extend({ type: z.literal('meters') }),
  z.object({ type: z.literal('stats'), stats: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('pong'), t: z.number() }),
  z.object({ type: z.literal('error'), error: WireErrorSchema }),
]);
export type ScriptLine = z.infer<typeof ScriptLineSchema>;

// Agent -> script: the agent relays the server's commands as they are.
export const AgentLineSchema = z.discriminatedUnion('type', [
  /** `proof`: HMAC of the script's nonce under the shared secret (script-auth.ts, H9). */
  z.object({ type: z.literal('hello'), protocol: z.number().int(), client: z.string(), proof: z.string().max(128).optional() }),
  z.object({ type: z.literal('commands'), commands: z.array(AgentCommandSchema) }),
  z.object({ type: z.literal('snapshot_request') }),
  z.object({ type: z.literal('stats_request'), reset: z.boolean().optional() }),
  z.object({ type: z.literal('ping'), t: z.number() }),
  /** The devices browsers look at (at most OBSERVE_LIMIT): their parameters are mirrored. */
  AgentObserveMessageSchema.extend({ type: z.literal('observe') }),
]);
export type AgentLine = z.infer<typeof AgentLineSchema>;
