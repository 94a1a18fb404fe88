import * as Y from 'yjs';
import type { IntentAnswer, IntentCommand } from '../../protocol/index.ts';
import type { Approx, ExpectedCommand, Phrase } from '../../testkit/intent-corpus.ts';

export type Outcome = 'exact' | 'miss' | 'wrong';

export interface Scored {
  phrase: Phrase;
  outcome: Outcome;
  why: string;
}

/**
 * Reads `track:Bass`, `slot:Drums@Chorus`, `param:Threshold@Compressor@Bass` … into the
 * set's ids, straight from the doc (not through the parser's own name index).
 */
export function resolveTarget(doc: Y.Doc, ref: string): string {
  if (ref === 'master') return 'master';
  const [kind, rest] = [ref.slice(0, ref.indexOf(':')), ref.slice(ref.indexOf(':') + 1)];
  const parts = rest.split('@');
  const named = (root: string, name: string, where: (m: Y.Map<unknown>) => boolean = () => true): string => {
    const hits = [...doc.getMap<Y.Map<unknown>>(root).entries()].filter(([, m]) => m.get('name') === name && where(m)).map(([id]) => id);
    if (hits.length !== 1) throw new Error(`${ref}: ${hits.length} matches in ${root}`);
    return hits[0]!;
  };
  const trackId = (name: string): string => {
    if (name === 'Master') return 'master';
    for (const root of ['tracks', 'returns']) {
      const hit = [...doc.getMap<Y.Map<unknown>>(root).entries()].find(([, m]) => m.get('name') === name);
      if (hit) return hit[0];
    }
    throw new Error(`${ref}: no track ${name}`);
  };
  const sceneRow = (name: string): number => {
    const order = doc.getMap('order').get('scenes') as string[];
    const id = named('scenes', name);
    return order.indexOf(id);
  };
  const slotOf = (track: string, scene: string): string => {
    const slots = doc.getMap<Y.Map<unknown>>('tracks').get(trackId(track))?.get('clipSlots') as string[];
    return slots[sceneRow(scene)]!;
  };
  switch (kind) {
    case 'track': return named('tracks', parts[0]!);
    case 'return': return named('returns', parts[0]!);
    case 'scene': return named('scenes', parts[0]!);
    case 'cue': return named('cuePoints', parts[0]!);
    case 'slot': return slotOf(parts[0]!, parts[1]!);
    case 'clip': {
      if (parts.length === 1) return named('clips', parts[0]!);
      const row = sceneRow(parts[1]!);
      const slots = new Set([...doc.getMap<Y.Map<unknown>>('tracks').values()].map((t) => (t.get('clipSlots') as string[])[row]));
      return named('clips', parts[0]!, (m) => slots.has(m.get('slotId') as string));
    }
    case 'device': return named('devices', parts[0]!, (m) => m.get('trackId') === trackId(parts[1]!));
    case 'param': {
      const device = named('devices', parts[1]!, (m) => m.get('trackId') === trackId(parts[2]!));
      return named('params', parts[0]!, (m) => m.get('deviceId') === device);
    }
    default: throw new Error(`unknown target kind in ${ref}`);
  }
}

function isApprox(value: unknown): value is Approx {
  return typeof value === 'object' && value !== null && 'approx' in value;
}

function sameArgs(expected: Record<string, unknown>, actual: Record<string, unknown>): string | null {
  for (const [key, want] of Object.entries(expected)) {
    const got = actual[key];
    if (isApprox(want)) {
      if (typeof got !== 'number' || Math.abs(got - want.approx) > (want.within ?? 0.003)) return `${key} ${String(got)} ≠ ≈${want.approx}`;
    } else if (JSON.stringify(got) !== JSON.stringify(want)) return `${key} ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`;
  }
  return null;
}

function sameCommand(doc: Y.Doc, want: ExpectedCommand, got: IntentCommand): string | null {
  if (want.action !== got.action) return `${got.action} instead of ${want.action}`;
  const target = want.target ? resolveTarget(doc, want.target) : null;
  if (target !== got.target) return `${want.action} on ${String(got.target)} instead of ${want.target ?? 'the song'} (${String(target)})`;
  if (want.args) {
    const diff = sameArgs(want.args, got.args);
    if (diff) return `${want.action}: ${diff}`;
  }
  if (want.baseRev === true && !got.baseRev) return `${want.action} without the rev it was computed from`;
  if (want.baseRev === false && got.baseRev) return `${want.action} with a rev, though it is absolute`;
  return null;
}

/**
 * exact: what was expected. miss: no command where commands were expected (the safe
 * failure). wrong: a command where none should be, or another command than expected —
 * the one outcome that must never happen.
 */
export function score(doc: Y.Doc, phrase: Phrase, answer: IntentAnswer): Scored {
  const exp = phrase.expect;
  if ('refuse' in exp) {
    if (answer.ok && answer.commands.length > 0) return { phrase, outcome: 'wrong', why: `ran ${answer.commands.map((c) => c.action).join(', ')} where it should refuse` };
    if (answer.ok) return { phrase, outcome: 'miss', why: `answered "${answer.say}" instead of refusing` };
    if (!exp.refuse.includes(answer.error.code)) return { phrase, outcome: 'miss', why: `refused ${answer.error.code}, expected ${exp.refuse.join('|')}` };
    if (exp.suggests && !(answer.error.suggestions ?? []).includes(exp.suggests)) return { phrase, outcome: 'miss', why: `refused without suggesting "${exp.suggests}" (${(answer.error.suggestions ?? []).join(' | ')})` };
    return { phrase, outcome: 'exact', why: '' };
  }
  if ('answer' in exp) {
    if (!answer.ok) return { phrase, outcome: 'miss', why: `${answer.error.code}: ${answer.error.message}` };
    if (answer.commands.length > 0) return { phrase, outcome: 'wrong', why: `ran ${answer.commands.map((c) => c.action).join(', ')} for a question` };
    if (!exp.answer.test(answer.say)) return { phrase, outcome: 'miss', why: `said "${answer.say}"` };
    return { phrase, outcome: 'exact', why: '' };
  }
  if (!answer.ok) return { phrase, outcome: 'miss', why: `${answer.error.code}: ${answer.error.message}` };
  if (answer.commands.length !== exp.commands.length) return { phrase, outcome: 'wrong', why: `${answer.commands.length} commands (${answer.commands.map((c) => c.action).join(', ')}) instead of ${exp.commands.length}` };
  for (let i = 0; i < exp.commands.length; i++) {
    const diff = sameCommand(doc, exp.commands[i]!, answer.commands[i]!);
    if (diff) return { phrase, outcome: 'wrong', why: diff };
  }
  return { phrase, outcome: 'exact', why: '' };
}
