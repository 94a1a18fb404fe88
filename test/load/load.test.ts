import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ROOM_EVENTS, type HostLoadMessage, type LoadMessage } from '../../protocol/index.ts';
import { until } from '../../testkit/poll.ts';
import { joinAs, roomSocket, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

const LOAD_KEYS = ['agentConnected', 'agentLatencyMs', 'liveConnected', 'othersActive', 'othersDownloads', 'othersTasksInFlight', 'othersUploads', 'queueDepth', 'simulated'];

describe('the load broadcast', () => {
  let rs: RoomServer;
  const sockets: Socket[] = [];
  const memberGot: LoadMessage[] = [];
  const hostGot: HostLoadMessage[] = [];
  let others: Array<{ id: string; name: string }>;

  beforeAll(async () => {
    rs = await startRoomServer();
    const me = await joinAs(rs, 'Quiet Member');
    const mine = await roomSocket(rs.peer, me.cookie);
    mine.on(ROOM_EVENTS.load, (m: LoadMessage) => memberGot.push(m));
    mine.on(ROOM_EVENTS.hostLoad, () => { throw new Error('a member must not get host:load'); });
    sockets.push(mine);
    const bob = await joinAs(rs, 'Bob Busybody');
    const teacher = await joinAs(rs, 'Teacher Tess', 'host');
    others = [{ id: bob.id, name: 'Bob Busybody' }, { id: teacher.id, name: 'Teacher Tess' }];
    const bobSocket = await roomSocket(rs.peer, bob.cookie);
    const hostSocket = await roomSocket(rs.peer, teacher.cookie);
    hostSocket.on(ROOM_EVENTS.hostLoad, (m: HostLoadMessage) => hostGot.push(m));
    sockets.push(bobSocket, hostSocket);
    // Bob keeps busy, so there is something to count.
    for (let i = 0; i < 5; i++) bobSocket.emit(ROOM_EVENTS.command, { id: `bob-${i}`, action: 'song.set_tempo', args: { bpm: 90 + i } }, () => undefined);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await rs?.stop();
  });

  it('reaches a member about once a second and counts the others', async () => {
    await until(() => memberGot.some((m) => m.othersActive === 2), 'a load message with both others online', 5_000);
    const count = memberGot.length;
    await until(() => memberGot.length >= count + 2, 'two more periodic load messages', 5_000);
  });

  it('carries counts only — never another session’s name, id or IP', () => {
    expect(memberGot.length).toBeGreaterThan(0);
    for (const message of memberGot) {
      expect(Object.keys(message).sort()).toEqual(LOAD_KEYS);
      const text = JSON.stringify(message);
      for (const other of others) {
        expect(text).not.toContain(other.id);
        expect(text).not.toContain(other.name);
      }
      expect(text).not.toContain('127.0.0.1');
      expect(text).not.toContain('tempo');
    }
  });

  it('gives the host the identified view', async () => {
    await until(() => hostGot.some((m) => m.sessions.length === 3), 'host:load with three sessions', 5_000);
    const last = hostGot.at(-1)!;
    expect(last.sessions.map((s) => s.name).sort()).toEqual(['Bob Busybody', 'Quiet Member', 'Teacher Tess']);
    expect(last.sessions.find((s) => s.name === 'Bob Busybody')!.commandsPerMinute).toBe(5);
  });

  it('changes soon after someone leaves', async () => {
    sockets[1]!.close();
    await until(() => memberGot.at(-1)?.othersActive === 1, 'othersActive back to 1', 3_000);
  });
});
