import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_EVENTS, type HostLoadMessage } from '../../protocol/index.ts';
import { request, type Peer } from '../../testkit/clients.ts';
import { joinAs, roomSocket, startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { until } from '../../testkit/poll.ts';
import { ConfigError } from '../../server/config.ts';

/**
 * H3 (docs/security.md): lockouts were per address only, and 47 addresses guessed 235
 * admin PINs in the first minute and found a 4-digit PIN. Now the whole room has a
 * budget of wrong PINs, the host console says someone is guessing, a configured PIN has
 * at least 6 digits (generated ones 8), and members who know the join code keep joining.
 * 127.0.0.2 and up stand in for the machines of the network; 127.0.0.1 is the studio computer.
 */
describe('H3 admin PIN guessing across many source addresses', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer(); });
  afterAll(async () => { await rs?.stop(); });

  const from = (n: number): Peer => ({ ...rs.peer, localAddress: `127.0.0.${n}` });
  const joinAsHost = (peer: Peer, pin: string) => request(peer, 'POST', '/api/join', { body: { name: 'Guesser', code: rs.joinCode, role: 'host', pin } });

  it('H3 47 addresses get 10 PINs checked, not 235; the right PIN from the network waits; members, the console and the studio computer are not shut out', async () => {
    const teacher = await joinAs(rs, 'Teacher', 'host');
    const console = await roomSocket(rs.peer, teacher.cookie);
    let load: HostLoadMessage | null = null;
    console.on(ROOM_EVENTS.hostLoad, (m: HostLoadMessage) => { load = m; });
    try {
      const answers: string[] = [];
      for (let guess = 0; guess < 5; guess++) {
        const round = await Promise.all(Array.from({ length: 47 }, (_, i) => joinAsHost(from(2 + i), String(100000 + guess * 47 + i))));
        answers.push(...round.map((r) => (r.body as { error: { code: string } }).error.code));
      }
      expect(answers).toHaveLength(235);
      expect(answers.filter((c) => c === 'BAD_PIN')).toHaveLength(10);
      expect(answers.filter((c) => c === 'BAD_PIN' || c === 'PIN_PAUSED' || c === 'THROTTLED')).toHaveLength(235);

      // The right PIN, from an address that never guessed: still not checked while paused.
      const right = await joinAsHost(from(60), rs.adminPin);
      expect(right.status).toBe(429);
      expect(right.body).toMatchObject({ error: { code: 'PIN_PAUSED', retryAfterMs: expect.any(Number) } });
      expect(right.headers['retry-after']).toBeDefined();

      // Members with the join code, from the guessing addresses, join as usual.
      for (const n of [2, 30, 48]) {
        const member = await request(from(n), 'POST', '/api/join', { body: { name: `Student ${n}`, code: rs.joinCode } });
        expect(member.status).toBe(200);
      }
      // The studio computer keeps its door.
      expect((await joinAsHost(rs.peer, rs.adminPin)).status).toBe(200);

      const seen = await until(() => (load && load.pinGuessing.pausedForMs > 0 ? load : null), 'the console told that someone is guessing');
      expect(seen.pinGuessing).toMatchObject({ failures: 10, addresses: 10 });
      expect(rs.server.parts.store.audit.query({ kind: 'pin_guessing' })).toHaveLength(1);
    } finally {
      console.close();
    }
  });

  it('H3 a class of 30 behind one address that mistypes the code 19 times all join', async () => {
    const school = from(70);
    for (let i = 0; i < 19; i++) {
      expect((await request(school, 'POST', '/api/join', { body: { name: 'Typo', code: '0000000' } })).status).toBe(403);
    }
    const joins = await Promise.all(Array.from({ length: 30 }, (_, i) => request(school, 'POST', '/api/join', { body: { name: `Pupil ${i}`, code: rs.joinCode } })));
    expect(joins.map((j) => j.status)).toEqual(Array<number>(30).fill(200));
  });

  it('H3 refuses a configured PIN shorter than 6 digits and generates 8', async () => {
    await expect(startRoomServer({ config: { adminPin: '4242' } })).rejects.toBeInstanceOf(ConfigError);
    const generated = await startRoomServer({ config: { adminPin: undefined } });
    try {
      expect(generated.adminPin).toMatch(/^\d{8}$/);
    } finally {
      await generated.stop();
    }
  });
});
