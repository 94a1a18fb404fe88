import * as Y from 'yjs';
import { ERROR_CODES, ROOT_OF, SINGLETON_KINDS, epochOfRev, type Answer, type EntityChange } from '../../protocol/index.ts';
import type { FaultClient } from './fault-client.ts';

export const DOC_ROOTS = ['song', 'master', 'order', 'tracks', 'returns', 'scenes', 'clipSlots', 'clips', 'devices', 'params', 'cuePoints'];

export interface BurstResult {
  ids: string[];
  /** scene.create commands: their first answers. */
  sceneCreates: Answer[];
}

/**
 * A command burst from every client: mutes on random tracks and, one in four,
 * `scene.create` (whose executions can be counted in the set). Two lanes per client
 * keep going while `more(answered)`; `onAnswered` sees the running count, so a fault
 * can be injected mid-burst and the burst can outlast the recovery.
 */
export async function burst(clients: FaultClient[], tracks: string[], label: string, more: (answered: number) => boolean, onAnswered: (count: number) => void): Promise<BurstResult> {
  let answered = 0;
  const ids: string[] = [];
  const sceneCreates: Answer[] = [];
  let seq = 0;
  await Promise.all(clients.flatMap((client, c) => [0, 1].map(async (lane) => {
    for (let k = lane; more(answered); k += 2) {
      const id = `fault-${label}-${c}-${k}-${(seq++).toString(36)}`;
      ids.push(id);
      const scene = k % 4 === 3;
      const command = scene
        ? { id, action: 'scene.create', args: { index: -1 } }
        : { id, action: 'track.set_mute', target: tracks[(c + k) % tracks.length]!, args: { value: k % 3 === 0 } };
      const answer = await client.send(command);
      if (scene) sceneCreates.push(answer);
      onAnswered(++answered);
    }
  })));
  return { ids, sceneCreates };
}

/** Every id got at least one answer, every answer is typed, and all answers to one id are the same. */
export function answerProblems(clients: FaultClient[], ids: string[]): string[] {
  const problems: string[] = [];
  const answersOf = (id: string): Answer[] => clients.flatMap((c) => c.answers.get(id) ?? []);
  for (const id of ids) {
    const answers = answersOf(id);
    if (answers.length === 0) { problems.push(`${id}: no answer`); continue; }
    for (const a of answers) {
      if (!a.ok && !(!a.ok && ERROR_CODES.includes(a.error?.code))) problems.push(`${id}: untyped answer ${JSON.stringify(a)}`);
    }
    const first = JSON.stringify(answers[0]);
    if (answers.some((a) => JSON.stringify(a) !== first)) problems.push(`${id}: different answers to one command: ${answers.map((a) => JSON.stringify(a)).join(' vs ')}`);
  }
  return problems;
}

/** Answers that say the command may or may not have run. */
export const UNCERTAIN = new Set(['AGENT_OFFLINE', 'LIVE_OFFLINE', 'TIMEOUT', 'INTERNAL']);

/**
 * scene.create executions in the current Live epoch must match the answers: every ok
 * answer's scene exists, and at most the uncertain answers added scenes beyond them.
 */
export function sceneProblems(doc: Y.Doc, before: number, epoch: string, creates: Answer[]): string[] {
  const scenes = doc.getMap('scenes');
  const ok = creates.filter((a): a is Extract<Answer, { ok: true }> => a.ok && typeof a.rev === 'string' && epochOfRev(a.rev) === epoch);
  const uncertain = creates.filter((a) => !a.ok && UNCERTAIN.has(a.error.code)).length;
  const problems: string[] = [];
  for (const a of ok) if (!scenes.has(String(a.value))) problems.push(`scene ${String(a.value)} answered ok is not in the set`);
  const added = scenes.size - before;
  if (added < ok.length) problems.push(`${ok.length} scene.create answered ok but only ${added} scenes were added`);
  if (added > ok.length + uncertain) problems.push(`${added} scenes added for ${ok.length} ok and ${uncertain} uncertain answers: something ran twice`);
  return problems;
}

/** The set doc as plain data, root by root. */
export function docState(doc: Y.Doc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const root of DOC_ROOTS) out[root] = doc.getMap(root).toJSON();
  return out;
}

/** Differences between Live's own snapshot (from the simulator) and a set doc. */
export function liveVsDoc(entities: EntityChange[], doc: Y.Doc): string[] {
  const problems: string[] = [];
  const seen = new Map<string, Set<string>>();
  for (const e of entities) {
    const root = ROOT_OF[e.kind];
    const map = SINGLETON_KINDS.has(e.kind) ? doc.getMap(root) : doc.getMap(root).get(e.id) as Y.Map<unknown> | undefined;
    if (!map) { problems.push(`${e.kind} ${e.id} missing from the doc`); continue; }
    if (!SINGLETON_KINDS.has(e.kind)) {
      if (!seen.has(root)) seen.set(root, new Set());
      seen.get(root)!.add(e.id);
    }
    if (e.rev !== undefined && map.get('rev') !== e.rev) problems.push(`${e.id}: rev ${String(map.get('rev'))} in the doc, ${e.rev} in Live`);
    for (const [key, value] of Object.entries(e.props ?? {})) {
      if (JSON.stringify(map.get(key) ?? null) !== JSON.stringify(value ?? null)) problems.push(`${e.id}.${key}: ${JSON.stringify(map.get(key))} in the doc, ${JSON.stringify(value)} in Live`);
    }
  }
  for (const [root, ids] of seen) {
    for (const id of doc.getMap(root).keys()) if (!ids.has(id)) problems.push(`${root}/${id} in the doc but not in Live`);
  }
  return problems;
}
