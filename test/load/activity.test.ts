import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_EVENTS, type ActivityMessage, type WelcomeMessage } from '../../protocol/index.ts';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { commandId, connectRoom, connected, join, send, type Peer, type RoomClient } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';

/**
 * `activity` ("Sam muted Bass") on the real stack: one message for every member and
 * host, encoded once (issue 17), with each item tagged by its author's opaque `actor`,
 * which only the author's own pages are told (welcome.actor); observers get none.
 */
describe('activity: who changed what, one message for the room', () => {
  let stack: Stack;
  let peer: Peer;
  const sockets: RoomClient[] = [];

  async function person(name: string, role: 'member' | 'observer' | 'host' = 'member'): Promise<{ socket: RoomClient; welcome: WelcomeMessage; got: ActivityMessage[] }> {
    const { cookie } = await join(peer, { name, code: stack.joinCode, role, ...(role === 'host' ? { pin: stack.adminPin } : {}) });
    const socket = connectRoom(peer, cookie);
    sockets.push(socket);
    const got: ActivityMessage[] = [];
    socket.on(ROOM_EVENTS.activity, (m: ActivityMessage) => got.push(m));
    const welcome = new Promise<WelcomeMessage>((resolve) => socket.once(ROOM_EVENTS.welcome, resolve));
    await connected(socket);
    return { socket, welcome: await welcome, got };
  }

  beforeAll(async () => {
    stack = await startStack();
    peer = { base: stack.url, ca: stack.ca };
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await stack?.stop();
  });

  it('reaches members and hosts with the author tagged, never observers, and never shows a session id', async () => {
    const sam = await person('Sam');
    const ines = await person('Ines');
    const teacher = await person('Teacher', 'host');
    const watcher = await person('Watcher', 'observer');
    expect(sam.welcome.actor).toMatch(/^[\w-]{8,}$/);
    expect(ines.welcome.actor).not.toBe(sam.welcome.actor);

    const answer = await send(sam.socket, { id: commandId(), action: 'song.set_tempo', args: { bpm: 101 } });
    expect(answer).toMatchObject({ ok: true });
    const bySam = (m: ActivityMessage): boolean => m.items.some((i) => i.name === 'Sam' && i.action === 'song.set_tempo');
    await until(() => ines.got.some(bySam) && teacher.got.some(bySam) && sam.got.some(bySam), 'the tempo change in every member\'s and host\'s activity', 5_000);

    const item = ines.got.find(bySam)!.items.find((i) => i.name === 'Sam')!;
    expect(item).toMatchObject({ action: 'song.set_tempo', args: { bpm: 101 }, actor: sam.welcome.actor });
    // The same message for all: the author's page gets it too and leaves it out by its tag.
    expect(sam.got.find(bySam)).toEqual(ines.got.find(bySam));
    expect(JSON.stringify(ines.got)).not.toMatch(/"s_[A-Za-z0-9_-]{6,}"/);
    expect(watcher.got).toEqual([]);
  });
});
