import { z } from 'zod';
import type { Service } from 'bonjour-service';
import { createBonjour, type MdnsTransport } from './mdns-transport.ts';
import { ROOMTONE_SERVICE_TYPE } from './advertise.ts';

/** A TXT record is data from the network: checked before use. */
const RoomtoneTxtSchema = z.object({
  name: z.string().max(200),
  version: z.string().max(40),
  port: z.string().regex(/^\d{1,5}$/),
  fp: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/i),
});

export interface DiscoveredServer {
  name: string;
  version: string;
  host: string;
  port: number;
  addresses: string[];
  fingerprint256: string;
  /** The address the answer came from when known, else the first IPv4 address. */
  url: string;
}

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
    const browser = bonjour.find({ type: ROOMTONE_SERVICE_TYPE }, (service) => {
      const server = toDiscovered(service);
      if (!server) return;
      found.set(`${server.name}|${server.url}`, server);
      if (opts.first) finish();
    });
  });
}

export function toDiscovered(service: Service): DiscoveredServer | null {
  const txt = RoomtoneTxtSchema.safeParse(service.txt);
  if (!txt.success) return null;
  const port = Number(txt.data.port);
  const addresses = service.addresses ?? [];
  const from = service.referer?.family === 'IPv4' ? service.referer.address : undefined;
  const ip = from ?? addresses.find((a) => !a.includes(':'));
  const host = ip ?? service.host;
  return {
    name: txt.data.name, version: txt.data.version, host: service.host, port, addresses,
    fingerprint256: txt.data.fp.toUpperCase(),
    url: `https://${host}:${port}`,
  };
}
