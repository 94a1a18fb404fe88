import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpErrorSchema } from '../../protocol/index.ts';
import { request } from '../../testkit/clients.ts';
import { startRoomServer, type RoomServer } from '../helpers/room-server.ts';

describe('joining', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer(); });
  afterAll(async () => { await rs?.stop(); });

  const wrongCode = (code: string): string => (code === '000000' ? '111111' : '000000');

  it('refuses a wrong join code', async () => {
    const res = await request(rs.peer, 'POST', '/api/join', { body: { name: 'Guess', code: wrongCode(rs.joinCode) } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'BAD_JOIN_CODE' } });
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('refuses the host role with a wrong or missing PIN, and grants it with the right one', async () => {
    for (const pin of ['000000', undefined]) {
      const res = await request(rs.peer, 'POST', '/api/join', { body: { name: 'Wannabe', code: rs.joinCode, role: 'host', ...(pin ? { pin } : {}) } });
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: { code: 'BAD_PIN' } });
    }
    const ok = await request(rs.peer, 'POST', '/api/join', { body: { name: 'Teacher', code: rs.joinCode, role: 'host', pin: rs.adminPin } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ session: { role: 'host' } });
  });

  it('throttles guessing from one address with 429, Retry-After and THROTTLED — even a right code', async () => {
    let last = await request(rs.thief, 'POST', '/api/join', { body: { name: 'Bot', code: wrongCode(rs.joinCode) } });
    for (let i = 0; i < 30 && last.status !== 429; i++) {
      last = await request(rs.thief, 'POST', '/api/join', { body: { name: 'Bot', code: wrongCode(rs.joinCode) } });
    }
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ error: { code: 'THROTTLED' } });
    expect(HttpErrorSchema.parse(last.body).error.retryAfterMs).toBeGreaterThan(0);
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    const right = await request(rs.thief, 'POST', '/api/join', { body: { name: 'Bot', code: rs.joinCode } });
    expect(right.status).toBe(429);
  });

  it('does not throttle another address', async () => {
    const res = await request(rs.peer, 'POST', '/api/join', { body: { name: 'Student', code: rs.joinCode } });
    expect(res.status).toBe(200);
  });

  it('audits wrong codes, wrong PINs and throttling with the source address', () => {
    rs.server.parts.store.audit.settle();
    const refused = rs.server.parts.store.audit.query({ kind: 'join_refused' });
    expect(refused.some((e) => e.code === 'BAD_JOIN_CODE' && e.ip === '127.0.0.2')).toBe(true);
    expect(rs.server.parts.store.audit.query({ kind: 'join_refused', limit: 1000 }).some((e) => e.code === 'BAD_PIN' && e.name === 'Wannabe')).toBe(true);
    expect(rs.server.parts.store.audit.query({ kind: 'join_throttled' }).some((e) => e.ip === '127.0.0.2')).toBe(true);
  });

  it('rejects a malformed join body with INVALID and an oversized one with TOO_LARGE', async () => {
    const bad = await request(rs.peer, 'POST', '/api/join', { body: { name: '', code: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'INVALID' } });
    const big = await request(rs.peer, 'POST', '/api/join', { body: { name: 'x'.repeat(70_000), code: rs.joinCode } });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: { code: 'TOO_LARGE' } });
  });
});
