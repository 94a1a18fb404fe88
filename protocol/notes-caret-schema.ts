import { z } from 'zod';

/**
 * What the server reads of a page's notes awareness state (notes-awareness.ts): only its
 * `cursor`, two Yjs relative positions (or none). Everything else a page sends there is
 * ignored: the server sets `user` from the session (H10).
 */
const YjsIdSchema = z.object({ client: z.number().int().nonnegative(), clock: z.number().int().nonnegative() }).strict();
const RelativePositionSchema = z.object({
  type: YjsIdSchema.nullable().optional(),
  tname: z.string().max(64).nullable().optional(),
  item: YjsIdSchema.nullable().optional(),
  assoc: z.number().int().optional(),
}).strict();
export const NotesCaretStateSchema = z.object({
  cursor: z.object({ anchor: RelativePositionSchema, head: RelativePositionSchema }).strict().nullable().optional(),
}).loose();
