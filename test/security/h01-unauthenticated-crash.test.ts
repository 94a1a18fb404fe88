import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_SOCKET_PATH } from '../../protocol/index.ts';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { commandId, connectRoom, connected, join, request, send, type Peer } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';

/**
 * H1 (docs/security.md): engine.io answered a long-polling handshake, and a second GET
 * with that sid was answered by engine.io and by express; ERR_HTTP_HEADERS_SENT ended
 * the process. Against the real `npm start` process: both socket.io paths take
 * WebSocket only, and the server, its sessions and their sockets outlive the attempt.
 */
describe('H1 unauthenticated crash', () => {
  let stack: Stack;
  let peer: Peer;
  let cookie: string;

  beforeAll(async () => {
    stack = await startStack();
    peer = { base: stack.url, ca: stack.ca };
    ({ cookie } = await join(peer, { name: 'Ada', code: stack.joinCode }));
  });
  afterAll(async () => { await stack?.stop(); });

  it('H1 a long-polling handshake and a GET with its sid, on /socket.io/ and the agent path, leave the process, the session and its socket up', async () => {
    const socket = connectRoom(peer, cookie);
    await connected(socket);
    try {
      // The finding, as an attacker sends it: a handshake, a namespace CONNECT (so engine.io
      // has a packet to flush), then a GET with the sid, which engine.io and the page
      // handler both answered.
      for (const path of ['/socket.io/', AGENT_SOCKET_PATH]) {
        const first = await request(peer, 'GET', `${path}?EIO=4&transport=polling`).catch(() => null);
        const sid = /"sid":"([^"]+)"/.exec(first?.text ?? '')?.[1] ?? 'x';
        await request(peer, 'POST', `${path}?EIO=4&transport=polling&sid=${sid}`, { body: '40/room,', headers: { 'content-type': 'text/plain;charset=UTF-8' } }).catch(() => null);
        await request(peer, 'GET', `${path}?EIO=4&transport=polling&sid=${sid}`).catch(() => null);
      }
      await until(async () => (await request(peer, 'GET', '/healthz').catch(() => null))?.status === 200 || stack.process.exitCode !== null, 'the server answering or ending');
      expect((await request(peer, 'GET', '/healthz')).status).toBe(200);
      expect(stack.process.exitCode).toBeNull();
      expect((await request(peer, 'GET', '/api/session', { cookie })).status).toBe(200);
      expect(socket.connected).toBe(true);
      const answer = await send(socket, { id: commandId(), action: 'system.ping', args: {} });
      expect(answer.ok).toBe(true);

      // Why: both paths speak WebSocket only, and each request has one owner.
      for (const path of ['/socket.io/', AGENT_SOCKET_PATH]) {
        const handshake = await request(peer, 'GET', `${path}?EIO=4&transport=polling`);
        expect(handshake.status).toBe(400);
        expect(handshake.body).toEqual({ code: 0, message: 'Transport unknown' });
        expect((await request(peer, 'GET', `${path}?EIO=4&transport=polling&sid=x`)).status).toBe(400);
        expect((await request(peer, 'POST', `${path}?EIO=4&transport=polling&sid=x`, { body: '1:6' })).status).toBe(400);
      }
      // A plain GET on the y-websocket path is not handed to the page handler either.
      expect((await request(peer, 'GET', '/yjs/studio/notes')).status).toBe(426);
      expect(stack.process.exitCode).toBeNull();
    } finally {
      socket.close();
    }
  });
});
