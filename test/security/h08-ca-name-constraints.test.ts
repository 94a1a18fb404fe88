import { promises as fs } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCertificates, type Certificates } from '../../server/tls/certificates.ts';
import { makeServerCert } from '../../server/tls/forge-certs.ts';

/** Serves `cert` on loopback and reports how a client that trusts only our CA judges it under `servername`. */
async function judge(cert: { keyPem: string; certPem: string }, ca: string, servername: string): Promise<string> {
  const server = https.createServer({ key: cert.keyPem, cert: cert.certPem }, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await new Promise<string>((resolve) => {
      const req = https.get({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ca, servername, checkServerIdentity: () => undefined, agent: false }, (res) => {
        res.resume();
        resolve('trusted');
      });
      req.on('error', (err: NodeJS.ErrnoException) => resolve(`${err.code ?? ''}: ${err.message}`));
    });
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/** OpenSSL's verdict on a name outside the CA's constraints (X509_V_ERR_PERMITTED_VIOLATION). */
const REFUSED = /permitted subtree violation/;

/**
 * H8 (docs/security.md): tablets trust the local CA, and it could sign for any site.
 * It now carries critical name constraints: the studio's host names, `.local`,
 * `localhost`, the local address ranges and the networks it serves. A certificate its
 * key signs for anything else is refused by the client's own TLS (OpenSSL here, and
 * every browser), and Roomtone's own certificate still verifies.
 */
describe('H8 the local CA can sign for any site', () => {
  let dir: string;
  let certs: Certificates;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roomtone-h8-'));
    certs = await ensureCertificates({ dir, hostnames: ['localhost', 'studio-mac', 'studio-mac.local'], addresses: ['127.0.0.1', '::1', '192.168.1.20', '203.0.113.7'] });
  });
  afterAll(async () => { await fs.rm(dir, { recursive: true, force: true }); });

  it('H8 a certificate the CA key signs for another site is refused by a client that trusts the CA; the studio certificate still verifies', async () => {
    const ca = forge.pki.certificateFromPem(certs.caCert);
    expect(ca.getExtension('nameConstraints')).toMatchObject({ critical: true });
    const caKey = await fs.readFile(path.join(dir, 'ca.key'), 'utf8');
    const stolen = { keyPem: caKey, certPem: certs.caCert };

    for (const [name, servername] of [['example.com', 'example.com'], ['accounts.school.example', 'accounts.school.example'], ['notlocal', 'notlocal']] as const) {
      expect(await judge(makeServerCert(stolen, [name], []), certs.caCert, servername)).toMatch(REFUSED);
    }
    expect(await judge(makeServerCert(stolen, ['localhost'], ['8.8.8.8']), certs.caCert, 'localhost')).toMatch(REFUSED);

    expect(await judge({ keyPem: certs.key, certPem: certs.cert }, certs.caCert, 'studio-mac.local')).toBe('trusted');
    expect(await judge(makeServerCert(stolen, ['other-room.local', 'studio-mac'], ['10.1.2.3', '203.0.113.99', 'fd12::5']), certs.caCert, 'other-room.local')).toBe('trusted');
  });
});
