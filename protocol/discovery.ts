import { z } from 'zod';

/**
 * The room server on mDNS: `_roomtone._tcp` with the TXT record below, and a plain
 * `_https._tcp` so generic Bonjour browsers list it too. The server advertises with
 * mdnsTxt(); `roomtone discover` and the host agent read answers with foundServer().
 */
export const MDNS_SERVICE = 'roomtone';
export const MDNS_HTTPS_SERVICE = 'https';

/** A TXT record is data from the network: checked before use. */
export const MdnsTxtSchema = z.object({
  name: z.string().max(200),
  version: z.string().max(40),
  /** The HTTPS port, as a decimal string (TXT values are strings). */
  port: z.string().regex(/^\d{1,5}$/),
  /** SHA-256 fingerprint of the server certificate (AA:BB:…), so a client can check what it reached. */
  fp: z.string().regex(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/i),
});
export type MdnsTxt = z.infer<typeof MdnsTxtSchema>;

export function mdnsTxt(name: string, version: string, httpsPort: number, fingerprint256: string): MdnsTxt {
  return { name, version, port: String(httpsPort), fp: fingerprint256 };
}

/** What an mDNS answer carries, as bonjour-service hands it over. */
export interface MdnsAnswer {
  txt?: unknown;
  host: string;
  addresses?: string[];
  referer?: { address: string; family: string };
}

export interface FoundServer {
  name: string;
  version: string;
  host: string;
  port: number;
  addresses: string[];
  /** The certificate fingerprint the server advertises; pin it when connecting. */
  fingerprint256: string;
  /** The address the answer came from when known, else the first IPv4 address. */
  url: string;
}

/** A Roomtone server from an mDNS answer, or null when its TXT record is not ours. */
export function foundServer(answer: MdnsAnswer): FoundServer | null {
  const txt = MdnsTxtSchema.safeParse(answer.txt);
  if (!txt.success) return null;
  const port = Number(txt.data.port);
  const addresses = answer.addresses ?? [];
  const from = answer.referer?.family === 'IPv4' ? answer.referer.address : undefined;
  const host = from ?? addresses.find((a) => !a.includes(':')) ?? answer.host;
  return {
    name: txt.data.name, version: txt.data.version, host: answer.host, port, addresses,
    fingerprint256: txt.data.fp.toUpperCase(),
    url: `https://${host}:${port}`,
  };
}
