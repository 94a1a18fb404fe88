import type { Request, Response } from 'express';
import { JoinRequestSchema, wireError, type SessionAnswer } from '../../protocol/index.ts';
import type { SessionStore } from '../sessions/session-store.ts';
import { viewOf } from '../sessions/session.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { JoinGuards } from '../security/join-guards.ts';
import { sessionCookie } from './cookies.ts';
import { normaliseIp } from '../util/remote-ip.ts';
import { sendError } from './send-error.ts';
import { cleanDisplayName } from '../sessions/display-name.ts';
import { sameSecretText } from '../sessions/tokens.ts';

export interface JoinDeps {
  room: { name: string; joinCode: string; adminPin: string };
  sessions: SessionStore;
  audit: AuditSink;
  guards: JoinGuards;
  /** The room's PIN budget ran out: the host console shows that someone is guessing. */
  onPinGuessing?(): void;
}

function sameSecret(given: string | undefined, expected: string): boolean {
  return given !== undefined && sameSecretText(given, expected);
}

/**
 * POST /api/join. A wrong code counts against the source address; a wrong PIN against
 * the address and the room's PIN budget (JoinGuards). While a guard holds, even a right
 * guess is refused until the wait is over, so guessing gains nothing by racing it, and
 * every refusal says plainly what to do.
 */
export function joinRoute(deps: JoinDeps) {
  const { guards } = deps;
  return (req: Request, res: Response): void => {
    const ip = normaliseIp(req.socket.remoteAddress);
    const waitMs = guards.codes.retryAfterMs(ip);
    if (waitMs > 0) {
      deps.audit.record({ kind: 'join_throttled', ip, code: 'THROTTLED', ok: false });
      return sendError(res, wireError('THROTTLED', `too many wrong join codes came from this network address (a school network may share one); try again in ${seconds(waitMs)} with the code shown in the room`, { retryAfterMs: waitMs }));
    }
    const parsed = JoinRequestSchema.safeParse(req.body);
    if (!parsed.success) return sendError(res, wireError('INVALID', `join needs { name, code, role?, pin? }: ${parsed.error.issues[0]?.message ?? ''}`));
    const name = cleanDisplayName(parsed.data.name);
    if (name === null) return sendError(res, wireError('INVALID', 'the name needs at least one visible letter, number or symbol'));
    const request = { ...parsed.data, name };
    if (!sameSecret(request.code, deps.room.joinCode)) {
      const lockMs = guards.codes.fail(ip);
      deps.audit.record({ kind: 'join_refused', ip, name: request.name, code: 'BAD_JOIN_CODE', ok: false, ...(lockMs > 0 ? { detail: `address paused for ${seconds(lockMs)}` } : {}) });
      return sendError(res, wireError('BAD_JOIN_CODE', 'that join code is not this room’s'));
    }
    if (request.role === 'host') {
      const addressWait = guards.pins.retryAfterMs(ip);
      if (addressWait > 0) {
        deps.audit.record({ kind: 'join_throttled', ip, code: 'THROTTLED', ok: false, detail: 'admin PIN' });
        return sendError(res, wireError('THROTTLED', `too many wrong admin PINs came from this address; try again in ${seconds(addressWait)} (joining as a member works now)`, { retryAfterMs: addressWait }));
      }
      const roomWait = guards.pinBudget.pausedForMs(ip);
      if (roomWait > 0) {
        deps.audit.record({ kind: 'join_throttled', ip, code: 'PIN_PAUSED', ok: false, detail: 'admin PIN: room budget used up' });
        return sendError(res, wireError('PIN_PAUSED', `someone on the network has been guessing the admin PIN, so PIN entry is paused for ${seconds(roomWait)}; join as a member and ask a host to promote you, or use the studio computer`, { retryAfterMs: roomWait }));
      }
      if (!sameSecret(request.pin, deps.room.adminPin)) {
        const lockMs = guards.pins.fail(ip);
        const exhausted = guards.pinBudget.fail(ip);
        deps.audit.record({ kind: 'join_refused', ip, name: request.name, code: 'BAD_PIN', ok: false, ...(lockMs > 0 ? { detail: `address paused for ${seconds(lockMs)}` } : {}) });
        if (exhausted) {
          const seen = guards.pinBudget.status();
          deps.audit.record({ kind: 'pin_guessing', ok: false, code: 'PIN_PAUSED', detail: `${seen.failures} wrong admin PINs from ${seen.addresses} address(es) in ${Math.round(seen.windowMs / 60_000)} min: PIN entry paused` });
        }
        deps.onPinGuessing?.();
        return sendError(res, wireError('BAD_PIN', 'the admin PIN is wrong'));
      }
      guards.pins.succeed(ip);
    }
    guards.codes.succeed(ip);
    // Someone the host removed stays out with this code until the host lets them back. The
    // admin PIN still opens the door: whoever has it can let anyone back in anyway.
    const removed = request.role === 'host' ? undefined : deps.sessions.removedAt(ip);
    if (removed) {
      deps.audit.record({ kind: 'join_refused', ip, name: request.name, code: 'KICKED', ok: false, detail: `removed by the host (as ${removed.name})` });
      return sendError(res, wireError('KICKED', 'the host removed you from this room; ask them to let you back in'));
    }
    // The store cleans the name again and needs it as typed: a lookalike never counts as the same person (H11).
    const { session, token } = deps.sessions.create(parsed.data, ip, deps.room.name);
    deps.audit.record({ kind: 'join', sessionId: session.id, name: session.name, ip, ok: true, detail: `${session.role}/${session.layout}` });
    const expiresAt = deps.sessions.expiresAt(session);
    res.setHeader('Set-Cookie', sessionCookie(token, session.createdAt + deps.sessions.policy.absoluteLifetimeMs - Date.now()));
    const answer: SessionAnswer = { session: viewOf(session, expiresAt) };
    res.json(answer);
  };
}

function seconds(ms: number): string {
  const s = Math.ceil(ms / 1000);
  return s < 120 ? `${s} s` : `${Math.ceil(s / 60)} min`;
}
