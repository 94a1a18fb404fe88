import { describe, it, expect } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { ensureCertificates, type Certificates } from './certificates.ts';
import { watchCertificates } from './certificate-watch.ts';

describe('watchCertificates', () => {
  it('remakes the server certificate when an address on a local network appears, keeps the CA, and reports it once', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roomtone-watch-'));
    try {
      let addresses = ['127.0.0.1'];
      const first = await ensureCertificates({ dir, hostnames: ['localhost'], addresses });
      const renewed: Certificates[] = [];
      const watch = watchCertificates({ dir, everyMs: 3_600_000, hostnames: () => ['localhost'], addresses: () => addresses, onRenewed: (c) => renewed.push(c) });
      expect(await watch.check()).toBeNull();
      addresses = ['127.0.0.1', '192.168.50.77'];
      const next = await watch.check();
      expect(next?.renewReason).toBe('sans-changed');
      expect(new X509Certificate(next!.cert).checkIP('192.168.50.77')).toBe('192.168.50.77');
      expect(next!.caCert).toBe(first.caCert);
      expect(await watch.check()).toBeNull();
      expect(renewed).toHaveLength(1);
      watch.stop();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
