import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IntentAnswerSchema } from '../../protocol/index.ts';
import { IntentService } from '../../server/intent/intent-service.ts';
import { loadDemoSet, type DemoSet } from '../helpers/demo-set.ts';
import { CORPUS } from '../../testkit/intent-corpus.ts';
import { score, type Scored } from './corpus-score.ts';
import { missingEntities } from './named-entities.ts';

describe('intent corpus: phrasings on the demo set', () => {
  let demo: DemoSet;
  let intents: IntentService;
  const results: Scored[] = [];
  const missing: string[] = [];

  beforeAll(async () => {
    demo = await loadDemoSet();
    intents = new IntentService(demo.mirror);
    for (const phrase of CORPUS) {
      const answer = intents.parse(phrase.say);
      expect(IntentAnswerSchema.safeParse(answer).success, `answer to "${phrase.say}" fits its schema`).toBe(true);
      results.push(score(demo.mirror.doc, phrase, answer));
      if (answer.ok) for (const command of answer.commands) missing.push(...missingEntities(demo.mirror, command).map((m) => `"${phrase.say}": ${m}`));
    }
    const by = (o: string): Scored[] => results.filter((r) => r.outcome === o);
    const kinds = [...new Set(CORPUS.map((p) => p.kind))];
    const refusals = CORPUS.filter((p) => 'refuse' in p.expect).length;
    console.log(`intent corpus: ${CORPUS.length} phrasings in ${kinds.length} kinds · ${by('exact').length} exact (${((100 * by('exact').length) / CORPUS.length).toFixed(1)}%) · ${by('miss').length} missed · ${by('wrong').length} wrong · ${refusals} that must give no command`);
    for (const r of [...by('wrong'), ...by('miss')]) console.log(`  ${r.outcome.toUpperCase()} "${r.phrase.say}": ${r.why}`);
  });
  afterAll(async () => {
    intents?.close();
    await demo?.stop();
  });

  it('has at least 150 phrasings covering every kind of phrase', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(150);
    for (const kind of ['volume', 'mute', 'solo', 'arm', 'pan', 'send', 'tempo', 'timesig', 'transport', 'metronome', 'loop', 'place', 'launch', 'device', 'param', 'structure', 'delete', 'names', 'question', 'unknown', 'crossfader', 'record']) {
      expect(CORPUS.some((p) => p.kind === kind), kind).toBe(true);
    }
  });

  it('never gives a command where "I don\'t know" is the answer, and never another command than meant', () => {
    expect(results.filter((r) => r.outcome === 'wrong').map((r) => `${r.phrase.say}: ${r.why}`)).toEqual([]);
  });

  it('understands every phrasing of the corpus', () => {
    expect(results.filter((r) => r.outcome === 'miss').map((r) => `${r.phrase.say}: ${r.why}`)).toEqual([]);
  });

  it('names only entities of the set, each of the kind the catalogue says (target and entityArgs, H6)', () => {
    expect(missing).toEqual([]);
  });

  it('parses without touching the set: the doc is unchanged after the whole corpus', () => {
    // The mirror is the only writer; a parse that wrote would bump its state vector.
    const before = demo.mirror.snapshots;
    intents.parse('mute drums and bass');
    expect(demo.mirror.snapshots).toBe(before);
  });
});
