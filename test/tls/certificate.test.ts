import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import tls from 'node:tls';
import { defaultAddresses, normalizeIp } from '../../server/tls/san-defaults.ts';
import { startRoomServer, type RoomServer } from '../helpers/room-server.ts';

function peerCertificate(port: number, ca: string, servername?: string): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, ...(servername ? { servername } : {}) }, () => {
      const cert = socket.getPeerX509Certificate();
      socket.end();
      if (!socket.authorized) reject(socket.authorizationError);
      else if (cert) resolve(cert);
      else reject(new Error('no certificate'));
    });
    socket.on('error', reject);
  });
}

function plainGet(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('TLS and the plain-HTTP port', () => {
  let rs: RoomServer;
  let httpsPort: number;
  let httpPort: number;
  beforeAll(async () => {
    rs = await startRoomServer();
    httpsPort = rs.httpsPort;
    httpPort = rs.httpPort!;
  });
  afterAll(async () => { await rs?.stop(); });

  it('presents a certificate, signed by our CA, whose SANs name this machine every way a browser may', async () => {
    const cert = await peerCertificate(httpsPort, rs.peer.ca, 'localhost');
    const sans = (cert.subjectAltName ?? '').split(', ').map((e) => (e.startsWith('IP Address:') ? normalizeIp(e.slice(11)) : e.replace(/^DNS:/, '')));
    const host = os.hostname().toLowerCase().replace(/\.local$/, '');
    for (const want of ['localhost', host, `${host}.local`, '127.0.0.1', '::1', ...defaultAddresses()]) expect(sans).toContain(want);
    expect(cert.verify(new X509Certificate(rs.peer.ca).publicKey)).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.fingerprint256).toBe(rs.fingerprint256);
  });

  it('serves the CA certificate over plain HTTP as DER with the installable MIME type', async () => {
    const res = await plainGet(httpPort, '/ca.crt');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/x-x509-ca-cert');
    expect(new X509Certificate(res.body).fingerprint256).toBe(new X509Certificate(rs.peer.ca).fingerprint256);
    const pem = await plainGet(httpPort, '/ca.pem');
    expect(pem.body.toString()).toBe(rs.peer.ca);
  });

  it('serves a page that explains how to trust the CA and links to the HTTPS join page on the name the device used', async () => {
    const res = await plainGet(httpPort, '/', `localhost:${httpPort}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    const page = res.body.toString();
    expect(page).toContain('href="/ca.crt"');
    expect(page).toContain(`href="https://localhost:${httpsPort}/"`);
    expect(page).toContain(new X509Certificate(rs.peer.ca).fingerprint256);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  });

  it('redirects everything else to HTTPS on one of our own names', async () => {
    const res = await plainGet(httpPort, '/api/session?x=1', `localhost:${httpPort}`);
    expect(res.status).toBe(307);
    expect(res.headers.location).toBe(`https://localhost:${httpsPort}/api/session?x=1`);
  });
});
