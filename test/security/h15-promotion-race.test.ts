import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ROOM_EVENTS, type YouMessage } from '../../protocol/index.ts';
import { request } from '../../testkit/clients.ts';
import { hostCall, joinAs, roomSocket, session, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

/**
 * H15 (docs/security.md): after the host promoted a session, a copy of its old token
 * that called refresh first got the host token. The promotion now belongs to the
 * connections the host promoted: each open socket gets its own ticket, and refresh
 * applies the promotion only with one, while that socket is open.
 */
describe('H15 promotion race', () => {
  let rs: RoomServer;
  let console: Socket;
  beforeAll(async () => {
    rs = await startRoomServer();
    console = await roomSocket(rs.peer, (await joinAs(rs, 'Teacher', 'host')).cookie);
  });
  afterAll(async () => {
    console?.close();
    await rs?.stop();
  });

  it('H15 a copy of the cookie that refreshes first gets no host role; the promoted page does, with its ticket', async () => {
    const ada = await joinAs(rs, 'Ada');
    const page = await roomSocket(rs.peer, ada.cookie);
    try {
      const you = new Promise<YouMessage>((resolve) => page.once(ROOM_EVENTS.you, resolve));
      expect(await hostCall(console, ROOM_EVENTS.hostSetRole, { sessionId: ada.id, role: 'host' })).toMatchObject({ ok: true });
      const message = await you;

      // The thief holds the same cookie (same address: behind the class NAT) and is first.
      for (const body of [{}, { ticket: 'guess' }, undefined]) {
        const stolen = await request(rs.peer, 'POST', '/api/session/refresh', { cookie: ada.cookie, ...(body ? { body } : {}) });
        expect(stolen.status).toBe(403);
        expect(stolen.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
        expect(stolen.headers['set-cookie']).toBeUndefined();
      }
      // Nothing changed behind the refusal: still a member, the page's token still works.
      expect(rs.server.parts.sessions.get(ada.id)).toMatchObject({ role: 'member', pendingRole: 'host' });
      expect((await session(rs.peer, ada.cookie)).status).toBe(200);

      const claimed = await request(rs.peer, 'POST', '/api/session/refresh', { cookie: ada.cookie, body: { ticket: message.promotionTicket } });
      expect(claimed).toMatchObject({ status: 200, body: { session: { role: 'host' } } });
      expect((await request(rs.peer, 'POST', '/api/session/refresh', { cookie: ada.cookie, body: { ticket: message.promotionTicket } })).status).toBe(401);
    } finally {
      page.close();
    }
  });

  it('H15 a promotion needs an open page to go to', async () => {
    const bob = await joinAs(rs, 'Bob');
    expect(await hostCall(console, ROOM_EVENTS.hostSetRole, { sessionId: bob.id, role: 'host' })).toMatchObject({ ok: false, error: { code: 'NOT_CONNECTED' } });
    expect(rs.server.parts.sessions.get(bob.id)).toMatchObject({ role: 'member' });
    expect(rs.server.parts.sessions.get(bob.id)?.pendingRole).toBeUndefined();
  });
});
