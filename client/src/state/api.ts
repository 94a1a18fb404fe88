import type { JoinRequest, SessionView } from '../../../protocol/room-events.ts';
import type { ErrorCode } from '../../../protocol/errors.ts';
import type { HealthReport } from '../../../protocol/health.ts';
import { FILE_ROUTES, type FilesListing, type TakesListing } from '../../../protocol/files.ts';

/** The HTTP half of the server surface. The session cookie is HttpOnly: we never see it. */

export class ApiError extends Error {
  constructor(public code: ErrorCode | 'NETWORK', message: string, public status: number, public retryAfterMs?: number) {
    super(message);
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', headers: { 'content-type': 'application/json' }, ...init });
  } catch {
    throw new ApiError('NETWORK', 'The room server cannot be reached.', 0);
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const err = (body as { error?: { code?: string; message?: string; retryAfterMs?: number } } | null)?.error;
    const retryHeader = Number(res.headers.get('retry-after'));
    const retryAfterMs = err?.retryAfterMs ?? (Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader * 1000 : undefined);
    throw new ApiError((err?.code as ErrorCode) ?? (res.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL'), err?.message ?? res.statusText, res.status, retryAfterMs);
  }
  return body as T;
}

export async function join(req: Omit<JoinRequest, 'role'> & { role?: JoinRequest['role'] }): Promise<SessionView> {
  const body = await call<{ session: SessionView }>('/api/join', { method: 'POST', body: JSON.stringify(req) });
  return body.session;
}

/** The current session, or null when there is none (401). */
export async function currentSession(): Promise<SessionView | null> {
  try {
    const body = await call<{ session: SessionView }>('/api/session');
    return body.session ?? null;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403 || err.status === 404)) return null;
    throw err;
  }
}

/** A new token cookie after the host changed our role; answers the updated session. */
export async function refreshSession(promotionTicket?: string): Promise<SessionView> {
  const body = await call<{ session: SessionView }>('/api/session/refresh', { method: 'POST', body: JSON.stringify(promotionTicket ? { ticket: promotionTicket } : {}) });
  return body.session;
}

export async function leave(): Promise<void> {
  await call<unknown>('/api/leave', { method: 'POST', body: '{}' }).catch(() => undefined);
}

export type Health = HealthReport;

export async function health(): Promise<Health | null> {
  try {
    return await call<Health>('/healthz');
  } catch {
    return null;
  }
}

/** The room's stored drops and what this session may still send. */
export function listFiles(): Promise<FilesListing> {
  return call<FilesListing>(FILE_ROUTES.files);
}

/** The audio files the set references, to download. */
export function listTakes(): Promise<TakesListing> {
  return call<TakesListing>(FILE_ROUTES.takes);
}
