import { describe, expect, it } from 'vitest';
import { HttpErrorSchema, wireError } from '../../protocol/index.ts';
import { TusRefusal, fromTusError } from './tus-refusal.ts';

describe('tus refusals as registry errors', () => {
  it('keeps our own refusals as they are', () => {
    const r = new TusRefusal(wireError('DISK_FULL', 'full', { limit: 5 }));
    expect(fromTusError(r)).toEqual({ status_code: 507, body: JSON.stringify({ error: { code: 'DISK_FULL', message: 'full', limit: 5 } }) });
  });

  it('maps tus’s plain-text errors, keeping the status tus clients act on', () => {
    const code = (e: { status_code: number; body: string }) => HttpErrorSchema.parse(JSON.parse(fromTusError(e).body)).error.code;
    expect(code({ status_code: 404, body: 'The file for this url was not found\n' })).toBe('NOT_FOUND');
    expect(code({ status_code: 409, body: 'Upload-Offset conflict\n' })).toBe('CONFLICT');
    expect(code({ status_code: 413, body: 'Maximum size exceeded\n' })).toBe('FILE_TOO_LARGE');
    expect(code({ status_code: 412, body: 'Tus-Resumable Required\n' })).toBe('INVALID');
    expect(code({ status_code: 500, body: 'boom' })).toBe('INTERNAL');
    expect(fromTusError({ status_code: 409, body: 'x' }).status_code).toBe(409);
  });
});
