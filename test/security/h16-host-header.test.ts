import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOM_EVENTS } from '../../protocol/index.ts';
import { request } from '../../testkit/clients.ts';
import { hostCall, joinAs, roomSocket, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

function plainGet(port: number, path: string, host: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    }).on('error', reject);
  });
}

/**
 * H16 (docs/security.md): the Host header was echoed into the CSP, redirects and the QR
 * link, and a `;` in it gave a 500. Every absolute URL is now built from the server's
 * own names (its certificate's SANs and the LAN address it serves) and its port.
 */
describe('H16 the Host header is echoed', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer(); });
  afterAll(async () => { await rs?.stop(); });

  it('H16 a forged Host header reaches no CSP, redirect, link or origin decision, and a ";" in it is no 500', async () => {
    for (const host of ['evil.example', `evil.example;script-src *:${rs.httpsPort}`, 'a b', `127.0.0.1:${rs.httpsPort};x`]) {
      const page = await request(rs.peer, 'GET', '/', { headers: { host }, servername: 'localhost' });
      expect(page.status).toBe(200);
      const csp = String(page.headers['content-security-policy']);
      expect(csp).not.toContain('evil');
      expect(csp).toContain(`connect-src 'self' wss://127.0.0.1:${rs.httpsPort};`);
      const redirect = await plainGet(rs.httpPort!, '/anything', host);
      expect(redirect.status).toBe(307);
      expect(redirect.headers.location).toBe(`https://127.0.0.1:${rs.httpsPort}/anything`);
      expect(redirect.text).not.toContain('evil');
      const trust = await plainGet(rs.httpPort!, '/', host);
      expect(trust.text).not.toContain('evil');
    }
    // An Origin that only matches the forged Host is still a foreign origin.
    const forged = await request(rs.peer, 'POST', '/api/join', {
      headers: { host: `evil.example:${rs.httpsPort}` }, servername: 'localhost', origin: `https://evil.example:${rs.httpsPort}`,
      body: { name: 'Mallory', code: rs.joinCode },
    });
    expect(forged.status).toBe(403);
    expect(forged.body).toMatchObject({ error: { code: 'ORIGIN_REJECTED' } });

    const host = await joinAs(rs, 'Teacher', 'host');
    const console = await roomSocket(rs.peer, host.cookie);
    try {
      const info = await hostCall(console, ROOM_EVENTS.hostJoinInfo);
      expect(info.ok && info.value.joinUrl).toBe(`https://127.0.0.1:${rs.httpsPort}/?code=${rs.joinCode}`);
    } finally {
      console.close();
    }
  });
});
