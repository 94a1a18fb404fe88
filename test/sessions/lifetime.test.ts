import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../../testkit/poll.ts';
import { joinAs, roomSocket, session, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

describe('session lifetime', () => {
  let rs: RoomServer;
  beforeAll(async () => {
    rs = await startRoomServer({ config: { session: { idleTimeoutMs: 1_500, absoluteLifetimeMs: 4_000, graceMs: 500 } } });
  });
  afterAll(async () => { await rs?.stop(); });

  it('ends after the idle timeout without activity', async () => {
    const { cookie } = await joinAs(rs, 'Idle');
    expect((await session(rs.peer, cookie)).status).toBe(200);
    const token = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
    const startedAt = Date.now();
    // Poll the store directly: check() does not count as activity, an HTTP probe would.
    const ended = await until(() => {
      const result = rs.server.parts.sessions.check(token, '127.0.0.1');
      return result.ok ? null : result;
    }, 'the idle timeout to end the session', 5_000, 50);
    expect(ended.reason).toBe('expired');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1_400);
    const res = await session(rs.peer, cookie);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('ends at the absolute lifetime even while active', async () => {
    const { cookie } = await joinAs(rs, 'Busy');
    const startedAt = Date.now();
    let last = 200;
    await until(async () => {
      last = (await session(rs.peer, cookie)).status; // activity every 200 ms: never idle
      return last === 401;
    }, 'the absolute lifetime to end the session', 8_000, 200);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(3_900);
  });
});

describe('heartbeat and sweep', () => {
  let rs: RoomServer;
  beforeAll(async () => {
    rs = await startRoomServer({ config: { session: { idleTimeoutMs: 1_200, absoluteLifetimeMs: 5_000, graceMs: 500 } } });
  });
  afterAll(async () => { await rs?.stop(); });

  it('an open socket keeps its session alive past the idle timeout, and the lifetime still ends it, closing the socket', async () => {
    const { cookie } = await joinAs(rs, 'Connected');
    const token = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
    const socket = await roomSocket(rs.peer, cookie);
    const closed = new Promise<number>((resolve) => socket.once('disconnect', () => resolve(Date.now())));
    const startedAt = Date.now();
    // Every poll asserts the session is still valid until well past two idle timeouts.
    await until(() => {
      expect(rs.server.parts.sessions.check(token, '127.0.0.1').ok).toBe(true);
      return Date.now() - startedAt > 3_000;
    }, 'three seconds with the socket open', 6_000, 100);
    const at = await closed;
    expect(at - startedAt).toBeGreaterThan(3_000);
    expect((await session(rs.peer, cookie)).status).toBe(401);
    expect(rs.server.parts.store.audit.query({ kind: 'session_expired' }).length).toBeGreaterThan(0);
  });
});

describe('presence after a disconnect', () => {
  let rs: RoomServer;
  beforeAll(async () => {
    rs = await startRoomServer({ config: { session: { idleTimeoutMs: 60_000, absoluteLifetimeMs: 3_600_000, graceMs: 1_000 } } });
  });
  afterAll(async () => { await rs?.stop(); });

  it('shows a session away for the grace period after its last socket closes, then offline, and keeps its token', async () => {
    const { cookie, id } = await joinAs(rs, 'Wanderer');
    const socket = await roomSocket(rs.peer, cookie);
    const presence = rs.server.parts.services.presence;
    await until(() => presence.state(id) === 'online', 'online while the socket is open');
    socket.close();
    await until(() => presence.state(id) === 'away', 'away right after the socket closed', 2_000, 10);
    await until(() => presence.state(id) === 'offline', 'offline after the grace period', 3_000);
    expect((await session(rs.peer, cookie)).status).toBe(200);
  });
});
