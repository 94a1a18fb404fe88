import * as Y from 'yjs';
import { ROOT_OF, type IntentAnswer } from '../../protocol/index.ts';
import { NameIndex } from './names/name-index.ts';
import { SetValues } from './set-values.ts';
import { parseIntent, type IntentSet } from './intent-parser.ts';

/** The mirror as the word parser needs it: the current doc, and word when it is replaced (M8). */
export interface SetSource {
  readonly doc: Y.Doc;
  onReplaced(listener: (next: Y.Doc) => void): () => void;
}

/** Entity keys whose change alters names or structure; values (volume, tempo …) are read live. */
const STRUCTURAL_KEYS = new Set(['name', 'devices', 'clipSlots', 'clipId', 'hasClip', 'groupId', 'trackId', 'time', 'className', 'macros', 'params']);
/** A parameter entity is added or removed with its device's `params` list, which is structural. */
/** Roots whose own keys are entity ids: a change there adds or removes something named. */
const NAMED_ROOTS = new Set([ROOT_OF.track, ROOT_OF.return, ROOT_OF.scene, ROOT_OF.clip, ROOT_OF.clip_slot, ROOT_OF.device, ROOT_OF.cue_point, ROOT_OF.parameter]);

/**
 * Parses words against the room's live `set` doc. The name index is built once and
 * rebuilt only after a transaction that touched names or structure, so a fader moving
 * sixty times a second costs the parser nothing.
 */
export class IntentService {
  private index: NameIndex | null = null;
  private detach: () => void = () => undefined;
  private readonly offReplaced: () => void;
  /** How many times the name index was built; tests and the bench read it. */
  builds = 0;

  constructor(private readonly source: SetSource) {
    this.watch(source.doc);
    this.offReplaced = source.onReplaced((next) => this.watch(next));
  }

  parse(text: string): IntentAnswer {
    return parseIntent(text, this.set());
  }

  /** The set as it is now: the cached names and a fresh reader of values. */
  set(): IntentSet {
    const doc = this.source.doc;
    if (!this.index) {
      this.index = NameIndex.fromDoc(doc);
      this.builds++;
    }
    return { index: this.index, values: new SetValues(doc) };
  }

  close(): void {
    this.detach();
    this.offReplaced();
  }

  private watch(doc: Y.Doc): void {
    this.detach();
    this.index = null;
    const onTransaction = (tr: Y.Transaction): void => {
      if (this.index && touchesNames(tr, doc)) this.index = null;
    };
    doc.on('afterTransaction', onTransaction);
    this.detach = () => doc.off('afterTransaction', onTransaction);
  }
}

function rootName(doc: Y.Doc, type: Y.AbstractType<unknown> | null): string | undefined {
  if (!type) return undefined;
  for (const [name, root] of doc.share) if (root === type) return name;
  return undefined;
}

function touchesNames(tr: Y.Transaction, doc: Y.Doc): boolean {
  for (const [type, keys] of tr.changed) {
    const root = rootName(doc, type as Y.AbstractType<unknown>);
    if (root !== undefined) {
      if (NAMED_ROOTS.has(root) || root === ROOT_OF.order) return true;
      if (root === ROOT_OF.master && [...keys].some((k) => k !== null && STRUCTURAL_KEYS.has(k))) return true;
      continue;
    }
    const parent = rootName(doc, type.parent as Y.AbstractType<unknown> | null);
    if (parent === undefined) continue;
    // A parameter's value moves all the time; only its name (a renamed macro) is a name.
    if (parent === ROOT_OF.parameter) {
      if (keys.has('name')) return true;
      continue;
    }
    for (const key of keys) if (key !== null && STRUCTURAL_KEYS.has(key)) return true;
  }
  return false;
}
