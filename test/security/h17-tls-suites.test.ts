import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoomServer, type RoomServer } from '../helpers/room-server.ts';

/** Resolves with the negotiated suite, or null when the server refuses every suite offered. */
function handshake(port: number, ca: string, options: tls.ConnectionOptions): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca, servername: 'localhost', ...options }, () => {
      const name = socket.getCipher().name;
      socket.end();
      resolve(name);
    });
    socket.on('error', () => resolve(null));
  });
}

const AEAD = /GCM|CHACHA20|CCM/i;

/**
 * H17 (docs/security.md): TLS 1.2 still offered CBC suites. The server now offers only
 * ECDHE with an AEAD cipher under TLS 1.2 (and TLS 1.3, whose suites are all AEAD):
 * every suite this Node knows is offered alone, and only AEAD ones are accepted.
 */
describe('H17 TLS 1.2 still offers CBC suites', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer(); });
  afterAll(async () => { await rs?.stop(); });

  it('H17 a TLS 1.2 client offering one suite at a time gets a connection only for AEAD suites; TLS 1.3 still works', async () => {
    const accepted: string[] = [];
    for (const suite of tls.getCiphers()) {
      if (suite.startsWith('tls_')) continue; // TLS 1.3 names: not TLS 1.2 suites
      const got = await handshake(rs.httpsPort, rs.peer.ca, { maxVersion: 'TLSv1.2', ciphers: suite.toUpperCase() });
      if (got) accepted.push(got);
    }
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.filter((s) => !AEAD.test(s))).toEqual([]);
    expect(await handshake(rs.httpsPort, rs.peer.ca, { minVersion: 'TLSv1.3' })).toMatch(/^TLS_/);
    expect(await handshake(rs.httpsPort, rs.peer.ca, { maxVersion: 'TLSv1.1', minVersion: 'TLSv1' })).toBeNull();
  });
});
