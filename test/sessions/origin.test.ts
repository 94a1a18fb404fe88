import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../../testkit/clients.ts';
import { tryUpgrade } from '../helpers/ws-probe.ts';
import { joinAs, roomSocket, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

const EVIL = 'https://evil.example';

describe('Origin check', () => {
  let rs: RoomServer;
  let cookie: string;
  beforeAll(async () => {
    rs = await startRoomServer();
    ({ cookie } = await joinAs(rs, 'Ada'));
  });
  afterAll(async () => { await rs?.stop(); });

  it('accepts our own origin', async () => {
    const res = await request(rs.peer, 'POST', '/api/join', { body: { name: 'Own', code: rs.joinCode }, origin: rs.peer.base });
    expect(res.status).toBe(200);
    const socket = await roomSocket(rs.peer, cookie, rs.peer.base);
    expect(socket.connected).toBe(true);
    socket.close();
  });

  it('refuses a state-changing request from a foreign page', async () => {
    for (const [route, body] of [['/api/join', { name: 'X', code: rs.joinCode }], ['/api/leave', undefined], ['/api/session/refresh', undefined]] as const) {
      const res = await request(rs.peer, 'POST', route, { body, cookie, origin: EVIL });
      expect(res.status, route).toBe(403);
      expect(res.body).toMatchObject({ error: { code: 'ORIGIN_REJECTED' } });
    }
    // The cookie survived: the foreign leave did nothing.
    expect((await request(rs.peer, 'GET', '/api/session', { cookie })).status).toBe(200);
  });

  it('refuses the socket.io handshake from a foreign origin, even with a valid cookie', async () => {
    const err = await roomSocket(rs.peer, cookie, EVIL).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
  });

  it('refuses the y-websocket upgrade from a foreign origin', async () => {
    const res = await tryUpgrade(rs.peer, '/yjs/studio/notes', { cookie, origin: EVIL });
    expect(res).toMatchObject({ opened: false, status: 403 });
    expect(!res.opened && JSON.parse(res.body)).toMatchObject({ error: { code: 'ORIGIN_REJECTED' } });
  });

  it('audits the refusals: the first at once, the repeats from the same address counted (H4)', () => {
    rs.server.parts.store.audit.settle();
    const entries = rs.server.parts.store.audit.query({ kind: 'origin_refused' });
    expect(entries).toHaveLength(2);
    expect(entries.every((e) => e.detail?.endsWith(EVIL))).toBe(true);
    expect(entries[0]!.detail).toMatch(/^\d+ more like this in \d+ s; the last: /);
    expect(Number(/^(\d+)/.exec(entries[0]!.detail!)?.[1])).toBeGreaterThanOrEqual(4);
  });
});
