import { ERRORS, wireError, type WireError } from '../../protocol/index.ts';

/**
 * A refusal thrown from a tus hook or the upload store. @tus/server answers an error
 * that carries `status_code` and `body` with exactly those, so the page reads the same
 * `{ error: { code, message, … } }` as from any other route.
 */
export class TusRefusal extends Error {
  readonly status_code: number;
  readonly body: string;

  constructor(readonly error: WireError, status?: number) {
    super(error.message);
    this.status_code = status ?? ERRORS[error.code].status;
    this.body = JSON.stringify({ error });
  }
}

/**
 * @tus/server's own refusals (plain text) as registry errors, keeping tus's status,
 * which tus clients act on (409: ask for the offset again; 404/410: start over; 423: retry).
 */
export function fromTusError(err: { status_code?: number; body?: string; message?: string }): { status_code: number; body: string } {
  if (err instanceof TusRefusal) return { status_code: err.status_code, body: err.body };
  const status = typeof err.status_code === 'number' ? err.status_code : 500;
  const text = (err.body ?? err.message ?? '').trim();
  const error = status === 404 || status === 410 ? wireError('NOT_FOUND', 'no such upload: it finished, was cancelled or was cleaned up; start it again')
    : status === 409 ? wireError('CONFLICT', 'the upload offset changed; ask for it again (HEAD) and resume from there')
    : status === 413 && /maximum size/i.test(text) ? wireError('FILE_TOO_LARGE', 'the file is bigger than the per-file cap')
    : status === 423 ? wireError('BUSY', 'the upload is busy (being stored or written); retry in a moment', { retryAfterMs: 1000 })
    : status === 501 ? wireError('UNSUPPORTED', text || 'this tus extension is not supported')
    : status >= 400 && status < 500 ? wireError('INVALID', `upload refused: ${text || 'bad request'}`)
    : wireError('INTERNAL', 'the upload failed inside the server; resume it');
  return { status_code: status, body: JSON.stringify({ error }) };
}
