import { describe, it, expect, afterEach } from 'vitest';
import { advertise, type Advertisement } from './advertise.ts';
import { browseServers } from './browse.ts';
import { createBonjour } from './mdns-transport.ts';
import { loopbackMdnsPair } from '../../test/helpers/free-udp-port.ts';
import { ROOMTONE_VERSION } from '../../protocol/version.ts';

const FP = Array.from({ length: 32 }, (_, i) => (i * 7 % 256).toString(16).padStart(2, '0').toUpperCase()).join(':');
let ad: Advertisement | null = null;
afterEach(async () => { await ad?.stop(); ad = null; });

describe('mDNS on loopback (unicast, never multicast)', () => {
  it('a browser finds the advertised room with its TXT fields', async () => {
    const pair = await loopbackMdnsPair();
    // The browser starts first here: cross-bound ends hear each other in either order.
    const browsing = browseServers({ transport: pair.browser, first: true, timeoutMs: 8000 });
    ad = advertise({ httpsPort: 8443, fingerprint256: FP, name: 'Roomtone test room', transport: pair.advertiser });
    const [server] = await browsing;
    expect(server).toMatchObject({
      name: 'Roomtone test room', version: ROOMTONE_VERSION, port: 8443, fingerprint256: FP, url: 'https://127.0.0.1:8443',
    });
  }, 15_000);

  it('also shows up as a generic _https._tcp service', async () => {
    const pair = await loopbackMdnsPair();
    ad = advertise({ httpsPort: 9443, fingerprint256: FP, name: 'Roomtone https', transport: pair.advertiser });
    const bonjour = createBonjour(pair.browser);
    try {
      const service = await new Promise<{ name: string; port: number }>((resolve) => {
        bonjour.find({ type: 'https' }, (s) => resolve(s));
      });
      expect(service).toMatchObject({ name: 'Roomtone https', port: 9443 });
    } finally {
      bonjour.destroy();
    }
  }, 15_000);

  it('finds nothing when nobody advertises, and says so within the timeout', async () => {
    const pair = await loopbackMdnsPair();
    expect(await browseServers({ transport: pair.browser, timeoutMs: 300 })).toEqual([]);
  });
});
