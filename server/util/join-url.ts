import { lanAddress } from './lan-address.ts';

/** The link a tablet in the room opens for a join code: the LAN address when the server listens on every interface. */
export function joinUrl(bind: string, port: number, code: string): string {
  const host = bind === '0.0.0.0' || bind === '::' ? lanAddress() ?? '127.0.0.1' : bind.includes(':') ? `[${bind}]` : bind;
  return `https://${host}:${port}/?code=${encodeURIComponent(code)}`;
}
