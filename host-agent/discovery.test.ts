import { describe, it, expect } from 'vitest';
import dgram from 'node:dgram';
import { Bonjour } from 'bonjour-service';
import { discoverServer } from './discovery.ts';

async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** The advertising end, cross-bound to the browsing one (multicast-dns options, which bonjour-service passes through). */
function advertiserEnd(port: number) {
  const transport = { multicast: false, bind: '127.0.0.1', ip: '127.0.0.2', port };
  return transport;
}

describe('discoverServer (loopback unicast only)', () => {
  it('finds the server advertised by another bonjour instance', async () => {
    const port = await freeUdpPort();
    // Cross-bound on loopback so each end hears the other whatever the start order.
    const transport = { multicast: false, bind: '127.0.0.2', ip: '127.0.0.1', port };
    const advertiser = new Bonjour(advertiserEnd(port));
    const fp = Array.from({ length: 32 }, () => '0F').join(':');
    advertiser.publish({ name: 'Studio', type: 'roomtone', port: 28443, txt: { name: 'Studio', version: '0.1.0', port: '28443', fp } });
    try {
      const found = await discoverServer({ transport, timeoutMs: 8000 });
      expect(found).toMatchObject({ name: 'Studio', url: 'https://127.0.0.1:28443', fingerprint256: fp, version: '0.1.0' });
    } finally {
      advertiser.destroy();
    }
  }, 15_000);

  it('ignores a service whose TXT record is not Roomtone’s', async () => {
    const port = await freeUdpPort();
    const transport = { multicast: false, bind: '127.0.0.2', ip: '127.0.0.1', port };
    const advertiser = new Bonjour(advertiserEnd(port));
    advertiser.publish({ name: 'Impostor', type: 'roomtone', port: 1, txt: { port: 'x' } });
    try {
      expect(await discoverServer({ transport, timeoutMs: 1500 })).toBeNull();
    } finally {
      advertiser.destroy();
    }
  }, 15_000);
});
