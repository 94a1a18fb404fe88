import * as Y from 'yjs';

/**
 * Copies the current content of every root map of `source` into `target` — the values
 * only, none of the history (overwritten values, deletions) the source keeps for
 * merging. Nested Y.Maps become new Y.Maps; plain values are shared, Yjs encodes them
 * anew. Call inside a transaction on `target` so it is one update.
 */
export function copyRoots(source: Y.Doc, target: Y.Doc, keep: (root: string, key: string) => boolean = () => true): void {
  for (const name of source.share.keys()) {
    const from = source.getMap<unknown>(name);
    const to = target.getMap<unknown>(name);
    for (const [key, value] of from.entries()) {
      if (keep(name, key)) to.set(key, value instanceof Y.AbstractType ? value.clone() : value);
    }
  }
}
