import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ROOM_EVENTS, type YouMessage } from '../../protocol/index.ts';
import { join, request } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { hostCall, joinAs, roomSocket, session, startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { lan } from '../../server/util/lan-address.ts';

describe('set role', () => {
  let rs: RoomServer;
  let host: Socket;
  beforeAll(async () => {
    rs = await startRoomServer();
    host = await roomSocket(rs.peer, (await joinAs(rs, 'Teacher', 'host')).cookie);
  });
  afterAll(async () => {
    host?.close();
    await rs?.stop();
  });

  it('a promotion takes effect only with a regenerated token', async () => {
    const ada = await joinAs(rs, 'Ada');
    const socket = await roomSocket(rs.peer, ada.cookie);
    const you = new Promise<YouMessage>((resolve) => socket.once(ROOM_EVENTS.you, resolve));
    const ack = await hostCall(host, ROOM_EVENTS.hostSetRole, { sessionId: ada.id, role: 'host' });
    expect(ack).toMatchObject({ ok: true, value: { role: 'member', pendingRole: 'host' } });
    const message = await you;
    expect(message).toEqual({ role: 'member', refreshRequired: true, promotionTicket: expect.any(String) });
    // The old token does not carry the new power.
    expect(await hostCall(socket, ROOM_EVENTS.hostLock, { locked: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    const refreshed = await request(rs.peer, 'POST', '/api/session/refresh', { cookie: ada.cookie, body: { ticket: message.promotionTicket } });
    expect(refreshed).toMatchObject({ status: 200, body: { session: { role: 'host' } } });
    await closed; // its sockets must come back under the new cookie
    const fresh = ([] as string[]).concat(refreshed.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    expect(fresh).not.toBe(ada.cookie);
    expect((await session(rs.peer, ada.cookie)).status).toBe(401);

    const again = await roomSocket(rs.peer, fresh);
    expect(await hostCall(again, ROOM_EVENTS.hostLock, { locked: false })).toMatchObject({ ok: true });
    again.close();
  });

  it('a demotion applies at once', async () => {
    const bob = await joinAs(rs, 'Bob', 'host');
    const socket = await roomSocket(rs.peer, bob.cookie);
    expect(await hostCall(host, ROOM_EVENTS.hostSetRole, { sessionId: bob.id, role: 'observer' })).toMatchObject({ ok: true, value: { role: 'observer' } });
    expect(await hostCall(socket, ROOM_EVENTS.hostSessions)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    socket.close();
  });

  it('the host sees sessions with name, role, IP, presence and last activity', async () => {
    const ack = await hostCall(host, ROOM_EVENTS.hostSessions);
    expect(ack.ok).toBe(true);
    const rows = ack.ok ? ack.value : [];
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(['Teacher', 'Ada', 'Bob']));
    const teacher = rows.find((r) => r.name === 'Teacher')!;
    expect(teacher).toMatchObject({ role: 'host', ip: '127.0.0.1', connected: true, presence: 'online' });
    expect(teacher.lastActiveAt).toBeGreaterThan(Date.now() - 60_000);
    await until(async () => {
      const next = await hostCall(host, ROOM_EVENTS.hostSessions);
      return next.ok && next.value.find((r) => r.name === 'Bob')?.presence === 'away';
    }, 'Bob away after his socket closed');
  });

  it('rotating the join code refuses the old one and admits with the new one', async () => {
    const old = rs.joinCode;
    const ack = await hostCall(host, ROOM_EVENTS.hostRotateCode);
    expect(ack.ok).toBe(true);
    const next = ack.ok ? ack.value.code : '';
    expect(next).not.toBe(old);
    expect((await request(rs.peer, 'POST', '/api/join', { body: { name: 'Late', code: old } })).body).toMatchObject({ error: { code: 'BAD_JOIN_CODE' } });
    expect((await request(rs.peer, 'POST', '/api/join', { body: { name: 'Late', code: next } })).status).toBe(200);
  });

  it('tells the console the current code and the link a tablet opens, after a rotation too', async () => {
    const info = await hostCall(host, ROOM_EVENTS.hostJoinInfo);
    expect(info.ok).toBe(true);
    if (!info.ok) return;
    const url = new URL(info.value.joinUrl);
    expect(url.protocol).toBe('https:');
    expect(url.searchParams.get('code')).toBe(info.value.code);
    expect(url.port).toBe(new URL(rs.peer.base).port);
    // Every address of this machine, each with its own link (the console lists them).
    expect(info.value.addresses?.map((a) => a.address).sort()).toEqual(lan.candidates().map((c) => c.address).sort());
    for (const a of info.value.addresses ?? []) expect(a.url).toBe(`https://${a.address}:${url.port}/?code=${info.value.code}`);
    const rotated = await hostCall(host, ROOM_EVENTS.hostRotateCode);
    expect(rotated.ok && rotated.value.code).not.toBe(info.value.code);
    const after = await hostCall(host, ROOM_EVENTS.hostJoinInfo);
    expect(after.ok && rotated.ok && after.value.code).toBe(rotated.ok && rotated.value.code);
    const member = await roomSocket(rs.peer, (await join(rs.peer, { name: 'Curious', code: rotated.ok ? rotated.value.code : '' })).cookie);
    expect(await hostCall(member, ROOM_EVENTS.hostJoinInfo)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    member.close();
  });

  it('reads the audit log with filters', async () => {
    const errors = await hostCall(host, ROOM_EVENTS.hostAudit, { onlyErrors: true, limit: 100 });
    expect(errors.ok && errors.value.length).toBeGreaterThan(0);
    expect(errors.ok && errors.value.every((e) => e.ok === false || e.code !== undefined)).toBe(true);
    const joins = await hostCall(host, ROOM_EVENTS.hostAudit, { kind: 'join', limit: 2 });
    expect(joins.ok && joins.value).toHaveLength(2);
    expect(joins.ok && joins.value.every((e) => e.kind === 'join')).toBe(true);
  });
});
