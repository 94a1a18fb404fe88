import { z } from 'zod';
import { WireErrorSchema } from './error-schema.ts';
import type { WireError } from './errors.ts';

/**
 * `intent.parse` on `/room`: words in, catalogue commands out. It changes nothing; the
 * browser previews the commands and runs them through the ordinary `command` event, so
 * every check a fader meets applies to them (docs/words.md, docs/protocol.md).
 */

/** Longest text the server reads; a command line is one sentence or a few. */
export const INTENT_TEXT_MAX = 300;

/** Most commands one sentence may become; more is refused TOO_BROAD. */
export const INTENT_COMMANDS_MAX = 24;

export const IntentParseSchema = z.object({
  text: z.string().max(INTENT_TEXT_MAX),
  /** Ask the room's language model when the parser gives up (only then, and only if one is configured). */
  model: z.boolean().optional(),
}).strict();
export type IntentParseRequest = z.input<typeof IntentParseSchema>;

/** Who understood the words: Roomtone's own parser, or the optional model on the LAN. */
export type IntentSource = 'parser' | 'model';

/**
 * One command in the catalogue's own shape, ready to send as `command` with a new id.
 * `baseRev` is set when the value was computed from the current one ("down 3 dB"): if
 * the control moved between preview and run, the run is refused CONFLICT instead of
 * landing on a value nobody meant. `say` is the command in plain words.
 */
export interface IntentCommand {
  action: string;
  target: string | null;
  args: Record<string, unknown>;
  baseRev?: string;
  say: string;
}

export type IntentAnswer =
  | { ok: true; commands: IntentCommand[]; say: string; source: IntentSource }
  | { ok: false; error: WireError; canAskModel?: boolean };

const IntentCommandSchema = z.object({
  action: z.string().min(3).max(64),
  target: z.string().min(1).max(64).nullable(),
  args: z.record(z.string(), z.unknown()),
  baseRev: z.string().min(1).max(64).optional(),
  say: z.string().max(400),
}).strict();

/** The acknowledgement's schema, for clients that parse what arrives (tests, tools). */
export const IntentAnswerSchema = z.union([
  z.object({ ok: z.literal(true), commands: z.array(IntentCommandSchema).max(INTENT_COMMANDS_MAX), say: z.string().max(2000), source: z.enum(['parser', 'model']) }).strict(),
  z.object({ ok: z.literal(false), error: WireErrorSchema, canAskModel: z.boolean().optional() }).strict(),
]);
