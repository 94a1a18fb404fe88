import https from 'node:https';
import net from 'node:net';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../../testkit/clients.ts';
import { ensureCertificates } from '../../server/tls/certificates.ts';

/**
 * The bench's and the tests' HTTP client. Regression for the fan-out's "socket hang
 * up": a request sent after the client's event loop stalled across the server's
 * keep-alive close must still get its answer.
 */
describe('request()', () => {
  let server: https.Server;
  let base: string;
  let ca: string;
  let stallPort: number;
  let stallServer: net.Server;

  beforeAll(async () => {
    const certs = await ensureCertificates({ dir: mkdtempSync(path.join(os.tmpdir(), 'roomtone-certs-')) });
    ca = certs.caCert;
    server = https.createServer({ key: certs.key, cert: certs.cert }, (_req, res) => { res.end('ok'); });
    // Short, so the test is short: the client's agent would keep the connection ~1 s
    // (the hint less 1 s), the server closes it after ~3 s (Node adds a second).
    server.keepAliveTimeout = 2_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A socket whose message blocks this process's loop, as applying a big Yjs update does.
    stallServer = net.createServer((s) => s.on('data', () => {
      const until = Date.now() + 3_000;
      while (Date.now() < until) { /* the stall */ }
    }));
    await new Promise<void>((resolve) => stallServer.listen(0, '127.0.0.1', () => resolve()));
    stallPort = (stallServer.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => stallServer.close(resolve));
  });

  it('answers a request sent right after the loop stalled past the server\'s keep-alive close (no stale connection reused)', async () => {
    const peer = { base, ca };
    expect((await request(peer, 'GET', '/')).text).toBe('ok');
    const stall = net.connect(stallPort, '127.0.0.1');
    await new Promise((resolve) => stall.once('connect', resolve));
    // A timer due during the stall runs before the stall's end reads the server's close.
    const second = new Promise<string>((resolve, reject) => {
      setTimeout(() => { request(peer, 'GET', '/').then((r) => resolve(r.text), reject); }, 900);
    });
    stall.write('x');
    await expect(second).resolves.toBe('ok');
    stall.destroy();
  }, 20_000);
});
