import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import WebSocket from 'ws';
import { ROOM_EVENTS, type WireError } from '../../protocol/index.ts';
import { connectRoom, connected, openDoc, synced, type Peer } from '../helpers/clients.ts';
import { joinAs, startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { tryUpgrade } from '../helpers/ws-probe.ts';
import { until } from '../helpers/poll.ts';

/**
 * H14 (docs/security.md): one cookie held 200 room sockets and 200 notes connections.
 * A session now holds at most 8 /room sockets and 16 doc connections: past that its
 * oldest closes, told why (so a tablet that reconnects often is never the one refused),
 * and an address holds at most --max-connections-per-address WebSockets: past that a
 * new one gets a typed 429.
 */
describe('H14 no limits per session', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer(); });
  afterAll(async () => { await rs?.stop(); });

  it('H14 one cookie opening 200 room sockets and 200 notes connections holds 8 and 16; the oldest hear why; the newest and everyone else work', async () => {
    const eve = await joinAs(rs, 'Eve');
    const sockets: Socket[] = [];
    const told: WireError[] = [];
    const docs: WebSocket[] = [];
    const closeCodes: number[] = [];
    try {
      for (let batch = 0; batch < 10; batch++) {
        const opened = Array.from({ length: 20 }, () => connectRoom(rs.peer, eve.cookie));
        for (const s of opened) s.on(ROOM_EVENTS.closing, (e: WireError) => told.push(e));
        sockets.push(...opened);
        await Promise.all(opened.map((s) => connected(s).catch(() => undefined)));
        const opening = Array.from({ length: 20 }, () => {
          // The close listener goes on before the upgrade: the server may close an old one first.
          const ws = new WebSocket(`${rs.peer.base.replace(/^https/, 'wss')}/yjs/studio/notes`, { headers: { cookie: eve.cookie }, ca: rs.peer.ca });
          ws.on('close', (code: number) => closeCodes.push(code));
          docs.push(ws);
          return new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
        });
        await Promise.all(opening);
      }
      await until(() => sockets.filter((s) => s.connected).length === 8, 'the server to hold 8 of the session’s room sockets');
      await until(() => closeCodes.length === 184, 'the 184 oldest doc connections closed');
      expect(new Set(closeCodes)).toEqual(new Set([4008]));
      await until(() => told.length === 192, 'every closed room socket told why');
      expect(told.every((e) => e.code === 'TOO_MANY_CONNECTIONS')).toBe(true);
      // The newest are the ones kept.
      expect(sockets.slice(-8).every((s) => s.connected)).toBe(true);
      expect(docs.slice(-16).every((d) => d.readyState === d.OPEN)).toBe(true);

      // Someone else joins and syncs as usual.
      const ada = await joinAs(rs, 'Ada');
      const notes = openDoc(rs.peer, ada.cookie, 'notes');
      const room = connectRoom(rs.peer, ada.cookie);
      await synced(notes);
      await connected(room);
      notes.destroy();
      room.close();
    } finally {
      for (const s of sockets) s.close();
      for (const d of docs) d.terminate();
    }
  }, 180_000); // 400 TLS connections take minutes on a machine that is busy elsewhere
});

describe('H14 no limits per address', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer({ config: { maxConnectionsPerAddress: 12 } }); });
  afterAll(async () => { await rs?.stop(); });

  it('H14 past the cap an address gets a typed 429 for a new WebSocket; other addresses, and the same one after closing some, get in', async () => {
    const school: Peer = { ...rs.peer, localAddress: '127.0.0.3' };
    const cookies = await Promise.all(Array.from({ length: 6 }, (_, i) => joinAs(rs, `Pupil ${i}`, 'member', school)));
    const open: WebSocket[] = [];
    try {
      for (const { cookie } of cookies) {
        for (const doc of ['set', 'notes']) {
          const u = await tryUpgrade(school, `/yjs/studio/${doc}`, { cookie });
          expect(u.opened).toBe(true);
          if (u.opened) open.push(u.socket);
        }
      }
      const refused = await tryUpgrade(school, '/yjs/studio/notes', { cookie: cookies[0]!.cookie });
      expect(refused).toMatchObject({ opened: false, status: 429 });
      expect(!refused.opened && JSON.parse(refused.body)).toMatchObject({ error: { code: 'TOO_MANY_CONNECTIONS', message: expect.stringContaining('--max-connections-per-address') } });

      const elsewhere = await joinAs(rs, 'Teacher');
      const other = await tryUpgrade(rs.peer, '/yjs/studio/notes', { cookie: elsewhere.cookie });
      expect(other.opened).toBe(true);
      if (other.opened) other.socket.terminate();

      const closed = new Promise((resolve) => open[0]!.once('close', resolve));
      open.shift()!.close();
      await closed;
      await until(async () => {
        const again = await tryUpgrade(school, '/yjs/studio/notes', { cookie: cookies[0]!.cookie });
        if (again.opened) open.push(again.socket);
        return again.opened;
      }, 'a new connection once one closed');
    } finally {
      for (const ws of open) ws.terminate();
    }
  });
});
