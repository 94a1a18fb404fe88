import forge from 'node-forge';
import net from 'node:net';
import { normalizeIp } from './san-defaults.ts';
import { expandIpv6 } from '../security/ip-binding.ts';

const { asn1 } = forge;
const NAME_CONSTRAINTS_OID = '2.5.29.30';
const DNS_NAME = 2;
const IP_ADDRESS = 7;

/**
 * Where a local studio lives: loopback, the private and link-local ranges of IPv4 and
 * IPv6, and carrier-grade NAT (some school networks use it inside).
 */
export const LOCAL_RANGES = [
  '127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '100.64.0.0/10',
  '::1/128', 'fc00::/7', 'fe80::/10',
];

/** What the CA may sign for: DNS names (each with its subdomains) and IP ranges in CIDR. */
export interface PermittedNames { dns: string[]; ip: string[] }

/**
 * The studio's own names: `localhost`, every `.local` name, the machine's host names, the
 * local ranges, and the /24 (IPv4) or /64 (IPv6) of each address it serves that lies
 * outside them (a school network on public addresses). A CA that tablets trust can then
 * not vouch for any other site, whoever holds its key (H8).
 */
export function studioNames(hostnames: string[], addresses: string[]): PermittedNames {
  const dns = new Set(['localhost', 'local']);
  for (const h of hostnames) {
    const name = h.toLowerCase().replace(/\.$/, '');
    if (name && !net.isIP(name) && name !== 'localhost' && !name.endsWith('.local')) dns.add(name);
  }
  const ip = new Set(LOCAL_RANGES);
  for (const a of addresses) {
    const address = normalizeIp(a);
    if (![...ip].some((range) => inRange(address, range))) ip.add(`${address}/${net.isIPv4(address) ? 24 : 64}`);
  }
  return { dns: [...dns], ip: [...ip].map(networkOf) };
}

/** The critical nameConstraints extension (RFC 5280 4.2.1.10) with these permitted subtrees, for forge. */
export function nameConstraintsExtension(permitted: PermittedNames): { id: string; critical: true; value: forge.asn1.Asn1 } {
  // forge types a tag as its UNIVERSAL enum; a context-specific tag is a plain number.
  /* eslint-disable @typescript-eslint/no-unsafe-enum-assignment */
  const subtree = (type: number, value: string): forge.asn1.Asn1 =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, type, false, value)]);
  const subtrees = [
    ...permitted.dns.map((name) => subtree(DNS_NAME, name)),
    ...permitted.ip.map((range) => subtree(IP_ADDRESS, rangeBytes(range))),
  ];
  return {
    id: NAME_CONSTRAINTS_OID,
    critical: true,
    value: asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, subtrees)]),
  };
  /* eslint-enable @typescript-eslint/no-unsafe-enum-assignment */
}

/** The CA's permitted names, or null when it has no name constraints (made before H8). */
export function permittedBy(ca: forge.pki.Certificate): PermittedNames | null {
  const ext = ca.getExtension('nameConstraints');
  if (!ext || !isRecord(ext) || !Array.isArray(ext.permittedSubtrees)) return null;
  const out: PermittedNames = { dns: [], ip: [] };
  for (const tree of ext.permittedSubtrees) {
    if (!isRecord(tree) || typeof tree.value !== 'string') continue;
    if (tree.type === DNS_NAME) out.dns.push(tree.value.toLowerCase());
    if (tree.type === IP_ADDRESS) out.ip.push(rangeFromBytes(tree.value));
  }
  return out;
}

/** True when a certificate under a CA with these constraints may name `name` (a host name or an IP). */
export function isPermitted(name: string, permitted: PermittedNames | null): boolean {
  if (permitted === null) return true;
  if (net.isIP(name)) return permitted.ip.some((range) => inRange(normalizeIp(name), range));
  const host = name.toLowerCase().replace(/\.$/, '');
  return permitted.dns.some((base) => {
    const b = base.replace(/^\./, '');
    return host === b || host.endsWith(`.${b}`);
  });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function inRange(address: string, range: string): boolean {
  const [base, bitsText] = range.split('/');
  const bits = Number(bitsText);
  if (!base || net.isIP(base) !== net.isIP(address) || net.isIP(address) === 0) return false;
  const a = ipBytes(address);
  const b = ipBytes(base);
  for (let i = 0; i < a.length; i++) {
    const maskBits = Math.max(0, Math.min(8, bits - i * 8));
    const mask = (0xff << (8 - maskBits)) & 0xff;
    if ((a[i]! & mask) !== (b[i]! & mask)) return false;
  }
  return true;
}

/** The range with its host bits cleared, so `192.0.2.2/24` becomes `192.0.2.0/24`. */
function networkOf(range: string): string {
  return rangeFromBytes(rangeBytes(range));
}

/** The iPAddress constraint's bytes: the address then the mask (RFC 5280). */
function rangeBytes(range: string): string {
  const [base, bitsText] = range.split('/');
  const bytes = ipBytes(base!);
  const bits = Number(bitsText);
  const mask = bytes.map((_, i) => (0xff << (8 - Math.max(0, Math.min(8, bits - i * 8)))) & 0xff);
  return String.fromCharCode(...bytes.map((b, i) => b & mask[i]!), ...mask);
}

function rangeFromBytes(raw: string): string {
  const half = raw.length / 2;
  const bytes = Array.from(raw.slice(0, half), (c) => c.charCodeAt(0));
  const bits = Array.from(raw.slice(half)).reduce((n, c) => n + popcount(c.charCodeAt(0)), 0);
  const address = half === 4 ? bytes.join('.') : normalizeIp(Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16)).join(':'));
  return `${address}/${bits}`;
}

function popcount(n: number): number {
  let c = 0;
  for (let x = n; x; x >>= 1) c += x & 1;
  return c;
}

function ipBytes(address: string): number[] {
  const ip = normalizeIp(address);
  if (net.isIPv4(ip)) return ip.split('.').map(Number);
  return expandIpv6(ip).flatMap((g) => { const v = parseInt(g, 16); return [v >> 8, v & 0xff]; });
}
