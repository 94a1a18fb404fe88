import dgram from 'node:dgram';
import type { MdnsTransport } from '../../server/discovery/mdns-transport.ts';

/** A UDP port free on 127.0.0.1 right now, for a loopback-only mDNS transport. */
export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/**
 * Two unicast mDNS ends on loopback that always hear each other: the advertiser binds
 * 127.0.0.1 and sends to 127.0.0.2, the browser the other way round, on one free port.
 * (Both on 127.0.0.1 also works, but then Linux hands every datagram to whichever
 * socket bound last, so discovery depends on start order and announcement timing.)
 */
export type LoopbackTransport = Required<Pick<MdnsTransport, 'ip' | 'port'>> & { multicast: false; bind: string };

export async function loopbackMdnsPair(): Promise<{ advertiser: LoopbackTransport; browser: LoopbackTransport; port: number }> {
  const port = await freeUdpPort();
  return {
    port,
    advertiser: { multicast: false, bind: '127.0.0.1', ip: '127.0.0.2', port },
    browser: { multicast: false, bind: '127.0.0.2', ip: '127.0.0.1', port },
  };
}
