import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoomServer, type RoomServer } from '../helpers/room-server.ts';

function plain(port: number, method: string, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  return new Promise((resolve, reject) => {
    http.request({ host: '127.0.0.1', port, method, path }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => { text += c.toString('latin1'); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    }).on('error', reject).end();
  });
}

/**
 * H2 (docs/security.md): the plain-HTTP page showed the join code and a QR code of the
 * join link to anyone who could reach the port, so the classroom next door was one page
 * away from membership. The page now explains how to trust the CA and links to the HTTPS
 * join page; no answer on the plain port carries the code.
 */
describe('H2 the join code is served to the whole network', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer(); });
  afterAll(async () => { await rs?.stop(); });

  it('H2 no page, redirect or file on the plain-HTTP port contains the join code; the page links to the CA and the HTTPS join page', async () => {
    const port = rs.httpPort!;
    const answers = await Promise.all([
      ...['/', '/join', '/trust', '/index.html', '/?code=1', '/api/session', '/qr.png', '/ca.pem'].map((p) => plain(port, 'GET', p)),
      plain(port, 'HEAD', '/'), plain(port, 'POST', '/api/join'),
    ]);
    for (const a of answers) {
      expect(a.text).not.toContain(rs.joinCode);
      expect(JSON.stringify(a.headers)).not.toContain(rs.joinCode);
    }
    const page = answers[0];
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/<img|data:image/);
    expect(page.text).toContain('href="/ca.crt"');
    expect(page.text).toContain(`href="https://127.0.0.1:${rs.httpsPort}/"`);
  });
});
