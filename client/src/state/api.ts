/** The HTTP half of the server surface. The session cookie is HttpOnly: the page never sees it. */
import {
  FILE_ROUTES, HEALTH_ROUTE, apiPath, filesListingOf, healthOf, httpErrorOf, sessionAnswerOf, takesListingOf,
  type ErrorCode, type FilesListing, type Health, type JoinRequestInput, type SessionRefresh, type SessionView, type TakesListing,
} from '../../../protocol/browser.ts';

export class ApiError extends Error {
  constructor(public code: ErrorCode | 'NETWORK', message: string, public status: number, public retryAfterMs?: number) {
    super(message);
  }
}

/** The answer's JSON body (null when there is none); a refusal becomes an ApiError. */
async function call(path: string, init?: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, { credentials: 'same-origin', headers: { 'content-type': 'application/json' }, ...init });
  } catch {
    throw new ApiError('NETWORK', 'The room server cannot be reached.', 0);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    body = null; // no JSON body (a 204, a proxy's error page)
  }
  if (!res.ok) {
    const err = httpErrorOf(body);
    const retryHeader = Number(res.headers.get('retry-after'));
    const retryAfterMs = err?.retryAfterMs ?? (Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader * 1000 : undefined);
    throw new ApiError(err?.code ?? (res.status === 401 ? 'UNAUTHENTICATED' : 'INTERNAL'), err?.message ?? res.statusText, res.status, retryAfterMs);
  }
  return body;
}

/** A reader's result, or the error a page gets when its server answers in another shape. */
function understood<T>(value: T | null): T {
  if (value === null) throw new ApiError('INTERNAL', 'The room server answered something this page does not understand. Reload the page.', 200);
  return value;
}

function sessionFrom(body: unknown): SessionView {
  return understood(sessionAnswerOf(body));
}

export async function join(req: JoinRequestInput): Promise<SessionView> {
  return sessionFrom(await call(apiPath('join'), { method: 'POST', body: JSON.stringify(req) }));
}

/** The current session, or null when there is none (401). */
export async function currentSession(): Promise<SessionView | null> {
  try {
    return sessionFrom(await call(apiPath('session')));
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403 || err.status === 404)) return null;
    throw err;
  }
}

/** A new token cookie after the host changed our role; answers the updated session. */
export async function refreshSession(promotionTicket?: string): Promise<SessionView> {
  const body: SessionRefresh = promotionTicket ? { ticket: promotionTicket } : {};
  return sessionFrom(await call(apiPath('refresh'), { method: 'POST', body: JSON.stringify(body) }));
}

export async function leave(): Promise<void> {
  await call(apiPath('leave'), { method: 'POST', body: '{}' }).catch(() => undefined);
}

export type { Health };

export async function health(): Promise<Health | null> {
  try {
    return healthOf(await call(HEALTH_ROUTE));
  } catch {
    return null;
  }
}

/** The room's stored drops and what this session may still send. */
export async function listFiles(): Promise<FilesListing> {
  return understood(filesListingOf(await call(FILE_ROUTES.files)));
}

/** The audio files the set references, to download. */
export async function listTakes(): Promise<TakesListing> {
  return understood(takesListingOf(await call(FILE_ROUTES.takes)));
}
