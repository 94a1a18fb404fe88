import { describe, expect, it } from 'vitest';
import { IntentAnswerSchema } from './intent.ts';
import { readIntentAnswer } from './intent-guard.ts';

const valid: unknown[] = [
  { ok: true, commands: [{ action: 'track.set_mute', target: 't2', args: { value: true }, say: 'Mute Drums' }], say: 'Mute Drums.', source: 'parser' },
  { ok: true, commands: [{ action: 'track.set_volume', target: 't4', args: { value: 0.725 }, baseRev: 'e.12', say: 'Bass down 3 dB' }], say: 'Bass down 3 dB.', source: 'parser' },
  { ok: true, commands: [{ action: 'song.set_tempo', target: null, args: { bpm: 96 }, say: 'Tempo 96 BPM' }], say: 'x', source: 'model' },
  { ok: true, commands: [], say: 'The tempo is 120 BPM.', source: 'parser' },
  { ok: false, error: { code: 'NO_MATCH', message: 'No track called "trumpet".', suggestions: ['mute Drums'] } },
  { ok: false, error: { code: 'NOT_UNDERSTOOD', message: 'no' }, canAskModel: true },
  { ok: false, error: { code: 'RATE_LIMITED', message: 'slow', retryAfterMs: 100 } },
];
const invalid: unknown[] = [
  null, 'ok', [], { ok: 'yes' }, { ok: true }, { ok: true, commands: [], say: 1, source: 'parser' },
  { ok: true, commands: [], say: 'x', source: 'oracle' },
  { ok: true, commands: [{ action: 'track.set_mute', target: 5, args: {}, say: 'x' }], say: 'x', source: 'parser' },
  { ok: true, commands: [{ action: 'track.set_mute', target: 't1', args: [], say: 'x' }], say: 'x', source: 'parser' },
  { ok: true, commands: [{ action: 'track.set_mute', target: 't1', args: {}, say: 'x', baseRev: 3 }], say: 'x', source: 'parser' },
  { ok: false, error: 'NO_MATCH' }, { ok: false, error: { code: 'NO_MATCH' } },
];

describe('the browser\'s reader of intent.parse answers agrees with the protocol schema', () => {
  it('reads every answer the schema accepts, unchanged', () => {
    for (const answer of valid) {
      expect(IntentAnswerSchema.safeParse(answer).success, JSON.stringify(answer)).toBe(true);
      expect(readIntentAnswer(answer)).toEqual(answer);
    }
  });

  it('refuses what the schema refuses', () => {
    for (const answer of invalid) {
      expect(IntentAnswerSchema.safeParse(answer).success, JSON.stringify(answer)).toBe(false);
      expect(readIntentAnswer(answer), JSON.stringify(answer)).toBeNull();
    }
  });
});
