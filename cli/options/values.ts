import path from 'node:path';
import { adminPinProblem } from '../../server/security/admin-pin.ts';

/** A value that does not fit its option; the message says what would. */
export class ValueError extends Error {}

export type Parse<T> = (raw: string) => T;

export function integer(min: number, max: number): Parse<number> {
  return (raw) => {
    const value = Number(raw.trim());
    if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      throw new ValueError(`must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
}

export function oneOf<const T extends string>(choices: readonly T[]): Parse<T> {
  return (raw) => {
    const found = choices.find((c) => c === raw.trim());
    if (found === undefined) throw new ValueError(`must be ${listOr(choices)}, got ${JSON.stringify(raw)}`);
    return found;
  };
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

/** For environment variables and config files; on the command line a switch takes no value. */
export const boolean: Parse<boolean> = (raw) => {
  const v = raw.trim().toLowerCase();
  if (TRUE.includes(v)) return true;
  if (FALSE.includes(v)) return false;
  throw new ValueError(`must be 1 or 0 (true/false, yes/no, on/off), got ${JSON.stringify(raw)}`);
};

export const text: Parse<string> = (raw) => {
  if (raw.trim() === '') throw new ValueError('must not be empty');
  return raw.trim();
};

/** A folder or file, made absolute against the folder Roomtone was started from. */
export const absolutePath: Parse<string> = (raw) => path.resolve(text(raw));

export const httpsUrl: Parse<string> = (raw) => {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ValueError(`must be a URL such as https://studio.local:8443/, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'https:') throw new ValueError(`must start with https:// (Roomtone serves only HTTPS), got ${JSON.stringify(raw)}`);
  if (url.search || url.hash || url.username) throw new ValueError('must be the address only, without ?query, #fragment or user name');
  return url.origin + (url.pathname.endsWith('/') ? url.pathname : `${url.pathname}/`);
};

/** An http(s) service on the LAN; a password belongs in an environment variable, never in a URL on a command line. */
export const httpUrl: Parse<string> = (raw) => {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ValueError(`must be a URL such as http://192.168.1.20:11434/v1, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ValueError(`must start with http:// or https://, got ${JSON.stringify(raw)}`);
  if (url.username || url.password) throw new ValueError('must not carry a user name or password (set ROOMTONE_MODEL_KEY instead)');
  return raw.trim();
};

export const hostPort: Parse<{ ip: string; port: number }> = (raw) => {
  const match = /^(.+):(\d{1,5})$/.exec(raw.trim());
  if (!match) throw new ValueError(`must be ip:port, got ${JSON.stringify(raw)}`);
  return { ip: match[1]!, port: integer(1, 65535)(match[2]!) };
};

/** Kilobytes on the wire, bytes inside. */
export function kilobytes(min: number, max: number): Parse<number> {
  const kb = integer(min, max);
  return (raw) => kb(raw) * 1024;
}

/**
 * A join code or admin PIN someone in the room could not guess within the join
 * throttle's budget: at least 6 characters, and not a run anyone would try first
 * (000000, 123456, 654321).
 */
export const joinCode: Parse<string> = (raw) => {
  const value = raw.trim();
  if (!/^[A-Za-z0-9]{6,32}$/.test(value)) {
    throw new ValueError(`must be 6 to 32 letters or digits (${value.length < 6 ? 'a shorter one is too easy to guess' : 'other characters are hard to type on a tablet'})`);
  }
  if (isTrivial(value)) throw new ValueError('is among the first codes anyone would try; pick another, or leave it out for a random one');
  return value;
};

/** The server's own rule for a configured PIN (digits, 6 to 32; H3), and no obvious run. */
export const adminPin: Parse<string> = (raw) => {
  const value = raw.trim();
  const problem = adminPinProblem(value);
  if (problem) throw new ValueError(`is refused: ${problem}`);
  if (isTrivial(value)) throw new ValueError('is among the first PINs anyone would try; pick another, or leave it out for a random one');
  return value;
};

function isTrivial(code: string): boolean {
  const lower = code.toLowerCase();
  if (Array.from(lower).every((c) => c === lower[0])) return true;
  const steps = Array.from(lower).slice(1).map((c, i) => c.charCodeAt(0) - lower.charCodeAt(i));
  return steps.every((s) => s === 1) || steps.every((s) => s === -1);
}

export function listOr(choices: readonly string[]): string {
  return choices.length <= 1 ? (choices[0] ?? '') : `${choices.slice(0, -1).join(', ')} or ${choices[choices.length - 1]}`;
}
