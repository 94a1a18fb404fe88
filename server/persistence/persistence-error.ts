/**
 * A data file that is unreadable, fails its schema, or is missing although the data
 * dir says it should exist. Roomtone stops with this message rather than start with an
 * empty room: a silently replaced file would lose a class's sessions and notes.
 */
export class PersistenceError extends Error {
  override readonly name = 'PersistenceError';
  constructor(readonly file: string, readonly reason: 'corrupt' | 'invalid' | 'missing' | 'unwritable', detail: string, remedy = 'fix or move it away and start again') {
    super(`Data file ${file} is ${reason}: ${detail}. Roomtone will not replace it; ${remedy}.`);
  }
}
