import { z } from 'zod';
import type { WireError } from './errors.ts';

export const GesturePhaseSchema = z.enum(['start', 'move', 'end']);
export type GesturePhase = z.infer<typeof GesturePhaseSchema>;

/**
 * A browser's command. `id` is made by the browser so a retry after a reconnect is the
 * same command and is never executed twice. `target` is an entity id (a bare string,
 * or `{ id }` for clients that prefer objects); song-level actions may omit it.
 */
export const CommandSchema = z.object({
  id: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'id must be a UUID-like token'),
  action: z.string().min(3).max(64),
  target: z.union([z.string().min(1).max(64), z.object({ id: z.string().min(1).max(64) }).strict()]).nullable().optional(),
  args: z.record(z.string(), z.unknown()).default({}),
  baseRev: z.string().min(1).max(64).optional(),
  gesture: z.object({ id: z.string().min(1).max(64), phase: GesturePhaseSchema }).strict().optional(),
}).strict();

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

export type Answer =
  | { ok: true; rev: string | null; value: unknown }
  | { ok: false; error: WireError };

export function okAnswer(rev: string | null, value: unknown): Answer {
  return { ok: true, rev, value };
}

export function errorAnswer(error: WireError): Answer {
  return { ok: false, error };
}

/** Largest command a browser may send over socket.io (note lists are the big ones). */
export const MAX_COMMAND_BYTES = 512 * 1024;
