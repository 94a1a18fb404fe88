import { Bonjour } from 'bonjour-service';

/**
 * How bonjour-service reaches the network. Production leaves it empty (multicast on
 * 224.0.0.251:5353). Tests pass `{ multicast: false, ip: '127.0.0.1', port }` on both
 * sides so no packet leaves loopback. Note for such tests: with unicast and
 * SO_REUSEADDR, Linux hands each datagram to the socket bound last, so start the
 * advertiser first and the browser after it; the browser then hears the advertiser's
 * periodic announcements (1 s, 3 s, 9 s… after publishing).
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

// bonjour-service types its first argument as a ServiceConfig, but it is handed to
// multicast-dns unchanged; this is the one place that bridges the two.
export function createBonjour(transport: MdnsTransport = {}, onError?: (err: Error) => void): Bonjour {
  return new Bonjour(transport as ConstructorParameters<typeof Bonjour>[0], onError ?? ((err: Error) => {
    console.error(`Roomtone mDNS: ${err.message}`);
  }));
}
