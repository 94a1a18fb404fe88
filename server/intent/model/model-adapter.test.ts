import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IntentAnswerSchema, type AuditEntry } from '../../../protocol/index.ts';
import { syntheticMirror } from '../../../test/helpers/synthetic-set.ts';
import { IntentService } from '../intent-service.ts';
import { IntentHandler } from '../intent-handler.ts';
import type { Session } from '../../sessions/session.ts';
import { ModelAdapter } from './model-adapter.ts';

/**
 * A stand-in for an OpenAI-compatible server (Ollama, llama.cpp) on a loopback port: it
 * records what Roomtone sends and answers what each test sets. This tests the adapter,
 * not any model.
 */
interface StandIn {
  url: string;
  requests: Array<{ path: string; headers: http.IncomingHttpHeaders; body: string }>;
  reply: (res: http.ServerResponse) => void;
  close(): Promise<void>;
}

async function standIn(): Promise<StandIn> {
  const state: StandIn = { url: '', requests: [], reply: (res) => res.end('{}'), close: () => Promise.resolve() };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      state.reply(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  state.close = () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return state;
}

function completion(toolCalls: unknown[] | null, content: string | null = null): (res: http.ServerResponse) => void {
  return (res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content, tool_calls: toolCalls } }] }));
  };
}

const call = (name: string, args: unknown) => ({ id: 'c1', type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) } });

const mirror = syntheticMirror({
  tracks: [{ name: 'Kick', clips: ['Kick A'] }, { name: 'Strings', volume: 0.7 }, { name: 'Lead Vox', kind: 'audio' }],
  returns: ['Plate'],
  scenes: ['Verse'],
});
const intents = new IntentService(mirror);
const set = intents.set();
const strings = [...mirror.doc.getMap<import('yjs').Map<unknown>>('tracks').entries()].find(([, m]) => m.get('name') === 'Strings')![0];
const slots = [...mirror.doc.getMap<import('yjs').Map<unknown>>('clipSlots').keys()];

describe('ModelAdapter against a stand-in OpenAI-compatible server', () => {
  let server: StandIn;
  let adapter: ModelAdapter;
  beforeAll(async () => {
    server = await standIn();
    adapter = new ModelAdapter({ url: server.url, model: 'llama3.1:8b', apiKey: 'lan-key', timeoutMs: 2_000 });
  });
  beforeEach(() => { server.requests.length = 0; });
  afterAll(async () => { await server.close(); });

  it('sends the words, the catalogue as tools and the set\'s names, to /chat/completions', async () => {
    server.reply = completion([call('track__set_volume', { target: strings, args: { value: 0.85 } })]);
    await adapter.propose('make the strings swell', set);
    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer lan-key');
    const body = JSON.parse(request.body) as { model: string; messages: Array<{ role: string; content: string }>; tools: Array<{ function: { name: string; parameters: { properties: Record<string, unknown> } } }> };
    expect(body.model).toBe('llama3.1:8b');
    expect(body.messages.at(-1)).toEqual({ role: 'user', content: 'make the strings swell' });
    expect(body.messages[0]!.content).toContain(`${strings}: Strings`);
    expect(body.messages[0]!.content).toContain('Plate (send index 0)');
    const names = body.tools.map((t) => t.function.name);
    expect(names).toEqual(expect.arrayContaining(['track__set_volume', 'song__set_tempo', 'scene__fire', 'parameter__set']));
    // Nothing that deletes or overwrites content is ever offered, and nothing that only reads.
    for (const withheld of ['track__delete', 'scene__delete', 'clip_slot__delete_clip', 'device__delete', 'clip__replace_notes', 'clip__remove_notes', 'clip__get_notes', 'system__ping']) expect(names).not.toContain(withheld);
    const volume = body.tools.find((t) => t.function.name === 'track__set_volume')!;
    expect(volume.function.parameters.properties.args).toMatchObject({ type: 'object', properties: { value: { type: 'number', minimum: 0, maximum: 1 } } });
  });

  it('turns a valid proposal into commands checked with the catalogue\'s own schemas, previewed in Roomtone\'s words', async () => {
    server.reply = completion([call('track__set_volume', { target: strings, args: { value: 0.85 } }), call('song__set_tempo', { args: { bpm: 90 } })], 'Raising the strings.');
    const answer = await adapter.propose('make the strings swell', set);
    expect(IntentAnswerSchema.safeParse(answer).success).toBe(true);
    expect(answer).toMatchObject({ ok: true, source: 'model', commands: [
      { action: 'track.set_volume', target: strings, args: { value: 0.85 }, say: 'Strings to 0 dB' },
      { action: 'song.set_tempo', target: null, args: { bpm: 90 }, say: 'Tempo 90 BPM' },
    ] });
    expect(answer.ok && answer.say).toMatch(/^The room's model suggests: Strings to 0 dB; Tempo 90 BPM\.$/);
  });

  const bad: Array<[string, (res: http.ServerResponse) => void, RegExp]> = [
    ['an unknown tool', completion([call('track__explode', { target: strings, args: {} })]), /unknown tool/],
    ['a withheld, destructive tool', completion([call('track__delete', { target: strings, args: {} })]), /unknown tool/],
    ['arguments outside the schema', completion([call('track__set_volume', { target: strings, args: { value: 2 } })]), /bad arguments/],
    ['an id that is not in the set', completion([call('track__set_mute', { target: 't999', args: { value: true } })]), /no track t999/],
    ['an id of the wrong kind', completion([call('clip__fire', { target: strings, args: {} })]), /no clip/],
    ['a copy onto another slot, which overwrites its clip', completion([call('clip_slot__duplicate_clip_to', { target: slots[0], args: { to: slots[1] } })]), /unknown tool/],
    ['arguments that are not JSON', completion([call('track__set_mute', '{"target": ')]), /not JSON/],
    ['extra fields beside target and args', completion([call('track__set_mute', { target: strings, args: { value: true }, sudo: true })]), /not \{ target, args \}/],
    ['a good call next to a bad one', completion([call('track__set_mute', { target: strings, args: { value: true } }), call('track__set_pan', { target: strings, args: { value: 9 } })]), /bad arguments/],
    ['too many calls', completion(Array.from({ length: 30 }, () => call('track__set_mute', { target: strings, args: { value: true } }))), /30 commands/],
    ['no proposal at all', completion(null, 'I am not sure what bigger means.'), /It said: "I am not sure what bigger means\."/],
    ['a body that is not JSON', (res) => res.end('<html>oops</html>'), /did not answer/],
    ['a body of another shape', (res) => res.end(JSON.stringify({ choices: 'none' })), /shape Roomtone does not read/],
    ['an HTTP error', (res) => { res.statusCode = 500; res.end('{}'); }, /HTTP 500/],
    ['an endless body', (res) => { res.write('{"choices":['); const chunk = ' '.repeat(64 * 1024); for (let i = 0; i < 20; i++) res.write(chunk); res.end(']}'); }, /too large/],
  ];
  for (const [what, reply, message] of bad) {
    it(`offers nothing for ${what}: MODEL_UNAVAILABLE`, async () => {
      server.reply = reply;
      const answer = await adapter.propose('make the chorus bigger', set);
      expect(answer.ok).toBe(false);
      expect(!answer.ok && answer.error.code).toBe('MODEL_UNAVAILABLE');
      expect(!answer.ok && answer.error.message).toMatch(message);
    });
  }

  it('gives up at its deadline when the server never answers', async () => {
    server.reply = () => undefined;
    const slow = new ModelAdapter({ url: server.url, model: 'm', timeoutMs: 300 });
    const started = Date.now();
    const answer = await slow.propose('make the chorus bigger', set);
    expect(!answer.ok && answer.error.code).toBe('MODEL_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('intent.parse with a model configured', () => {
  let server: StandIn;
  const audit: AuditEntry[] = [];
  const session: Session = { id: 'sess-ada', tokenHash: 'h', name: 'Ada Lovelace', role: 'member', layout: 'band', room: 'studio', ip: '192.0.2.77', createdAt: 0, lastActiveAt: 0, canControl: true, assignedTracks: [] };
  let handler: IntentHandler;
  beforeAll(async () => {
    server = await standIn();
    handler = new IntentHandler({
      intents,
      sessions: { get: (id) => (id === session.id ? session : undefined), expiresAt: () => Date.now() + 60_000, sameAddress: (s, ip) => s.ip === ip },
      audit: { record: (e) => audit.push({ at: Date.now(), ...e }) },
      model: new ModelAdapter({ url: server.url, model: 'm', timeoutMs: 2_000 }),
    });
  });
  beforeEach(() => { server.requests.length = 0; });
  afterAll(async () => { await server.close(); });

  it('never asks the model for words the parser understood, even when the person asks', async () => {
    const answer = await handler.handle({ text: 'mute the kick', model: true }, session.id, session.ip);
    expect(answer).toMatchObject({ ok: true, source: 'parser' });
    expect(server.requests).toHaveLength(0);
  });

  it('asks only when the parser gave up and the person asked; offers to ask otherwise', async () => {
    const first = await handler.handle({ text: 'make the strings swell' }, session.id, session.ip);
    expect(first).toMatchObject({ ok: false, canAskModel: true, error: { code: 'NOT_UNDERSTOOD' } });
    expect(server.requests).toHaveLength(0);
    server.reply = completion([call('track__set_volume', { target: strings, args: { value: 0.85 } })]);
    const second = await handler.handle({ text: 'make the strings swell', model: true }, session.id, session.ip);
    expect(second).toMatchObject({ ok: true, source: 'model' });
    expect(server.requests).toHaveLength(1);
  });

  it('never sends who is in the room: no name, session id or address leaves the machine', async () => {
    server.reply = completion([call('track__set_volume', { target: strings, args: { value: 0.85 } })]);
    await handler.handle({ text: 'make the strings swell', model: true }, session.id, session.ip);
    const sent = JSON.stringify(server.requests.map((r) => ({ body: r.body, headers: r.headers })));
    for (const secret of ['Ada', 'Lovelace', session.id, session.ip, 'member']) expect(sent).not.toContain(secret);
    // The audit says a request went out, without the words.
    const entry = audit.filter((e) => e.kind === 'intent_model').at(-1)!;
    expect(entry).toMatchObject({ sessionId: session.id, ok: true });
    expect(entry.detail).not.toContain('swell');
  });

  it('a destructive request is never handed to the model', async () => {
    const answer = await handler.handle({ text: 'delete everything', model: true }, session.id, session.ip);
    expect(answer).toMatchObject({ ok: false, error: { code: 'TOO_BROAD' } });
    expect(server.requests).toHaveLength(0);
  });

  it('one request at a time per person: a second one while the first waits is BUSY', async () => {
    let release: () => void = () => undefined;
    server.reply = (res) => { release = () => completion(null, 'no')(res); };
    const first = handler.handle({ text: 'make it warmer', model: true }, session.id, session.ip);
    await expect.poll(() => server.requests.length).toBe(1);
    const second = await handler.handle({ text: 'make it brighter', model: true }, session.id, session.ip);
    expect(second).toMatchObject({ ok: false, error: { code: 'BUSY' } });
    release();
    expect((await first).ok).toBe(false);
  });
});
