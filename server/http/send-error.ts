import type { Response } from 'express';
import { ERRORS, type WireError } from '../../protocol/index.ts';

/** HTTP errors are `{ error: { code, message, … } }` with the registry's status. */
export function sendError(res: Response, error: WireError): void {
  if (error.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
  res.status(ERRORS[error.code].status).json({ error });
}
