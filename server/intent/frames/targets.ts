import type { ClauseView, Mention, Pick } from '../clauses/clause-view.ts';
import type { Named, NamedKind } from '../names/name-index.ts';
import { refuse } from '../outcome.ts';

export interface Targets {
  named: Named[];
  /** "all", "everything", "every track" (minus any "except …"). */
  all: boolean;
  /** Every name was said exactly (or as a plural or synonym), never guessed from a typo. */
  confident: boolean;
  picks: Pick[];
}

/**
 * The things a clause names among `kinds`, in the order said: names, positions
 * ("track 3"), "it" for the previous clause's things, and "all … except …".
 */
export function targetsOf(view: ClauseView, kinds: readonly NamedKind[], what: string, options: { everything?: () => Named[]; mentions?: Mention[] } = {}): Targets {
  const mentions = options.mentions ?? view.mentions();
  const exceptItem = view.keyItem('except');
  const before = (m: { from: number }): boolean => !exceptItem || m.from < exceptItem.from;
  const picks: Pick[] = [];
  const removed: Named[] = [];
  for (const mention of mentions) {
    const found = view.resolve(mention, kinds, what);
    if (before(mention)) picks.push(...found);
    else removed.push(...found.map((p) => p.named));
  }
  const byIndex: Named[] = [];
  for (const item of view.indexes()) {
    if (item.of !== 'track' && item.of !== 'return' && item.of !== 'scene' && item.of !== 'cue') continue;
    const named = view.byIndex(item);
    if (!kinds.includes(named.kind)) refuse('NOT_UNDERSTOOD', `${named.label} is not ${what === 'thing' ? 'something that fits here' : `a ${what}`}.`);
    if (before(item)) byIndex.push(named);
    else removed.push(named);
  }
  let named = dedupe([...picks.map((p) => p.named), ...byIndex]);
  let all = false;
  if (view.has('all') && named.length === 0 && options.everything) {
    all = true;
    // "mute everything except the drums" leaves the drums' group alone too, or they would go quiet with it.
    const keep = new Set(removed.map((n) => n.id));
    for (const n of removed) for (let g = n.groupId; g; g = view.ctx.index.byId.get(g)?.groupId) keep.add(g);
    named = options.everything().filter((n) => !keep.has(n.id));
  } else if (exceptItem) {
    refuse('NOT_UNDERSTOOD', `"except" works with "all": say "mute everything except the drums".`);
  }
  if (named.length === 0 && view.has('it') && view.previous) named = view.previous.targets.filter((n) => kinds.includes(n.kind));
  return { named, all, confident: picks.every((p) => p.confident), picks };
}

export function dedupe(list: readonly Named[]): Named[] {
  return [...new Set(list)];
}
