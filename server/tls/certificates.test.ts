import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureCertificates, CertificateError } from './certificates.ts';
import { defaultAddresses, defaultHostnames, normalizeIp } from './san-defaults.ts';
import { isPermitted, studioNames } from './name-constraints.ts';

let root: string;
beforeAll(async () => { root = await fs.mkdtemp(path.join(os.tmpdir(), 'roomtone-certs-')); });
afterAll(async () => { await fs.rm(root, { recursive: true, force: true }); });

async function freshDir(name: string): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

/** SANs as Node's own X.509 parser sees them, independent of forge. */
function nodeSans(pem: string): string[] {
  const text = new X509Certificate(pem).subjectAltName ?? '';
  return text.split(', ').map((entry) => {
    const [kind, value] = [entry.slice(0, entry.indexOf(':')), entry.slice(entry.indexOf(':') + 1)];
    return kind === 'IP Address' ? normalizeIp(value) : value;
  });
}

describe('ensureCertificates', () => {
  it('makes a CA and a server certificate whose SANs cover the default names and LAN addresses', async () => {
    const dir = await freshDir('defaults');
    const certs = await ensureCertificates({ dir });
    const sans = nodeSans(certs.cert);
    const host = os.hostname().toLowerCase().replace(/\.local$/, '');
    for (const want of ['localhost', host, `${host}.local`, '127.0.0.1', '::1', ...defaultAddresses()]) {
      expect(sans).toContain(want);
    }
    expect(new Set(certs.sans)).toEqual(new Set(sans));
    expect(certs.renewed).toBe(true);
    expect(certs.renewReason).toBe('new');
  });

  it('signs the server certificate with the CA and reports Node’s fingerprint', async () => {
    const dir = await freshDir('chain');
    const certs = await ensureCertificates({ dir, hostnames: ['localhost'], addresses: ['127.0.0.1'] });
    const ca = new X509Certificate(certs.caCert);
    const server = new X509Certificate(certs.cert);
    expect(ca.ca).toBe(true);
    expect(server.ca).toBe(false);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkPrivateKey((await import('node:crypto')).createPrivateKey(certs.key))).toBe(true);
    expect(certs.fingerprint256).toBe(server.fingerprint256);
    expect(certs.caFingerprint256).toBe(ca.fingerprint256);
  });

  it('keeps the key files private', async () => {
    const dir = await freshDir('modes');
    await ensureCertificates({ dir, hostnames: ['localhost'], addresses: ['127.0.0.1'] });
    for (const file of ['ca.key', 'server.key']) {
      const mode = (await fs.stat(path.join(dir, file))).mode & 0o777;
      expect(mode).toBe(0o600);
    }
  });

  it('reuses existing files while the SANs still match', async () => {
    const dir = await freshDir('reuse');
    const first = await ensureCertificates({ dir, hostnames: ['localhost'], addresses: ['127.0.0.1', '::1'] });
    const second = await ensureCertificates({ dir, hostnames: ['LOCALHOST'], addresses: ['0:0:0:0:0:0:0:1', '127.0.0.1'] });
    expect(second.renewed).toBe(false);
    expect(second.cert).toBe(first.cert);
    expect(second.key).toBe(first.key);
  });

  it('renews the server certificate when an address changes and keeps the CA', async () => {
    const dir = await freshDir('renew');
    const first = await ensureCertificates({ dir, hostnames: ['localhost'], addresses: ['127.0.0.1', '192.0.2.10'] });
    const second = await ensureCertificates({ dir, hostnames: ['localhost'], addresses: ['127.0.0.1', '192.0.2.11'] });
    expect(second.renewed).toBe(true);
    expect(second.renewReason).toBe('sans-changed');
    expect(second.caCert).toBe(first.caCert);
    expect(nodeSans(second.cert)).toContain('192.0.2.11');
    expect(nodeSans(second.cert)).not.toContain('192.0.2.10');
    expect(new X509Certificate(second.cert).verify(new X509Certificate(first.caCert).publicKey)).toBe(true);
  });

  it('refuses a corrupt CA with a typed error and leaves the file as it was', async () => {
    const dir = await freshDir('corrupt');
    await ensureCertificates({ dir, hostnames: ['localhost'], addresses: ['127.0.0.1'] });
    await fs.writeFile(path.join(dir, 'ca.crt'), 'not a certificate');
    await expect(ensureCertificates({ dir, hostnames: ['localhost'], addresses: ['127.0.0.1'] }))
      .rejects.toBeInstanceOf(CertificateError);
    expect(await fs.readFile(path.join(dir, 'ca.crt'), 'utf8')).toBe('not a certificate');
  });

  it('refuses a CA key without its certificate rather than making a new CA', async () => {
    const dir = await freshDir('half');
    await ensureCertificates({ dir, hostnames: ['localhost'], addresses: ['127.0.0.1'] });
    await fs.rm(path.join(dir, 'ca.crt'));
    await expect(ensureCertificates({ dir })).rejects.toThrow(/ca\.crt.*missing/);
  });

  it('serves TLS that a client trusting only the CA accepts for localhost and 127.0.0.1', async () => {
    const dir = await freshDir('tls');
    const certs = await ensureCertificates({ dir, hostnames: ['localhost'], addresses: ['127.0.0.1'] });
    const server = https.createServer({ key: certs.key, cert: certs.cert }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const host of ['localhost', '127.0.0.1']) {
        const body = await new Promise<string>((resolve, reject) => {
          // The default checkServerIdentity runs: a DNS SAN for localhost, an IP SAN for 127.0.0.1.
          https.get({ host: '127.0.0.1', servername: host === '127.0.0.1' ? undefined : host, port, ca: certs.caCert }, (res) => {
            let text = '';
            res.on('data', (c: Buffer) => { text += c.toString('utf8'); });
            res.on('end', () => resolve(text));
          }).on('error', reject);
        });
        expect(body).toBe('ok');
      }
    } finally {
      server.close();
    }
  });
});

describe('the CA’s name constraints (H8)', () => {
  it('leaves a name the CA may not sign for out of the server certificate, and does not remake it for that on every check', async () => {
    const dir = await freshDir('renamed');
    await ensureCertificates({ dir, hostnames: ['localhost', 'studio', 'studio.local'], addresses: ['127.0.0.1', '10.0.0.5'] });
    // The machine was renamed and carried to a network on public addresses.
    const moved = { dir, hostnames: ['localhost', 'renamed', 'renamed.local'], addresses: ['127.0.0.1', '10.0.0.5', '198.51.100.9'] };
    const first = await ensureCertificates(moved);
    expect(first.renewed).toBe(true);
    expect(new Set(first.sans)).toEqual(new Set(['localhost', 'renamed.local', '127.0.0.1', '10.0.0.5']));
    expect(first.caConstrained).toBe(true);
    const again = await ensureCertificates(moved);
    expect(again.renewed).toBe(false);
  });

  it('keeps permitting what it was made for', () => {
    const permitted = studioNames(['localhost', 'Studio-Mac', 'studio-mac.local'], ['192.0.2.2', 'fd00::2', '10.1.1.1']);
    expect(permitted.dns.sort()).toEqual(['local', 'localhost', 'studio-mac']);
    expect(permitted.ip).toContain('192.0.2.0/24');
    expect(permitted.ip).not.toContain('10.1.1.0/24');
    for (const ok of ['studio-mac', 'x.studio-mac', 'anything.local', '192.0.2.77', 'fd00::9', '10.9.9.9', '::1']) expect([ok, isPermitted(ok, permitted)]).toEqual([ok, true]);
    for (const no of ['example.com', 'local.example.com', 'studio-mac.evil', '192.0.3.1', '8.8.8.8', '2001:db8::1']) expect([no, isPermitted(no, permitted)]).toEqual([no, false]);
  });
});

describe('default SANs', () => {
  it('adds <host>.local once even when the hostname already ends in .local', () => {
    expect(defaultHostnames('Studio-Mac.local')).toEqual(['localhost', 'studio-mac', 'studio-mac.local']);
  });

  it('leaves out internal and link-local addresses but keeps loopback', () => {
    const addrs = defaultAddresses({
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '', mac: '', cidr: null }],
      en0: [
        { address: '10.0.0.5', family: 'IPv4', internal: false, netmask: '', mac: '', cidr: null },
        { address: 'fe80::1', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 4 },
        { address: 'fd00:0:0::7', family: 'IPv6', internal: false, netmask: '', mac: '', cidr: null, scopeid: 0 },
      ],
    });
    expect(addrs).toEqual(['127.0.0.1', '::1', '10.0.0.5', 'fd00::7']);
  });
});
