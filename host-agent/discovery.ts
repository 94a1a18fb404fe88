/**
 * Finds the Roomtone server by mDNS when the agent is started without a URL.
 * A small duplicate of server/discovery/browse.ts on purpose: host-agent/ imports
 * only protocol/, never server/.
 */
import { Bonjour, type Service } from 'bonjour-service';
import { z } from 'zod';

const TxtSchema = z.object({
  name: z.string().max(200),
  version: z.string().max(40),
  port: z.string().regex(/^\d{1,5}$/),
  fp: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/i),
});

export interface FoundServer {
  name: string;
  url: string;
  /** The certificate fingerprint the server advertises; pin it when connecting. */
  fingerprint256: string;
  version: string;
}

export interface DiscoverServerOptions {
  timeoutMs?: number;
  /** Tests pass { multicast: false, ip: '127.0.0.1', port } so nothing leaves loopback. */
  transport?: { multicast?: boolean; ip?: string; port?: number; interface?: string; bind?: string };
}

/** The first server that answers, or null after the timeout. */
export function discoverServer(opts: DiscoverServerOptions = {}): Promise<FoundServer | null> {
  const bonjour = new Bonjour((opts.transport ?? {}) as ConstructorParameters<typeof Bonjour>[0], () => undefined);
  return new Promise((resolve) => {
    const finish = (found: FoundServer | null): void => {
      clearTimeout(timer);
      browser.stop();
      bonjour.destroy();
      resolve(found);
    };
    const timer = setTimeout(() => finish(null), opts.timeoutMs ?? 5000);
    const browser = bonjour.find({ type: 'roomtone' }, (service) => {
      const found = toFound(service);
      if (found) finish(found);
    });
  });
}

function toFound(service: Service): FoundServer | null {
  const txt = TxtSchema.safeParse(service.txt);
  if (!txt.success) return null;
  const ip = service.referer?.family === 'IPv4' ? service.referer.address : service.addresses?.find((a) => !a.includes(':'));
  return {
    name: txt.data.name,
    url: `https://${ip ?? service.host}:${txt.data.port}`,
    fingerprint256: txt.data.fp.toUpperCase(),
    version: txt.data.version,
  };
}
