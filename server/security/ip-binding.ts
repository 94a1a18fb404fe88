import net from 'node:net';
import { boundedMemo } from '../util/bounded-memo.ts';

/**
 * How strictly a session is tied to the address it joined from. `exact` is the
 * default; `subnet` lets a laptop roam between access points of one network (same
 * IPv4 /24 or IPv6 /64) at the price of trusting everyone in that subnet.
 */
export type IpBinding = 'exact' | 'subnet';

/**
 * A room has a few dozen addresses and asks about them on every command (the session's
 * IP binding): a regular expression and, for IPv6, a URL parse per call were 2 % of the
 * server's CPU at 5,000 commands/s (issue 17's profile).
 */
const canonicalSpelling = boundedMemo(4096, spell);

/** One spelling per address: IPv4-mapped IPv6 becomes IPv4, IPv6 is compressed. */
export function canonicalIp(address: string | undefined): string {
  return address ? canonicalSpelling(address) : '';
}

function spell(address: string): string {
  const bare = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (net.isIPv6(bare)) return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return bare;
}

/** The network an address belongs to under `subnet` binding: a.b.c.0/24 or the first 64 bits. */
export function subnetOf(address: string): string {
  const ip = canonicalIp(address);
  if (net.isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (net.isIPv6(ip)) return `${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
  return ip;
}

export function sameBinding(joined: string, now: string, binding: IpBinding): boolean {
  const a = canonicalIp(joined);
  const b = canonicalIp(now);
  if (a === '' || b === '') return false;
  if (a === b) return true;
  return binding === 'subnet' && net.isIP(a) === net.isIP(b) && subnetOf(a) === subnetOf(b);
}

/** The eight 4-digit hex groups of a canonical IPv6 address. */
export function expandIpv6(ip: string): string[] {
  const [head, tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  const groups = ip.includes('::') ? [...left, ...Array<string>(missing).fill('0'), ...right] : left;
  return groups.map((g) => g.padStart(4, '0').toLowerCase());
}
