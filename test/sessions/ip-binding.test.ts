import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../../testkit/clients.ts';
import { tryUpgrade } from '../helpers/ws-probe.ts';
import { joinAs, roomRefusal, roomSocket, session, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

describe('a session is bound to the address that joined', () => {
  let rs: RoomServer;
  let victim: { cookie: string; id: string };
  beforeAll(async () => {
    rs = await startRoomServer();
    victim = await joinAs(rs, 'Victim');
  });
  afterAll(async () => { await rs?.stop(); });

  it('works from its own address on HTTP, socket.io and y-websocket', async () => {
    expect((await session(rs.peer, victim.cookie)).status).toBe(200);
    const socket = await roomSocket(rs.peer, victim.cookie);
    socket.close();
    const ws = await tryUpgrade(rs.peer, '/yjs/studio/notes', { cookie: victim.cookie });
    expect(ws.opened).toBe(true);
    if (ws.opened) ws.socket.close();
  });

  it('refuses the stolen cookie from 127.0.0.2 on HTTP', async () => {
    const res = await session(rs.thief, victim.cookie);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const leave = await request(rs.thief, 'POST', '/api/leave', { cookie: victim.cookie });
    expect(leave.status).toBe(401);
    expect((await session(rs.peer, victim.cookie)).status).toBe(200);
  });

  it('refuses it on the socket.io handshake', async () => {
    expect(await roomRefusal(rs.thief, victim.cookie)).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('refuses it on the y-websocket upgrade', async () => {
    for (const doc of ['set', 'notes']) {
      const res = await tryUpgrade(rs.thief, `/yjs/studio/${doc}`, { cookie: victim.cookie });
      expect(res).toMatchObject({ opened: false, status: 401 });
    }
  });

  it('audits every refusal with the session it was meant for: the first at once, the repeats counted (H4)', () => {
    rs.server.parts.store.audit.settle();
    const entries = rs.server.parts.store.audit.query({ kind: 'ip_mismatch', sessionId: victim.id });
    expect(entries.every((e) => e.ip === '127.0.0.2' && e.code === 'UNAUTHENTICATED')).toBe(true);
    const [summary, first] = entries;
    expect(first?.detail).toMatch(/^http GET \/api\/session: /);
    // HTTP twice, socket.io, y-websocket for set and notes.
    expect(summary?.detail).toMatch(/^4 more like this in \d+ s; the last: y-websocket: /);
  });
});

describe('subnet binding (--ip-binding subnet)', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer({ config: { ipBinding: 'subnet' } }); });
  afterAll(async () => { await rs?.stop(); });

  it('lets the session roam within its /24', async () => {
    const { cookie } = await joinAs(rs, 'Roamer');
    expect((await session(rs.thief, cookie)).status).toBe(200);
  });
});
