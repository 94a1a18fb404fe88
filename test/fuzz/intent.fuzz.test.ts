import { describe, expect, it } from 'vitest';
import { IntentAnswerSchema, findAction, INTENT_COMMANDS_MAX } from '../../protocol/index.ts';
import { IntentService } from '../../server/intent/intent-service.ts';
import { syntheticMirror } from '../helpers/synthetic-set.ts';
import { Prng } from '../../testkit/prng.ts';
import { missingEntities } from '../intent/named-entities.ts';

const WORDS = ['mute', 'solo', 'delete', 'remove', 'all', 'everything', 'the', 'and', 'then', 'to', 'up', 'down', 'by', 'of', 'on', 'off', 'send', 'pan', 'left', 'right',
  'tempo', 'bpm', 'db', '%', 'play', 'stop', 'loop', 'bars', 'bar', 'scene', 'track', 'it', 'not', "don't", 'except', 'but', 'rename', 'call', 'a', 'bit', 'lot',
  'kick', 'snare', 'bass', 'di', 'amp', 'plate', 'slap', 'drop', 'verse', 'chorus', 'compressor', 'threshold', 'drive', 'macro', 'what', 'is', '?', ',', 'B', 'A',
  'sollo', 'mtue', 'half', 'way', 'song', 'return', 'clip', 'can', 'you', 'tad',
  '3/4', '0/0', '-', '+', '=', '&', 'é', '🎸', '\u0000', '\u202e', '"', "'", 'hundred', 'one', 'twenty', 'minus', 'Infinity', 'NaN', '1e309', '-0', '999999999999'];

/**
 * Random sentences from the words that carry meaning, names, numbers and junk: the parser
 * answers each one (never throws), every answer fits the wire schema, every command it
 * makes passes the catalogue and names only entities of the set, of the kind each id must
 * be (target and entityArgs, H6), and a delete never comes with anything else.
 */
describe('intent parser fuzz', () => {
  const mirror = syntheticMirror({
    tracks: [{ name: 'Kick', clips: ['Kick A'] }, { name: 'Snare' }, { name: 'Bass DI' }, { name: 'Bass Amp', devices: [{ name: 'Compressor', className: 'Compressor2', params: [{ name: 'Threshold', value: -10, min: -70, max: 6, display: '-10.0 dB' }] }] }],
    returns: ['Plate', 'Slap'],
    scenes: ['Verse', 'Drop', 'Chorus'],
    cues: [{ name: 'Verse', time: 0 }],
  });
  const intents = new IntentService(mirror);

  it('answers 3,000 random sentences, each with a valid answer', () => {
    const prng = new Prng(Number(process.env.FUZZ_SEED ?? 20261203));
    let commands = 0;
    for (let i = 0; i < 3_000; i++) {
      const n = prng.int(0, 14);
      const text = Array.from({ length: n }, () => (prng.bool(0.15) ? String(prng.int(-200, 2000)) : prng.pick(WORDS))).join(prng.bool(0.1) ? '' : ' ');
      let answer;
      try {
        answer = intents.parse(text);
      } catch (err) {
        throw new Error(`"${text}" threw: ${err instanceof Error ? err.stack ?? err.message : String(err)}`, { cause: err });
      }
      expect(IntentAnswerSchema.safeParse(answer).success, text).toBe(true);
      if (!answer.ok) {
        expect(answer.error.code, text).not.toBe('INTERNAL');
        continue;
      }
      expect(answer.commands.length).toBeLessThanOrEqual(INTENT_COMMANDS_MAX);
      for (const c of answer.commands) {
        const spec = findAction(c.action)!;
        expect(spec.args.safeParse(c.args).success, `${text}: ${c.action} ${JSON.stringify(c.args)}`).toBe(true);
        expect(missingEntities(mirror, c), text).toEqual([]);
        commands++;
      }
      const deletes = answer.commands.filter((c) => /delete/.test(c.action));
      if (deletes.length > 0) expect(answer.commands, text).toHaveLength(1);
    }
    expect(commands).toBeGreaterThan(20);
  });
});
