import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { addedContentBytes, DocSizeGuard } from './doc-size-guard.ts';

function updateOf(edit: (doc: Y.Doc) => void, base?: Y.Doc): Uint8Array {
  const doc = new Y.Doc();
  if (base) Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  const before = Y.encodeStateVector(doc);
  edit(doc);
  return Y.encodeStateAsUpdate(doc, before);
}

describe('DocSizeGuard (H7)', () => {
  it('counts the content an update keeps, not what it deletes in the same breath', () => {
    expect(addedContentBytes(updateOf((d) => d.getText('text').insert(0, 'héllo')))).toBe(6);
    expect(addedContentBytes(updateOf((d) => { d.getText('text').insert(0, 'x'.repeat(1000)); d.getText('text').delete(0, 1000); }))).toBe(0);
  });

  it('refuses a change that adds too much, and growth past the doc limit, but never a deletion', () => {
    const doc = new Y.Doc();
    const guard = new DocSizeGuard(doc, { maxUpdateBytes: 100, maxDocBytes: 250 }, () => 0);
    const apply = (u: Uint8Array) => { const refused = guard.admit(u); if (!refused) Y.applyUpdate(doc, u); return refused; };
    expect(apply(updateOf((d) => d.getText('text').insert(0, 'x'.repeat(101)), doc))?.code).toBe('TOO_LARGE');
    expect(apply(updateOf((d) => d.getText('text').insert(0, 'a'.repeat(90)), doc))).toBeNull();
    expect(apply(updateOf((d) => d.getText('text').insert(0, 'b'.repeat(90)), doc))).toBeNull();
    expect(apply(updateOf((d) => d.getText('text').insert(0, 'c'.repeat(90)), doc))?.code).toBe('NOTES_FULL');
    expect(apply(updateOf((d) => d.getText('text').delete(0, 150), doc))).toBeNull();
    expect(doc.getText('text').length).toBe(30);
  });
});
