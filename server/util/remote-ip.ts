/** Normalises IPv4-mapped IPv6 (::ffff:127.0.0.2) so bindings compare like for like. */
export function normaliseIp(address: string | undefined): string {
  if (!address) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
