import { wireError, type ErrorCode, type WireError } from '../../protocol/index.ts';
import type { Named } from './names/name-index.ts';

/** A command the words became: the catalogue's shape and the words to say it. */
export interface Planned {
  action: string;
  target: string | null;
  args: Record<string, unknown>;
  /** Set when the value was computed from the current one (see protocol/intent.ts). */
  baseRev?: string;
  say: string;
}

/** What a later clause may take over: "… and the keys" reuses the verb, "… and turn it up" the things. */
export interface Memory {
  /** The frame's family, so a clause without a verb can reuse it. */
  family: string;
  targets: Named[];
  /** A send's return, so "… and 30% of pad" sends to the same one. */
  destination?: Named;
  /** The verb key of a toggle ("mute"), for "… and the bass". */
  key?: string;
}

export interface ClauseOutcome {
  commands: Planned[];
  /** The clause in plain words: what will happen, or the answer to a question. */
  say: string;
  memory: Memory | null;
}

/** The parser cannot or must not produce a command: the words come back with a reason. */
export class Refusal extends Error {
  constructor(readonly error: WireError) {
    super(error.message);
  }
}

export function refuse(code: Extract<ErrorCode, 'NOT_UNDERSTOOD' | 'NO_MATCH' | 'AMBIGUOUS' | 'TOO_BROAD' | 'INVALID'>, message: string, suggestions: string[] = []): never {
  const unique = [...new Set(suggestions)].slice(0, 6);
  throw new Refusal(wireError(code, message, unique.length > 0 ? { suggestions: unique } : {}));
}
