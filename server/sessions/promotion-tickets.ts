import { randomBytes } from 'node:crypto';
import { sameSecretText } from './tokens.ts';

/**
 * A promotion belongs to the connections the host promoted (H15). When the host raises
 * a session's role, each of its open /room sockets gets its own single-use ticket in
 * its `you` message; `POST /api/session/refresh` applies the promotion only with one of
 * them, while that socket is still open. A copy of the session's cookie that calls
 * refresh first, without a socket that was there, gets nothing. Tickets live in memory:
 * a restart drops pending promotions, and the host promotes again.
 */
export class PromotionTickets {
  readonly #bySession = new Map<string, Array<{ ticket: string; socketId: string }>>();

  /** New tickets for these sockets (any earlier ones of the session are void). */
  issue(sessionId: string, socketIds: readonly string[]): Array<{ socketId: string; ticket: string }> {
    const issued = socketIds.map((socketId) => ({ socketId, ticket: randomBytes(18).toString('base64url') }));
    this.#bySession.set(sessionId, issued);
    return issued;
  }

  /** True, once, for a ticket of this session whose socket is still open; every ticket of the session is then void. */
  redeem(sessionId: string, ticket: string | undefined, isOpen: (socketId: string) => boolean): boolean {
    const issued = this.#bySession.get(sessionId);
    if (!issued || ticket === undefined) return false;
    const hit = issued.find((t) => sameSecretText(t.ticket, ticket));
    if (!hit || !isOpen(hit.socketId)) return false;
    this.#bySession.delete(sessionId);
    return true;
  }

  forget(sessionId: string): void {
    this.#bySession.delete(sessionId);
  }
}
