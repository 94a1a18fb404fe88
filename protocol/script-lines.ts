import { z } from 'zod';
import { ENTITY_KINDS } from './set-doc.ts';
import { WireErrorSchema } from './errors.ts';
import type { AgentCommand } from './agent-messages.ts';

/**
 * The host agent <-> Remote Script wire: one JSON object per line over TCP on
 * 127.0.0.1. docs/protocol.md ("Remote Script lines") is the prose of this file; the
 * Python side (remote-script/Roomtone/protocol.py) mirrors it.
 */
export const SCRIPT_LINE_LIMIT = 8 * 1024 * 1024; // 8 MiB: note lists are big, a runaway line is not
export const DEFAULT_SCRIPT_PORT = 47800;


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

// Script -> agent
/** `nonce`: what the agent proves itself against (script-auth.ts, H9). */
export const ScriptHelloSchema = z.object({ type: z.literal('hello'), protocol: z.number().int(), epoch: z.string(), live: LiveInfoSchema, nonce: z.string().max(64).optional() });
export const ScriptResultSchema = z.union([
  z.object({ id: z.string().max(64), ok: z.literal(true), rev: z.string().nullable().optional(), value: z.unknown().optional() }),
  z.object({ id: z.string().max(64), ok: z.literal(false), error: WireErrorSchema }),
]);
export type ScriptResult = z.infer<typeof ScriptResultSchema>;

export const ScriptLineSchema = z.discriminatedUnion('type', [
  ScriptHelloSchema,
  z.object({ type: z.literal('results'), results: z.array(ScriptResultSchema) }),
  z.object({ type: z.literal('events'), epoch: z.string(), seq: z.number().int(), changes: z.array(EntityChangeSchema) }),
  z.object({ type: z.literal('snapshot'), epoch: z.string(), live: LiveInfoSchema, entities: z.array(EntityChangeSchema) }),
  z.object({ type: z.literal('meters'), levels: z.record(z.string(), z.tuple([z.number(), z.number()])), position: z.number().optional(), clips: z.record(z.string(), z.number()).optional() }),
  z.object({ type: z.literal('stats'), stats: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal('pong'), t: z.number() }),
  z.object({ type: z.literal('error'), error: WireErrorSchema }),
]);
export type ScriptLine = z.infer<typeof ScriptLineSchema>;

// Agent -> script: the agent relays the server's commands as they are.
export type ScriptCommand = AgentCommand;

export type AgentLine =
  | { type: 'hello'; protocol: number; client: string; proof?: string }
  | { type: 'commands'; commands: ScriptCommand[] }
  | { type: 'snapshot_request' }
  | { type: 'stats_request'; reset?: boolean }
  | { type: 'ping'; t: number };
