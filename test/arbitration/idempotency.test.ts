import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Harness, eventually as until } from './harness.ts';
import { commandId, connectRoom, connected, send } from '../../testkit/clients.ts';

describe('idempotency: a command id is executed at most once', { timeout: 180_000 }, () => {
  let h: Harness;
  beforeAll(async () => { h = await Harness.start(); });
  afterAll(async () => { await h?.stop(); });

  it('I1 the same command id sent twice executes once (a retry in flight awaits the first answer, a later one replays it)', async () => {
    const a = await h.member('Ada');
    const scenesBefore = await h.sim.eval('len(song.scenes)', z.number());
    const command = { id: commandId(), action: 'scene.create', args: { index: -1 } };
    // Twice at once: the second arrives while the first is in flight.
    const [first, second] = await Promise.all([send(a.socket, command), send(a.socket, command)]);
    expect(first.ok).toBe(true);
    expect(second).toEqual(first);
    // Once more after a reconnect, as a browser retries when it lost the answer.
    a.socket.close();
    const again = connectRoom(h.peer, a.cookie);
    h.sockets.push(again);
    await connected(again);
    expect(await send(again, command)).toEqual(first);
    expect(await h.sim.eval('len(song.scenes)', z.number())).toBe(scenesBefore + 1);
    const audit = h.auditFor(command.id);
    expect(audit).toHaveLength(3);
    expect(audit.filter((e) => e.detail?.includes('replayed'))).toHaveLength(2);
  });

  it('I3 a retry after a server restart is not executed again (the Remote Script knows the dispatch id)', async () => {
    const a = await h.member('Di');
    const command = { id: commandId(), action: 'scene.create', args: {} };
    const first = await send(a.socket, command);
    expect(first.ok).toBe(true);
    const scenes = await h.sim.eval('len(song.scenes)', z.number());
    await h.restartServer();
    await until(() => h.server.parts.agent.liveConnected && h.server.parts.room.mirror.epoch !== null, 'the agent back at the new server', 30_000);
    // The session survived the restart (persisted); its socket reconnects with the same cookie.
    const again = connectRoom(h.peer, a.cookie);
    h.sockets.push(again);
    await connected(again);
    const retry = await send(again, command);
    expect(retry).toEqual(first);
    expect(await h.sim.eval('len(song.scenes)', z.number())).toBe(scenes);
  });

  it('I2 the same id from another session is another command', async () => {
    const a = await h.member('Bo');
    const b = await h.member('Cy');
    const scenesBefore = await h.sim.eval('len(song.scenes)', z.number());
    const id = commandId();
    const [ra, rb] = await Promise.all([
      send(a.socket, { id, action: 'scene.create', args: {} }),
      send(b.socket, { id, action: 'scene.create', args: {} }),
    ]);
    expect(ra.ok && rb.ok).toBe(true);
    expect(await h.sim.eval('len(song.scenes)', z.number())).toBe(scenesBefore + 2);
  });
});
