import type { Response } from 'express';
import { ERRORS, type HttpError, type WireError } from '../../protocol/index.ts';

/** HTTP errors are `{ error: { code, message, … } }` with the registry's status. */
export function sendError(res: Response, error: WireError): void {
  if (error.retryAfterMs !== undefined) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterMs / 1000))));
  const body: HttpError = { error };
  res.status(ERRORS[error.code].status).json(body);
}
