/**
 * `roomtone discover`: lists Roomtone servers on the LAN via mDNS.
 *   --timeout <ms>       how long to listen (default 3000)
 *   --json               one JSON array instead of a table
 *   --unicast <ip:port>  query one mDNS responder by unicast (tests stay on loopback)
 *   --bind <address>     local address for --unicast (tests cross-bind 127.0.0.2 ↔ 127.0.0.1)
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { browseServers, type DiscoveredServer } from '../server/discovery/browse.ts';
import type { MdnsTransport } from '../server/discovery/mdns-transport.ts';

function transportFrom(unicast: string | undefined, bind: string | undefined): MdnsTransport | undefined {
  if (!unicast) return undefined;
  const match = /^(.+):(\d+)$/.exec(unicast);
  if (!match) throw new Error(`--unicast wants ip:port, got "${unicast}"`);
  return { multicast: false, ip: match[1]!, port: Number(match[2]), ...(bind ? { bind } : {}) };
}

function table(servers: DiscoveredServer[]): string {
  if (servers.length === 0) return 'No Roomtone server answered. Check that it runs on this network, or open the URL it printed.';
  return servers.map((s) => `${s.name}  ${s.url}  (v${s.version}, cert SHA-256 ${s.fingerprint256})`).join('\n');
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { timeout: { type: 'string', default: '3000' }, json: { type: 'boolean', default: false }, unicast: { type: 'string' }, bind: { type: 'string' } },
  });
  const timeoutMs = Number(values.timeout);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error('--timeout wants a positive number of milliseconds');
  const servers = await browseServers({ timeoutMs, transport: transportFrom(values.unicast, values.bind) });
  process.stdout.write(`${values.json ? JSON.stringify(servers) : table(servers)}\n`);
  return servers.length > 0 ? 0 : 1;
}

// Run only as the entry point (bin/roomtone.mjs points argv[1] here), not on import.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`roomtone discover: ${(err as Error).message}\n`);
    process.exitCode = 2;
  });
}
