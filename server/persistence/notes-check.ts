import * as Y from 'yjs';
import type { NotesFile } from './schema.ts';

// One character class, no nested groups: a regex with groups overflows the stack on megabytes.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Rooms whose stored notes are not a whole Yjs document, with why. Each is decoded and
 * applied to a scratch doc here, when the store opens: a payload that only failed at the
 * first notes connection used to end the server there, on every restart (H13).
 */
export function corruptNotes(file: NotesFile): Array<{ room: string; reason: string }> {
  const bad: Array<{ room: string; reason: string }> = [];
  for (const [room, b64] of Object.entries(file.docs)) {
    const reason = whyNotADoc(b64);
    if (reason) bad.push({ room, reason });
  }
  return bad;
}

function whyNotADoc(b64: string): string | null {
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) return 'not base64';
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, new Uint8Array(Buffer.from(b64, 'base64')));
    // Structs that wait for others the payload lacks: a cut-off or spliced update.
    if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) return 'an incomplete Yjs update';
    Y.encodeStateAsUpdate(doc);
    return null;
  } catch (err) {
    return `not a Yjs update (${(err as Error).message})`;
  } finally {
    doc.destroy();
  }
}
