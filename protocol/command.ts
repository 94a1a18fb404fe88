import { z } from 'zod';
import { WireErrorSchema } from './error-schema.ts';
import type { WireError } from './errors.ts';

export const GesturePhaseSchema = z.enum(['start', 'move', 'end']);
export type GesturePhase = z.infer<typeof GesturePhaseSchema>;

const EntityIdSchema = z.string().min(1).max(64);

/**
 * A browser's command. `id` is made by the browser so a retry after a reconnect is the
 * same command and is never executed twice. `target` is an entity id (a bare string,
 * or `{ id }` for clients that prefer objects); song-level actions may omit it.
 */
export const CommandSchema = z.object({
  id: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'id must be a UUID-like token'),
  action: z.string().min(3).max(64),
  target: z.union([EntityIdSchema, z.object({ id: EntityIdSchema }).strict()]).nullable().optional(),
  args: z.record(z.string(), z.unknown()).default({}),
  baseRev: z.string().min(1).max(64).optional(),
  gesture: z.object({ id: z.string().min(1).max(64), phase: GesturePhaseSchema }).strict().optional(),
}).strict();

/** A command as a client sends it. */
export type CommandInput = z.input<typeof CommandSchema>;

/** A command after the schema step: target normalised to an id string. */
export interface Command {
  id: string;
  action: string;
  target: string | null;
  args: Record<string, unknown>;
  baseRev?: string;
  gesture?: { id: string; phase: GesturePhase };
}

/** A command's one answer (Q2: a superseded command gets the answer of the write that replaced it). */
export type Answer =
  | { ok: true; rev: string | null; value: unknown }
  | { ok: false; error: WireError };

export const AnswerSchema = z.union([
  z.object({ ok: z.literal(true), rev: z.string().nullable(), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: WireErrorSchema }),
]) satisfies z.ZodType<Answer>;

export function errorAnswer(error: WireError): Answer {
  return { ok: false, error };
}
