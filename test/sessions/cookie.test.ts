import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SESSION_COOKIE } from '../../protocol/index.ts';
import { request } from '../../testkit/clients.ts';
import { startRoomServer, session, type RoomServer } from '../helpers/room-server.ts';

describe('the session cookie', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer(); });
  afterAll(async () => { await rs?.stop(); });

  it('is HttpOnly, Secure, SameSite=Strict, host-wide, and holds a 256-bit token', async () => {
    const res = await request(rs.peer, 'POST', '/api/join', { body: { name: 'Ada', code: rs.joinCode } });
    expect(res.status).toBe(200);
    const header = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!;
    const parts = header.split(';').map((p) => p.trim());
    const [name, value] = parts[0]!.split('=');
    expect(name).toBe(SESSION_COOKIE);
    expect(Buffer.from(decodeURIComponent(value!), 'base64url')).toHaveLength(32);
    expect(parts).toContain('HttpOnly');
    expect(parts).toContain('Secure');
    expect(parts).toContain('SameSite=Strict');
    expect(parts).toContain('Path=/');
    expect(parts.find((p) => p.startsWith('Max-Age='))).toMatch(/^Max-Age=\d+$/);
  });

  it('is stored only as its SHA-256 in the data dir', async () => {
    const res = await request(rs.peer, 'POST', '/api/join', { body: { name: 'Hash', code: rs.joinCode } });
    const token = decodeURIComponent(([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!.split(';')[0]!.split('=')[1]!);
    await rs.server.parts.store.flush();
    const state = readFileSync(path.join(rs.dataDir, 'state.json'), 'utf8');
    expect(state).not.toContain(token);
    expect(state).toContain(createHash('sha256').update(token).digest('hex'));
  });

  it('is what every /api route after join needs', async () => {
    for (const [method, route] of [['GET', '/api/session'], ['POST', '/api/leave'], ['POST', '/api/session/refresh'], ['GET', '/api/anything']] as const) {
      const res = await request(rs.peer, method, route);
      expect(res.status, `${method} ${route}`).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
    const health = await request(rs.peer, 'GET', '/healthz');
    expect(health.status).toBe(200);
  });

  it('refresh issues a new token and the old one stops working', async () => {
    const res = await request(rs.peer, 'POST', '/api/join', { body: { name: 'Fresh', code: rs.joinCode } });
    const old = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    const refreshed = await request(rs.peer, 'POST', '/api/session/refresh', { cookie: old });
    expect(refreshed.status).toBe(200);
    const fresh = ([] as string[]).concat(refreshed.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    expect(fresh).not.toBe(old);
    expect((await session(rs.peer, old)).status).toBe(401);
    expect((await session(rs.peer, fresh)).status).toBe(200);
  });

  it('leave ends the session and clears the cookie', async () => {
    const res = await request(rs.peer, 'POST', '/api/join', { body: { name: 'Bye', code: rs.joinCode } });
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]!.split(';')[0]!;
    const left = await request(rs.peer, 'POST', '/api/leave', { cookie });
    expect(left.status).toBe(204);
    expect(([] as string[]).concat(left.headers['set-cookie'] ?? [])[0]).toMatch(/Max-Age=0/);
    expect((await session(rs.peer, cookie)).status).toBe(401);
  });
});
