import { wireError, type WireError } from './errors.ts';

/**
 * Bumped whenever a message shape changes incompatibly. The host agent refuses a
 * Remote Script, and the server refuses an agent or a page, whose version differs,
 * because a half-understood command is worse than none during a rehearsal.
 */
export const PROTOCOL_VERSION = 1;

/** The product version reported by /healthz and mDNS TXT records. */
export const ROOMTONE_VERSION = '0.1.0';

/** The room every install starts with; more rooms share one Live only in later versions. */
export const DEFAULT_ROOM = 'studio';

/**
 * The server's answer to a peer that states `peerVersion` at connect: null when they
 * agree, else PROTOCOL_MISMATCH saying which side is older. A peer that states nothing
 * predates the check, so it is the older one.
 */
export function protocolMismatch(peer: string, peerVersion: number | undefined): WireError | null {
  if (peerVersion === PROTOCOL_VERSION) return null;
  const older = peerVersion === undefined || peerVersion < PROTOCOL_VERSION ? 'client' : 'server';
  const stated = peerVersion === undefined ? 'no protocol version' : `protocol ${peerVersion}`;
  const advice = older === 'client' ? `the ${peer} is older: update it (a page: reload)` : `the server is older: update Roomtone on the studio machine`;
  return wireError('PROTOCOL_MISMATCH', `server speaks protocol ${PROTOCOL_VERSION}, the ${peer} ${stated}; ${advice}`, { older });
}
