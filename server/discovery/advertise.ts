import os from 'node:os';
import type { Bonjour } from 'bonjour-service';
import { MDNS_HTTPS_SERVICE, MDNS_SERVICE, ROOMTONE_VERSION, mdnsTxt } from '../../protocol/index.ts';
import { createBonjour, type MdnsTransport } from './mdns-transport.ts';

export interface AdvertiseOptions {
  /** The HTTPS port browsers and agents should use. */
  httpsPort: number;
  /** SHA-256 of the server certificate, so a client can check what it reached. */
  fingerprint256: string;
  /** Instance name; defaults to "Roomtone on <host>". */
  name?: string;
  transport?: MdnsTransport;
  /** Probe for a name clash first (RFC 6762); on by default. */
  probe?: boolean;
  /** A socket error (no network yet, port 5353 refused); the console by default. */
  onError?: (err: Error) => void;
}

export interface Advertisement {
  readonly name: string;
  stop(): Promise<void>;
}

/**
 * Publishes `_roomtone._tcp` (TXT: name, version, port, fp) and `_https._tcp`, so
 * both `roomtone discover` and any generic Bonjour browser list the room.
 */
export function advertise(opts: AdvertiseOptions): Advertisement {
  const bonjour: Bonjour = createBonjour(opts.transport, opts.onError);
  const name = opts.name ?? `Roomtone on ${os.hostname().replace(/\.local$/, '')}`;
  const probe = opts.probe ?? true;
  bonjour.publish({
    name, type: MDNS_SERVICE, port: opts.httpsPort, probe,
    txt: mdnsTxt(name, ROOMTONE_VERSION, opts.httpsPort, opts.fingerprint256),
  });
  bonjour.publish({ name, type: MDNS_HTTPS_SERVICE, port: opts.httpsPort, probe, txt: { path: '/' } });
  return {
    name,
    stop: () => new Promise<void>((resolve) => {
      // Send goodbyes so browsers drop the entry now rather than at TTL expiry.
      bonjour.unpublishAll(() => bonjour.destroy(() => resolve()));
    }),
  };
}
