import { describe, expect, it } from 'vitest';
import { deviceBanksOf, filesListingOf, healthOf, httpErrorOf, metaOf, sessionAnswerOf, takesListingOf, uploadAnswerOf } from './page-readers.ts';
import { FilesListingSchema, TakesListingSchema, UploadAnswerSchema } from './file-schemas.ts';
import { HealthSchema, HttpErrorSchema, SessionAnswerSchema } from './room-events.ts';
import type { z } from 'zod';

const session = { id: 's_1', name: 'Ada', role: 'member', layout: 'band', room: 'studio', canControl: true, assignedTracks: ['t1'], expiresAt: 1 };
const health = { ok: true, version: '0.1.0', stopping: false, agent: { connected: true }, live: { mode: 'sim', connected: false, version: null }, processes: [{ name: 'sim', phase: 'running', running: true, restarts: 0, lastExit: null, error: null }] };
const refusal = { error: { code: 'BAD_PIN', message: 'nope', retryAfterMs: 5 } };
const file = { id: 'a'.repeat(64), name: 'bass.wav', format: 'wav', codec: 'PCM', bytes: 1000, seconds: 1.5, sampleRate: 48000, channels: 2, at: 1, mine: true, fromHost: false, where: 'drops' };
const files = { files: [file], allowance: { dropsEnabled: true, maxFileBytes: 10, quotaBytes: null, usedTodayBytes: 0, unfinished: 1 } };
const takes = { takes: [{ id: 'b'.repeat(32), track: 'Bass', trackId: 't1', clipId: null, name: 'Take 1', fileName: 'take.wav', seconds: null, recording: false, available: true, arrangement: true, fileId: null }], setSaved: true, liveConnected: true };

/** Every way to spoil a sample one field at a time: dropped, or replaced by a value of another type. */
function* spoiled(sample: unknown, path: string[] = []): Generator<[string, unknown]> {
  if (typeof sample !== 'object' || sample === null) return;
  const entries = Array.isArray(sample) ? sample.map((v, i): [string, unknown] => [String(i), v]) : Object.entries(sample);
  for (const [key, value] of entries) {
    const rebuild = (replacement: unknown, drop: boolean): unknown => {
      if (Array.isArray(sample)) return sample.map((v: unknown, i) => (String(i) === key ? replacement : v));
      return Object.fromEntries(Object.entries(sample).flatMap(([k, v]): Array<[string, unknown]> => (k !== key ? [[k, v]] : drop ? [] : [[k, replacement]])));
    };
    const here = [...path, key].join('.');
    if (!Array.isArray(sample)) yield [`${here} dropped`, rebuild(undefined, true)];
    for (const wrong of [42, 'x', true, null, [], {}]) {
      if (typeof wrong === typeof value && Array.isArray(wrong) === Array.isArray(value) && (wrong === null) === (value === null)) continue;
      yield [`${here} = ${JSON.stringify(wrong)}`, rebuild(wrong, false)];
    }
    for (const [inner, spoilt] of spoiled(value, [...path, key])) yield [inner, rebuild(spoilt, false)];
  }
}

function agree(reader: (body: unknown) => unknown, schema: z.ZodType, sample: unknown): void {
  expect(reader(sample)).not.toBeNull();
  for (const [how, body] of spoiled(sample)) {
    expect(reader(body) === null, how).toBe(!schema.safeParse(body).success);
  }
}

describe('the page’s zod-free readers agree with the schemas', () => {
  it('sessionAnswerOf ≡ SessionAnswerSchema', () => agree(sessionAnswerOf, SessionAnswerSchema, { session }));
  it('healthOf ≡ HealthSchema', () => agree(healthOf, HealthSchema, health));
  it('filesListingOf ≡ FilesListingSchema', () => agree(filesListingOf, FilesListingSchema, files));
  it('takesListingOf ≡ TakesListingSchema', () => agree(takesListingOf, TakesListingSchema, takes));
  it('uploadAnswerOf ≡ UploadAnswerSchema', () => agree(uploadAnswerOf, UploadAnswerSchema, { file, duplicate: false }));
  it('httpErrorOf ≡ HttpErrorSchema on code and message (optional fields the page can do without are dropped, not refused)', () => {
    expect(httpErrorOf(refusal)).toEqual(refusal.error);
    for (const body of [{}, { error: null }, { error: { code: 'NOPE', message: 'x' } }, { error: { code: 'BAD_PIN' } }]) {
      expect(httpErrorOf(body)).toBeNull();
      expect(HttpErrorSchema.safeParse(body).success).toBe(false);
    }
  });

  it('metaOf keeps each meta field with its declared type and drops the rest', () => {
    const meta = { instance: 'i1', epoch: null, agentConnected: true, liveConnected: false, simulated: true, liveVersion: '12.0.5', processes: health.processes, liveKind: 'sim' };
    expect(metaOf(meta)).toEqual(meta);
    expect(metaOf({ ...meta, agentConnected: 'yes', processes: [{ name: 1 }], junk: 1 })).toEqual({ instance: 'i1', epoch: null, liveConnected: false, simulated: true, liveVersion: '12.0.5', liveKind: 'sim' });
    expect(metaOf(null)).toEqual({});
  });
});

describe('deviceBanksOf (device.get_banks, read by the device panel)', () => {
  it('reads each bank’s name and parameter ids; an empty slot is null; a bank that is not one is dropped', () => {
    const value = { source: 'macros', banks: [{ name: 'Macros', params: ['p1', null, 7] }, { name: 3, params: [] }, 'x'] };
    expect(deviceBanksOf(value)).toEqual([{ name: 'Macros', params: ['p1', null, null] }]);
    expect(deviceBanksOf(null)).toEqual([]);
    expect(deviceBanksOf({ banks: 'nope' })).toEqual([]);
  });
});
