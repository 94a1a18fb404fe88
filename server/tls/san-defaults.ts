import os from 'node:os';

/**
 * The names a browser on the LAN may use to reach this machine. macOS often reports
 * a hostname that already ends in `.local`; both forms go in.
 */
export function defaultHostnames(hostname = os.hostname()): string[] {
  const bare = hostname.toLowerCase().replace(/\.local\.?$/, '');
  const names = ['localhost'];
  if (bare && bare !== 'localhost') names.push(bare, `${bare}.local`);
  return names;
}

/**
 * Loopback plus every non-internal address. IPv6 link-local addresses are left out:
 * browsers need a zone id to reach them, and a zone id cannot go in a certificate.
 */
export function defaultAddresses(interfaces = os.networkInterfaces()): string[] {
  const found = ['127.0.0.1', '::1'];
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.internal) continue;
      if (info.family === 'IPv6' && /^fe80:/i.test(info.address)) continue;
      found.push(info.address);
    }
  }
  return found.map(normalizeIp).filter((ip, i, all) => all.indexOf(ip) === i);
}

/** One spelling per address, so `fd00:0::2` and `fd00::2` compare equal. */
export function normalizeIp(ip: string): string {
  const bare = ip.replace(/%.*$/, '');
  if (!bare.includes(':')) return new URL(`http://${bare}/`).hostname;
  return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
}
