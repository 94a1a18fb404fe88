import { browseServers, type DiscoveredServer } from '../../server/discovery/browse.ts';
import type { Settings } from '../options/option-table.ts';

function table(servers: DiscoveredServer[]): string {
  if (servers.length === 0) return 'No Roomtone server answered. Check that it runs on this network, or open the URL it printed.';
  return servers.map((s) => `${s.name}  ${s.url}  (v${s.version}, cert SHA-256 ${s.fingerprint256})`).join('\n');
}

/** `roomtone discover`: lists Roomtone servers on the LAN (mDNS); exit 1 when none answers. */
export async function runDiscover(s: Settings): Promise<number> {
  const transport = s.mdnsUnicast ? { multicast: false, ip: s.mdnsUnicast.ip, port: s.mdnsUnicast.port, ...(s.mdnsBind ? { bind: s.mdnsBind } : {}) } : undefined;
  const servers = await browseServers({ timeoutMs: s.timeout, transport });
  process.stdout.write(`${s.json ? JSON.stringify(servers) : table(servers)}\n`);
  return servers.length > 0 ? 0 : 1;
}
