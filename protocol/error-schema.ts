import { z } from 'zod';
import { ERROR_CODES, type ErrorCode, type WireError } from './errors.ts';

const [FIRST_CODE, ...OTHER_CODES] = ERROR_CODES;
const CODES: [ErrorCode, ...ErrorCode[]] = [FIRST_CODE ?? 'INTERNAL', ...OTHER_CODES];

/** The runtime schema of a WireError, for parsing errors that arrive from another process. */
export const WireErrorSchema = z.object({
  code: z.enum(CODES),
  message: z.string(),
  current: z.object({ value: z.unknown(), rev: z.string().nullable() }).optional(),
  retryAfterMs: z.number().optional(),
  older: z.enum(['client', 'server']).optional(),
  limit: z.number().optional(),
  suggestions: z.array(z.string()).optional(),
}) satisfies z.ZodType<WireError>;
