import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../testkit/stack.ts';
import { commandId, connectRoom, connected, join, openDoc, request, send, synced, untyped, type Peer } from '../testkit/clients.ts';
import { until } from '../testkit/poll.ts';
import type * as Y from 'yjs';
import { AnswerSchema } from '../protocol/index.ts';

describe('walking path: browser → server → agent → Remote Script (simulator) → back', () => {
  let stack: Stack;
  let peer: Peer;

  beforeAll(async () => {
    stack = await startStack();
    peer = { base: stack.url, ca: stack.ca };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('healthz reports the agent and the simulated Live as connected', async () => {
    const res = await request(peer, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, agent: { connected: true }, live: { mode: 'sim', connected: true } });
  });

  it('song.set_tempo through socket.io is acknowledged and lands in the set doc', async () => {
    const { cookie } = await join(peer, { name: 'Ada', code: stack.joinCode });
    const setDoc = openDoc(peer, cookie, 'set');
    const socket = connectRoom(peer, cookie);
    try {
      await connected(socket);
      await synced(setDoc);
      const song = setDoc.doc.getMap('song');
      await until(() => typeof song.get('tempo') === 'number', 'the song entity in the set doc');
      const target = song.get('tempo') === 133 ? 97 : 133;
      const answer = await send(socket, { id: commandId(), action: 'song.set_tempo', args: { bpm: target } });
      expect(answer).toMatchObject({ ok: true, value: target });
      expect(answer.ok && typeof answer.rev).toBe('string');
      await until(() => song.get('tempo') === target, `tempo ${target} in the set doc`);
    } finally {
      socket.close();
      setDoc.destroy();
    }
  });

  it('tracks are keyed by stable id and carry id, rev, name, volume and mute', async () => {
    const { cookie } = await join(peer, { name: 'Grace', code: stack.joinCode });
    const setDoc = openDoc(peer, cookie, 'set');
    const socket = connectRoom(peer, cookie);
    try {
      await synced(setDoc);
      await connected(socket);
      const tracks = setDoc.doc.getMap<Y.Map<unknown>>('tracks');
      await until(() => tracks.size >= 8, 'the demo set’s tracks');
      for (const [id, track] of tracks) {
        expect(track.get('id')).toBe(id);
        expect(typeof track.get('rev')).toBe('string');
        expect(typeof track.get('name')).toBe('string');
        expect(track.get('volume')).toBeGreaterThanOrEqual(0);
        expect(track.get('volume')).toBeLessThanOrEqual(1);
        expect(typeof track.get('mute')).toBe('boolean');
      }
      const [id, first] = [...tracks.entries()][0]!;
      const volume = first.get('volume') === 0.5 ? 0.25 : 0.5;
      const answer = await send(socket, { id: commandId(), action: 'track.set_volume', target: id, args: { value: volume } });
      expect(answer.ok).toBe(true);
      await until(() => first.get('volume') === volume, 'the new volume in the set doc');
      const mute = await send(socket, { id: commandId(), action: 'track.set_mute', target: id, args: { value: !first.get('mute') } });
      expect(mute.ok).toBe(true);
    } finally {
      socket.close();
      setDoc.destroy();
    }
  });

  it('a malformed command gets INVALID and the server stays up', async () => {
    const { cookie } = await join(peer, { name: 'Lin', code: stack.joinCode });
    const socket = connectRoom(peer, cookie);
    try {
      await connected(socket);
      const malformed: unknown[] = [
        { id: commandId(), action: 'song.set_tempo', args: { bpm: 'fast' } },
        { id: commandId(), action: 'no.such_action', args: {} },
        { action: 'song.set_tempo', args: { bpm: 120 } },
        'not even an object',
        { id: commandId(), action: 'track.set_volume', args: { value: 0.5 } },
      ];
      for (const raw of malformed) {
        const answer = AnswerSchema.parse(await untyped(socket).timeout(5_000).emitWithAck('command', raw));
        expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      }
      const health = await request(peer, 'GET', '/healthz');
      expect(health.status).toBe(200);
      expect(stack.process.exitCode).toBeNull();
    } finally {
      socket.close();
    }
  });
});
