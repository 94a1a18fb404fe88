import * as Y from 'yjs';
import { NOTES_MAX_DOC_BYTES, NOTES_MAX_UPDATE_BYTES, wireError, type WireError } from '../../protocol/index.ts';

export interface DocSizeLimits { maxUpdateBytes: number; maxDocBytes: number }

/**
 * Keeps a collaborative doc within its size (H7): one member grew the notes to 23 MB in
 * seconds, and it survived restarts. An update is refused when the content it adds is
 * more than one change may add, or when it adds content to a doc already at its size.
 * What an update deletes in the same breath costs nothing (the doc keeps only its length):
 * an editor that took a refused paste back re-sends it deleted, and that must pass.
 * Deleting is never refused, so a full doc can always be trimmed. The doc's size is
 * measured exactly only when a running estimate nears the limit.
 */
export class DocSizeGuard {
  private estimate: number;
  private measuredAt = 0;

  constructor(private readonly doc: Y.Doc, private readonly limits: DocSizeLimits = { maxUpdateBytes: NOTES_MAX_UPDATE_BYTES, maxDocBytes: NOTES_MAX_DOC_BYTES }, private readonly now: () => number = Date.now) {
    this.estimate = Y.encodeStateAsUpdate(doc).byteLength;
  }

  /** The refusal for this update, or null when it may be applied (then it is counted). */
  admit(update: Uint8Array): WireError | null {
    const adds = addedContentBytes(update);
    if (adds > this.limits.maxUpdateBytes) {
      return wireError('TOO_LARGE', `one change may add at most ${kib(this.limits.maxUpdateBytes)} to the notes; this one adds ${kib(adds)}`);
    }
    if (adds > 0 && this.estimate + adds > this.limits.maxDocBytes) {
      // Measure at most once a second: a flood of refused writes costs no more than that.
      if (this.now() - this.measuredAt >= 1_000) {
        this.estimate = Y.encodeStateAsUpdate(this.doc).byteLength;
        this.measuredAt = this.now();
      }
      if (this.estimate + adds > this.limits.maxDocBytes) {
        return wireError('NOTES_FULL', `the notes are full (${kib(this.limits.maxDocBytes)}); delete something before adding more`);
      }
    }
    // The whole update counts: item metadata grows the doc too (a flood of one-letter
    // inserts is mostly metadata). An overestimate only means an exact measure sooner.
    this.estimate += update.byteLength;
    return null;
  }
}

/**
 * Bytes of content the update inserts and keeps: text and values of items that the same
 * update does not delete. Deleted content travels as a length only, so an update that
 * deletes (or re-sends what was deleted) adds nothing.
 */
export function addedContentBytes(update: Uint8Array): number {
  const { structs, ds } = Y.decodeUpdate(update);
  let bytes = 0;
  for (const struct of structs) {
    if (!(struct instanceof Y.Item) || Y.isDeleted(ds, struct.id)) continue;
    const content = struct.content;
    if (content instanceof Y.ContentDeleted) continue;
    if (content instanceof Y.ContentString) bytes += Buffer.byteLength(content.str);
    else if (content instanceof Y.ContentBinary) bytes += content.content.byteLength;
    else bytes += 32 * content.getLength();
  }
  return bytes;
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
