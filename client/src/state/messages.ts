import { isErrorCode, type AccessDenial, type ErrorCode, type WireError } from '../../../protocol/browser.ts';

/**
 * Every refusal in plain words, written for a musician in the middle of a rehearsal:
 * what happened and what to do, never a code alone.
 */
const PLAIN: Record<ErrorCode | 'NETWORK', string> = {
  INVALID: 'That did not make sense to the server; nothing changed.',
  UNAUTHENTICATED: 'Your session has ended. Join again to keep playing.',
  FORBIDDEN: 'You are not allowed to change that (your role, or the host limited you).',
  ORIGIN_REJECTED: 'This page is not the room\u2019s own page; open the room link again.',
  ROOM_LOCKED: 'The host locked the room: only the host can change things right now.',
  FROZEN: 'The host froze the room: nothing reaches Live until it is thawed.',
  BAD_JOIN_CODE: 'That join code is not right. Check the code on the screen or scan the QR code again.',
  BAD_PIN: 'That admin PIN is not right.',
  THROTTLED: 'Too many wrong tries from this network address. Wait a little and try again.',
  PIN_PAUSED: 'Someone on the network has been guessing the admin PIN, so PIN entry is paused. Join as a member and ask a host to promote you, or use the studio computer.',
  RATE_LIMITED: 'Easy \u2014 you are sending changes faster than the room allows. Try again in a moment.',
  CONFLICT: 'Someone changed that just before you; it now shows their value.',
  HELD: 'Someone else has their hands on that control right now.',
  BUSY: 'The room is very busy; try again in a moment.',
  AGENT_OFFLINE: 'The studio computer\u2019s agent is offline, so nothing can reach Live.',
  LIVE_OFFLINE: 'Live is not connected on the studio computer.',
  TIMEOUT: 'Live did not get to it in time, so it was not done. Try again.',
  NOT_FOUND: 'That is no longer in the set (it may have been deleted).',
  UNSUPPORTED: 'This version of Live cannot do that.',
  LIVE_ERROR: 'Live refused that change.',
  PROTOCOL_MISMATCH: 'This page is out of date with the server. Reload the page.',
  AGENT_CONFLICT: 'Another studio agent is already connected to this room.',
  NOT_CONNECTED: 'That person is not connected right now; promote them while their page is open.',
  KICKED: 'The host removed you from the room. Ask them to let you back in (or wait for a new join code).',
  SERVER_STOPPING: 'Roomtone is stopping on the studio computer. This page reconnects once it is back.',
  TOO_LARGE: 'That is too big to send.',
  SET_CHANGED: 'Live opened another set, so that was not done; your screen now shows the new set.',
  NOTES_FULL: 'The notes are full, so your last change was not saved. Delete something first.',
  TOO_MANY_CONNECTIONS: 'This page was closed because your session opened it in too many tabs or windows; use the newest one.',
  FILE_TOO_LARGE: 'That file is bigger than the host allows for one file.',
  QUOTA_EXCEEDED: 'You have sent as much as the host allows for today (or have too many uploads unfinished).',
  DISK_FULL: 'The studio computer is nearly out of disk space, so it cannot take that file. Ask the host to make room.',
  NOT_AUDIO: 'That is not an audio file Live can play. Send WAV, AIFF, FLAC, MP3, OGG or M4A.',
  BAD_AUDIO: 'That audio file is cut short or damaged. Export it again and send the new one.',
  DROPS_OFF: 'The host has turned file drops off for now.',
  INTERNAL: 'Something went wrong on the server; nothing was done twice.',
  NOT_UNDERSTOOD: 'Roomtone did not understand that as a command; nothing changed.',
  NO_MATCH: 'Nothing in the set goes by that name.',
  AMBIGUOUS: 'That could mean more than one thing; say which.',
  TOO_BROAD: 'That would change too much at once; name the thing itself.',
  MODEL_UNAVAILABLE: 'The room\u2019s language model is not available right now.',
  NETWORK: 'The room server cannot be reached. Check the Wi-Fi.',
};

export function plainWords(code: string, fallback?: string): string {
  return isErrorCode(code) || code === 'NETWORK' ? PLAIN[code] : fallback ?? 'That did not work.';
}

export function describeError(err: WireError): string {
  let text = plainWords(err.code, err.message);
  if (err.code === 'LIVE_ERROR' && err.message) text = `Live refused that change: ${err.message}`;
  if (err.limit !== undefined && (err.code === 'FILE_TOO_LARGE' || err.code === 'QUOTA_EXCEEDED' || err.code === 'DISK_FULL')) {
    text += ` (${err.code === 'DISK_FULL' ? 'it must keep' : 'limit'} ${formatBytes(err.limit)}${err.code === 'DISK_FULL' ? ' free' : ''})`;
  }
  if (err.retryAfterMs && err.retryAfterMs > 0) {
    const s = Math.max(1, Math.ceil(err.retryAfterMs / 1000));
    text += ` (wait ${s} s)`;
  }
  return text;
}

/** Why the access rule (protocol/access.ts) says no, for a tooltip or the read-only sign. */
export function whyDenied(denial: AccessDenial | 'not-joined'): string {
  if (denial === 'not-joined') return 'Not joined';
  switch (denial.reason) {
    case 'role': return 'Observers watch and listen; they cannot change the set.';
    case 'revoked': return 'The host has taken away your control for now.';
    case 'frozen': return 'The host froze the room.';
    case 'locked': return 'The host locked the room.';
    case 'assignment': return 'This is not one of the tracks the host gave you.';
  }
}

/** 1536 → "1.5 KB"; binary units, as file managers show sizes. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit += 1; }
  return unit === 0 ? `${value} bytes` : `${value >= 100 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}
