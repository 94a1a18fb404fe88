import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, untyped } from '../../testkit/clients.ts';
import { tryUpgrade } from '../helpers/ws-probe.ts';
import { joinAs, roomSocket, startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { MAX_COMMAND_BYTES } from '../../protocol/index.ts';

describe('headers and size limits', () => {
  let rs: RoomServer;
  let cookie: string;
  beforeAll(async () => {
    rs = await startRoomServer();
    ({ cookie } = await joinAs(rs, 'Ada'));
  });
  afterAll(async () => { await rs?.stop(); });

  it('sends a CSP that allows only our own scripts and our own wss host', async () => {
    const res = await request(rs.peer, 'GET', '/healthz');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' wss://127.0.0.1:${rs.httpsPort}`);
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("manifest-src 'self'");
    expect(csp).toContain("worker-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['strict-transport-security']).toBeDefined();
  });

  it('closes a socket.io connection that sends more than the message limit', async () => {
    const socket = await roomSocket(rs.peer, cookie);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    untyped(socket).emit('command', { id: 'big', action: 'song.set_tempo', args: { pad: 'x'.repeat(MAX_COMMAND_BYTES + 1024) } });
    expect(await closed).toBe('transport close');
  });

  it('closes a y-websocket connection that sends more than the message limit', async () => {
    const res = await tryUpgrade(rs.peer, '/yjs/studio/notes', { cookie });
    expect(res.opened).toBe(true);
    if (!res.opened) return;
    const code = new Promise<number>((resolve) => res.socket.once('close', (c: number) => resolve(c)));
    res.socket.send(Buffer.alloc(2 * 1024 * 1024));
    expect(await code).toBe(1009);
  });
});
