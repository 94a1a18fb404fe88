/**
 * Finds the Roomtone server by mDNS when the agent is started without a URL. The TXT
 * record and how an answer becomes a server are protocol/discovery.ts, shared with
 * `roomtone discover`; only the listening loop is here (host-agent/ imports no server/).
 */
import { Bonjour } from 'bonjour-service';
import { MDNS_SERVICE, foundServer, type FoundServer } from '../protocol/index.ts';

export interface DiscoverServerOptions {
  timeoutMs?: number;
  /** Tests pass { multicast: false, ip: '127.0.0.1', port } so nothing leaves loopback. */
  transport?: { multicast?: boolean; ip?: string; port?: number; interface?: string; bind?: string };
}

/** The first server that answers, or null after the timeout. */
export function discoverServer(opts: DiscoverServerOptions = {}): Promise<FoundServer | null> {
  const bonjour = new Bonjour(opts.transport ?? {}, () => undefined);
  return new Promise((resolve) => {
    const finish = (found: FoundServer | null): void => {
      clearTimeout(timer);
      browser.stop();
      bonjour.destroy();
      resolve(found);
    };
    const timer = setTimeout(() => finish(null), opts.timeoutMs ?? 5000);
    const browser = bonjour.find({ type: MDNS_SERVICE }, (service) => {
      const found = foundServer(service);
      if (found) finish(found);
    });
  });
}
