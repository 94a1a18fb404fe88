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

  /** Each kicked person on their own machine (a loopback address of their own). */
  const machine = (n: number) => ({ ...rs.peer, localAddress: `127.0.0.${n}` });

  it('disconnects the session at once and its cookie never works again', async () => {
    const eveAt = machine(11);
    const eve = await joinAs(rs, 'Eve', 'member', eveAt);
    const socket = await roomSocket(eveAt, eve.cookie);
    const notes = openDoc(eveAt, eve.cookie, 'notes');
    await synced(notes);
    const told = new Promise<{ code: string }>((resolve) => socket.once(ROOM_EVENTS.kicked, resolve));
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const ack = await hostCall(host, ROOM_EVENTS.hostKick, { sessionId: eve.id });
    expect(ack).toMatchObject({ ok: true, value: { sessionId: eve.id, sessions: [eve.id] } });
    expect(await told).toMatchObject({ code: 'KICKED' });
    expect(await closed).toBe('io server disconnect');
    await until(() => !notes.provider.wsconnected, 'the kicked notes connection to close', 5_000);
    notes.destroy();

    const http = await session(eveAt, eve.cookie);
    expect(http.status).toBe(401);
    expect(http.body).toMatchObject({ error: { code: 'KICKED' } });
    expect(await roomRefusal(eveAt, eve.cookie)).toMatchObject({ code: 'KICKED' });
    expect(await tryUpgrade(eveAt, '/yjs/studio/notes', { cookie: eve.cookie })).toMatchObject({ opened: false, status: 401 });
  });

  it('keeps the person out: the same code is refused until the host lets them back in', async () => {
    const at = machine(12);
    const sam = await joinAs(rs, 'Sam', 'member', at);
    const earlier = await joinAs(rs, 'Sam', 'member', at); // a reload left an earlier session behind
    const bystander = await joinAs(rs, 'Ada', 'member', machine(13));
    const ack = await hostCall(host, ROOM_EVENTS.hostKick, { sessionId: sam.id });
    expect(ack.ok && ack.value.sessions.sort()).toEqual([sam.id, earlier.id].sort());
    expect((await session(at, earlier.cookie)).body).toMatchObject({ error: { code: 'KICKED' } });
    expect((await session(machine(13), bystander.cookie)).status).toBe(200);
    await expect(joinAs(rs, 'Sam', 'member', at)).rejects.toThrow(/KICKED/);
    await expect(joinAs(rs, 'Not Sam', 'observer', at)).rejects.toThrow(/KICKED/);
    const removed = await hostCall(host, ROOM_EVENTS.hostRemoved);
    expect(removed.ok && removed.value.find((r) => r.name === 'Sam')).toMatchObject({ ip: '127.0.0.12' });
    expect(await hostCall(host, ROOM_EVENTS.hostLetBack, { removedId: ack.ok ? ack.value.removedId : '' })).toMatchObject({ ok: true });
    expect((await joinAs(rs, 'Sam', 'member', at)).id).toMatch(/^s_/);
    expect(await hostCall(host, ROOM_EVENTS.hostLetBack, { removedId: 'r_nobody' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('a new join code lifts every removal (the page offers both)', async () => {
    const at = machine(14);
    const kim = await joinAs(rs, 'Kim', 'member', at);
    await hostCall(host, ROOM_EVENTS.hostKick, { sessionId: kim.id });
    await expect(joinAs(rs, 'Kim', 'member', at)).rejects.toThrow(/KICKED/);
    const rotated = await hostCall(host, ROOM_EVENTS.hostRotateCode);
    expect(rotated.ok).toBe(true);
    rs.joinCode = rotated.ok ? rotated.value.code : rs.joinCode;
    expect((await joinAs(rs, 'Kim', 'member', at)).id).toMatch(/^s_/);
    const removed = await hostCall(host, ROOM_EVENTS.hostRemoved);
    expect(removed).toEqual({ ok: true, value: [] });
  });

  it('survives a restart: the kicked cookie still answers KICKED', async () => {
    const at = machine(15);
    const mallory = await joinAs(rs, 'Mallory', 'member', at);
    await hostCall(host, ROOM_EVENTS.hostKick, { sessionId: mallory.id });
    host.close();
    rs = await rs.restart();
    const res = await session({ ...rs.peer, localAddress: '127.0.0.15' }, mallory.cookie);
    expect(res.body).toMatchObject({ error: { code: 'KICKED' } });
    // Still removed after the restart.
    await expect(joinAs(rs, 'Mallory', 'member', { ...rs.peer, localAddress: '127.0.0.15' })).rejects.toThrow(/KICKED/);
    const h = await joinAs(rs, 'Teacher', 'host');
    hostId = h.id;
    host = await roomSocket(rs.peer, h.cookie);
  });

  it('audits the kick and the kicked cookie’s return', async () => {
    const kicks = await hostCall(host, ROOM_EVENTS.hostAudit, { kind: 'host', limit: 100 });
    expect(kicks.ok && kicks.value.filter((e) => e.action === ROOM_EVENTS.hostKick)).toHaveLength(4);
    expect(rs.server.parts.store.audit.query({ kind: 'kicked_token' }).length).toBeGreaterThanOrEqual(3);
  });

  it('refuses to kick the host’s own session or an unknown one', async () => {
    expect(await hostCall(host, ROOM_EVENTS.hostKick, { sessionId: hostId })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await hostCall(host, ROOM_EVENTS.hostKick, { sessionId: 's_nobody' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});
