import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ROOM_EVENTS, type Answer } from '../../protocol/index.ts';
import { commandId } from '../../testkit/clients.ts';
import { hostCall, joinAs, roomSocket, startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { until } from '../../testkit/poll.ts';

const tempo = (): { id: string; action: string; args: { bpm: number } } => ({ id: commandId(), action: 'song.set_tempo', args: { bpm: 120 } });
const send = (socket: Socket, command: unknown): Promise<Answer> => socket.timeout(5_000).emitWithAck(ROOM_EVENTS.command, command) as Promise<Answer>;
const code = (a: Answer): string | null => (a.ok ? null : a.error.code);

describe('roles, lock and freeze', () => {
  let rs: RoomServer;
  let host: Socket;
  let member: Socket;
  let observer: Socket;
  let memberId: string;
  beforeAll(async () => {
    rs = await startRoomServer();
    host = await roomSocket(rs.peer, (await joinAs(rs, 'Teacher', 'host')).cookie);
    const m = await joinAs(rs, 'Ada', 'member');
    memberId = m.id;
    member = await roomSocket(rs.peer, m.cookie);
    observer = await roomSocket(rs.peer, (await joinAs(rs, 'Olli', 'observer')).cookie);
  });
  afterAll(async () => {
    for (const s of [host, member, observer]) s?.close();
    await rs?.stop();
  });

  it('an observer’s command is FORBIDDEN; a member’s gets past the role check', async () => {
    expect(code(await send(observer, tempo()))).toBe('FORBIDDEN');
    // No host agent in this server: a command that passes every room check meets AGENT_OFFLINE.
    expect(code(await send(member, tempo()))).toBe('AGENT_OFFLINE');
  });

  it('host powers are refused to members and observers', async () => {
    for (const s of [member, observer]) {
      const ack = await hostCall(s, ROOM_EVENTS.hostLock, { locked: true });
      expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(rs.server.parts.room.locked).toBe(false);
  });

  it('a host power with a malformed payload is INVALID', async () => {
    expect(await hostCall(host, ROOM_EVENTS.hostLock, { locked: 'yes' })).toMatchObject({ ok: false, error: { code: 'INVALID' } });
  });

  it('a locked room refuses members with ROOM_LOCKED but not the host, and everyone hears of it', async () => {
    const heard = new Promise((resolve) => member.once(ROOM_EVENTS.room, resolve));
    expect(await hostCall(host, ROOM_EVENTS.hostLock, { locked: true })).toEqual({ ok: true, value: { locked: true, frozen: false } });
    expect(await heard).toEqual({ locked: true, frozen: false });
    expect(code(await send(member, tempo()))).toBe('ROOM_LOCKED');
    expect(code(await send(host, tempo()))).toBe('AGENT_OFFLINE');
    await hostCall(host, ROOM_EVENTS.hostLock, { locked: false });
    expect(code(await send(member, tempo()))).toBe('AGENT_OFFLINE');
  });

  it('a frozen room refuses everyone with FROZEN, the host included', async () => {
    expect(await hostCall(host, ROOM_EVENTS.hostFreeze, { frozen: true })).toMatchObject({ ok: true, value: { frozen: true } });
    expect(code(await send(member, tempo()))).toBe('FROZEN');
    expect(code(await send(host, tempo()))).toBe('FROZEN');
    await hostCall(host, ROOM_EVENTS.hostFreeze, { frozen: false });
    expect(code(await send(host, tempo()))).toBe('AGENT_OFFLINE');
  });

  it('revoking control makes a member’s commands FORBIDDEN and tells the member', async () => {
    const you = new Promise<{ canControl?: boolean }>((resolve) => member.once(ROOM_EVENTS.you, resolve));
    expect(await hostCall(host, ROOM_EVENTS.hostSetControl, { sessionId: memberId, allowed: false })).toMatchObject({ ok: true, value: { canControl: false } });
    expect(await you).toEqual({ canControl: false });
    expect(code(await send(member, tempo()))).toBe('FORBIDDEN');
    await hostCall(host, ROOM_EVENTS.hostSetControl, { sessionId: memberId, allowed: true });
    expect(code(await send(member, tempo()))).toBe('AGENT_OFFLINE');
  });

  it('assigning tracks restricts a member to them', async () => {
    const you = new Promise<{ assignedTracks?: string[] }>((resolve) => member.once(ROOM_EVENTS.you, resolve));
    expect(await hostCall(host, ROOM_EVENTS.hostAssignTracks, { sessionId: memberId, trackIds: ['t-bass'] })).toMatchObject({ ok: true, value: { assignedTracks: ['t-bass'] } });
    expect(await you).toEqual({ assignedTracks: ['t-bass'] });
    const answer = await send(member, { id: commandId(), action: 'track.set_volume', target: 't-drums', args: { value: 0.5 } });
    expect(code(answer)).toBe('FORBIDDEN');
    await hostCall(host, ROOM_EVENTS.hostAssignTracks, { sessionId: memberId, trackIds: [] });
  });

  it('the host’s powers are in the audit log under the host’s name', async () => {
    const ack = await hostCall(host, ROOM_EVENTS.hostAudit, { kind: 'host', limit: 50 });
    expect(ack.ok).toBe(true);
    const actions = ack.ok ? ack.value.map((e) => e.action) : [];
    for (const a of [ROOM_EVENTS.hostLock, ROOM_EVENTS.hostFreeze, ROOM_EVENTS.hostSetControl, ROOM_EVENTS.hostAssignTracks]) expect(actions).toContain(a);
    expect(ack.ok && ack.value.every((e) => e.name === 'Teacher')).toBe(true);
    await until(() => rs.server.parts.store.audit.query({ kind: 'host_refused' }).length >= 2, 'refused host powers audited');
  });
});
