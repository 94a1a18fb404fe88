/**
 * How big the room's `notes` may get (H7). One update (a paste) may add up to 256 KiB; the whole
 * doc up to 2 MiB — a term of lesson notes and lyrics is a few hundred KB. Past either,
 * the server drops the update and closes the connection with CLOSE_NOTES_REFUSED
 * (doc-close-codes.ts) and a reason that starts with the error code (`TOO_LARGE: …` or
 * `NOTES_FULL: …`); the editor undoes the change and says why. Zod-free: the browser imports it.
 */
export const NOTES_MAX_UPDATE_BYTES = 256 * 1024;
export const NOTES_MAX_DOC_BYTES = 2 * 1024 * 1024;
