import type { AudioFormat } from '../../protocol/index.ts';

/** The extension each stored format gets: the bytes decide it, never the sender's name. */
export const EXTENSION: Record<AudioFormat, string> = { wav: 'wav', aiff: 'aif', flac: 'flac', mp3: 'mp3', ogg: 'ogg', m4a: 'm4a' };

const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
/** Control characters, the separators and characters Windows and macOS refuse in names. */
// Control characters are exactly what this must match.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*]/g;
/** Invisible characters that make one name look like another (bidi overrides, zero-width). */
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
const MAX_SEGMENT_BYTES = 96;

/**
 * One path segment that is safe on every studio OS: only the last part of whatever path
 * the device sent, no separators, control or invisible characters, no leading dots (no
 * `..`, no hidden files), no trailing dots or spaces, no reserved device names, at most
 * 96 UTF-8 bytes. Never empty: `fallback` stands in.
 */
export function cleanSegment(raw: string, fallback: string): string {
  const last = raw.normalize('NFC').split(/[\\/]/).pop() ?? '';
  let s = last.replace(INVISIBLE, '').replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  s = s.replace(/^[.\s-]+/, '').replace(/[.\s]+$/, '');
  s = truncateUtf8(s, MAX_SEGMENT_BYTES).replace(/[.\s]+$/, '');
  if (!s) return fallback;
  return WINDOWS_RESERVED.test(s) ? `_${s}` : s;
}

/** The name a stored drop gets: the sender's name without its extension, plus the format's. */
export function storedFileName(raw: string, format: AudioFormat): string {
  const last = raw.split(/[\\/]/).pop() ?? '';
  const dot = last.lastIndexOf('.');
  const base = dot > 0 ? last.slice(0, dot) : last;
  return `${cleanSegment(base, 'audio')}.${EXTENSION[format]}`;
}

/** `name.wav` → `name 2.wav`, `name 3.wav`, …: the next name to try when one is taken. */
export function numberedName(name: string, n: number): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} ${n}${name.slice(dot)}` : `${name} ${n}`;
}

function truncateUtf8(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let out = '';
  for (const ch of s) {
    if (Buffer.byteLength(out + ch) > maxBytes) break;
    out += ch;
  }
  return out;
}
