import { MDNS_SERVICE, foundServer, type FoundServer } from '../../protocol/index.ts';
import { createBonjour, type MdnsTransport } from './mdns-transport.ts';

/** A room server as `roomtone discover` lists it (protocol/discovery.ts reads the answer). */
export type DiscoveredServer = FoundServer;

export interface BrowseOptions {
  timeoutMs?: number;
  transport?: MdnsTransport;
  /** Resolve as soon as the first server answers. */
  first?: boolean;
}

/** Lists Roomtone servers that answer within the timeout. */
export function browseServers(opts: BrowseOptions = {}): Promise<DiscoveredServer[]> {
  const bonjour = createBonjour(opts.transport);
  const found = new Map<string, DiscoveredServer>();
  return new Promise((resolve) => {
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      browser.stop();
      bonjour.destroy();
      resolve([...found.values()]);
    };
    const timer = setTimeout(finish, opts.timeoutMs ?? 3000);
    const browser = bonjour.find({ type: MDNS_SERVICE }, (service) => {
      const server = foundServer(service);
      if (!server) return;
      found.set(`${server.name}|${server.url}`, server);
      if (opts.first) finish();
    });
  });
}
