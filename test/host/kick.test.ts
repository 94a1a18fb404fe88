import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ROOM_EVENTS } from '../../protocol/index.ts';
import { openDoc, synced } from '../../testkit/clients.ts';
import { tryUpgrade } from '../helpers/ws-probe.ts';
import { until } from '../../testkit/poll.ts';
import { hostCall, joinAs, roomRefusal, roomSocket, session, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

describe('kick', () => {
  let rs: RoomServer;
  let host: Socket;
  let hostId: string;
  beforeAll(async () => {
    rs = await startRoomServer();
    const h = await joinAs(rs, 'Teacher', 'host');
    hostId = h.id;
    host = await roomSocket(rs.peer, h.cookie);
  });
  afterAll(async () => {
    host?.close();
    await rs?.stop();
  });

  it('disconnects the session at once and its cookie never works again', async () => {
    const eve = await joinAs(rs, 'Eve');
    const socket = await roomSocket(rs.peer, eve.cookie);
    const notes = openDoc(rs.peer, eve.cookie, 'notes');
    await synced(notes);
    const told = new Promise<{ code: string }>((resolve) => socket.once(ROOM_EVENTS.kicked, resolve));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const ack = await hostCall(host, ROOM_EVENTS.hostKick, { sessionId: eve.id });
    expect(ack).toEqual({ ok: true, value: { sessionId: eve.id } });
    expect(await told).toMatchObject({ code: 'KICKED' });
    expect(await closed).toBe('io server disconnect');
    await until(() => !notes.provider.wsconnected, 'the kicked notes connection to close', 5_000);
    notes.destroy();

    const http = await session(rs.peer, eve.cookie);
    expect(http.status).toBe(401);
    expect(http.body).toMatchObject({ error: { code: 'KICKED' } });
    expect(await roomRefusal(rs.peer, eve.cookie)).toMatchObject({ code: 'KICKED' });
    expect(await tryUpgrade(rs.peer, '/yjs/studio/notes', { cookie: eve.cookie })).toMatchObject({ opened: false, status: 401 });
  });

  it('survives a restart: the kicked cookie still answers KICKED', async () => {
    const mallory = await joinAs(rs, 'Mallory');
    await hostCall(host, ROOM_EVENTS.hostKick, { sessionId: mallory.id });
    host.close();
    rs = await rs.restart();
    const res = await session(rs.peer, mallory.cookie);
    expect(res.body).toMatchObject({ error: { code: 'KICKED' } });
    const h = await joinAs(rs, 'Teacher', 'host');
    hostId = h.id;
    host = await roomSocket(rs.peer, h.cookie);
  });

  it('audits the kick and the kicked cookie’s return', async () => {
    const kicks = await hostCall(host, ROOM_EVENTS.hostAudit, { kind: 'host', limit: 100 });
    expect(kicks.ok && kicks.value.filter((e) => e.action === ROOM_EVENTS.hostKick)).toHaveLength(2);
    expect(rs.server.parts.store.audit.query({ kind: 'kicked_token' }).length).toBeGreaterThanOrEqual(3);
  });

  it('refuses to kick the host’s own session or an unknown one', async () => {
    expect(await hostCall(host, ROOM_EVENTS.hostKick, { sessionId: hostId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await hostCall(host, ROOM_EVENTS.hostKick, { sessionId: 's_nobody' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
