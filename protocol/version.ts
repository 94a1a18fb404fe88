/**
 * Bumped whenever a message shape changes incompatibly. The host agent refuses a
 * Remote Script (and the server refuses an agent) whose version differs, because a
 * half-understood command is worse than none during a rehearsal.
 */
export const PROTOCOL_VERSION = 1;

/** The product version reported by /healthz and mDNS TXT records. */
export const ROOMTONE_VERSION = '0.1.0';

/** The room every install starts with; more rooms share one Live only in later versions. */
export const DEFAULT_ROOM = 'studio';
