import { Bonjour } from 'bonjour-service';

/**
 * How bonjour-service reaches the network. Production leaves it empty (multicast on
 * 224.0.0.251:5353). Tests use unicast on loopback so no packet leaves the machine:
 * `{ multicast: false, ip, port, bind }`, where `bind` is the local address and `ip`
 * where packets go. With both ends on 127.0.0.1 Linux hands each datagram to the
 * socket bound last (SO_REUSEADDR), so tests cross-bind: one end 127.0.0.1 → 127.0.0.2,
 * the other 127.0.0.2 → 127.0.0.1 (test/helpers/free-udp-port.ts).
 */
export interface MdnsTransport {
  multicast?: boolean;
  ip?: string;
  port?: number;
  interface?: string;
  bind?: string | false;
  ttl?: number;
  loopback?: boolean;
}

/** bonjour-service hands its first argument to multicast-dns unchanged: the transport. */
export function createBonjour(transport: MdnsTransport = {}, onError?: (err: Error) => void): Bonjour {
  return new Bonjour(transport, onError ?? ((err: Error) => {
    console.error(`Roomtone mDNS: ${err.message}`);
  }));
}
