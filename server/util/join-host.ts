import { lanAddress } from './lan-address.ts';

/** The address a tablet in the room can reach: the LAN one when the server listens on every interface. */
export function joinHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '::') return lanAddress() ?? '127.0.0.1';
  return bind;
}
