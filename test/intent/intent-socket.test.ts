import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type * as Y from 'yjs';
import { IntentAnswerSchema, ROOM_EVENTS, dbToVolume, type IntentAnswer, type IntentCommand } from '../../protocol/index.ts';
import { startStack, type Stack } from '../../testkit/stack.ts';
import { commandId, connectRoom, connected, join, openDoc, send, synced, type DocClient, type Peer } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';

function parse(socket: Socket, payload: unknown): Promise<IntentAnswer> {
  return socket.timeout(5_000).emitWithAck(ROOM_EVENTS.intentParse, payload) as Promise<IntentAnswer>;
}

/** What the browser does with a preview: each command as an ordinary `command` with a new id. */
function run(socket: Socket, commands: IntentCommand[]) {
  return Promise.all(commands.map((c) => send(socket, { id: commandId(), action: c.action, target: c.target, args: c.args, ...(c.baseRev ? { baseRev: c.baseRev } : {}) })));
}

describe('words through socket.io on the real stack (server, host agent, simulator)', () => {
  let stack: Stack;
  let peer: Peer;
  let socket: Socket;
  let set: DocClient;
  const trackNamed = (name: string): Y.Map<unknown> => [...set.doc.getMap<Y.Map<unknown>>('tracks').values()].find((t) => t.get('name') === name)!;

  beforeAll(async () => {
    stack = await startStack();
    peer = { base: stack.url, ca: stack.ca };
    const { cookie } = await join(peer, { name: 'Singer', code: stack.joinCode });
    socket = connectRoom(peer, cookie);
    set = openDoc(peer, cookie, 'set');
    await connected(socket);
    await synced(set);
    await until(() => set.doc.getMap('tracks').size >= 8 && trackNamed('Bass') !== undefined, 'the demo set in the doc');
  });
  afterAll(async () => {
    socket?.close();
    set?.destroy();
    await stack?.stop();
  });

  it('parse, preview, run: "bass down 3 dB and mute the drums" lands in the set doc through the ordinary command path', async () => {
    const bass = trackNamed('Bass');
    const drums = trackNamed('Drums');
    const before = Number(bass.get('volume'));
    const answer = await parse(socket, { text: 'bass down 3 dB and mute the drums' });
    expect(IntentAnswerSchema.safeParse(answer).success).toBe(true);
    if (!answer.ok) throw new Error(answer.error.message);
    expect(answer.source).toBe('parser');
    expect(answer.say).toMatch(/^Bass down 3 dB .*Mute Drums\.$/);
    expect(answer.commands.map((c) => [c.action, c.target])).toEqual([['track.set_volume', bass.get('id')], ['track.set_mute', drums.get('id')]]);
    // Parsing changed nothing.
    expect(Number(bass.get('volume'))).toBe(before);
    expect(drums.get('mute')).toBe(false);
    const answers = await run(socket, answer.commands);
    expect(answers.every((a) => a.ok)).toBe(true);
    await until(() => Math.abs(Number(bass.get('volume')) - (answer.commands[0]!.args.value as number)) < 1e-6, 'the new bass level in the set doc');
    await until(() => drums.get('mute') === true, 'drums muted in the set doc');
    const expected = dbToVolume(-5);
    expect(Number(bass.get('volume'))).toBeCloseTo(expected, 3);
  });

  it('W6 a device parameter is found by its words though no panel shows the device (Live mirrors parameters lazily, #12)', async () => {
    const answer = await parse(socket, { text: 'bass compressor threshold to -20 dB' });
    if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
    expect(answer.commands).toHaveLength(1);
    expect(answer.commands[0]).toMatchObject({ action: 'parameter.set', args: { value: -20 } });
    const target = answer.commands[0]!.target ?? '';
    await until(() => set.doc.getMap<Y.Map<unknown>>('params').get(target)?.get('name') === 'Threshold', 'the bass compressor threshold in the set doc');
  });

  it('a relative change previewed before someone moved the fader is refused CONFLICT when run, not applied to the new value', async () => {
    const keys = trackNamed('Keys');
    const preview = await parse(socket, { text: 'keys up 2 dB' });
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.commands[0]!.baseRev).toBe(keys.get('rev'));
    const moved = await send(socket, { id: commandId(), action: 'track.set_volume', target: String(keys.get('id')), args: { value: 0.3 } });
    expect(moved.ok).toBe(true);
    await until(() => keys.get('volume') === 0.3, 'someone else moved the keys');
    const [late] = await run(socket, preview.commands);
    expect(late).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(keys.get('volume')).toBe(0.3);
  });

  it('questions are answered from the live set; unknown and destructive words give no command', async () => {
    expect(await parse(socket, { text: "what's the tempo?" })).toMatchObject({ ok: true, commands: [], say: expect.stringMatching(/BPM/) });
    expect(await parse(socket, { text: 'make the chorus bigger' })).toMatchObject({ ok: false, error: { code: 'NOT_UNDERSTOOD' } });
    expect(await parse(socket, { text: 'mute the trumpet' })).toMatchObject({ ok: false, error: { code: 'NO_MATCH', message: expect.stringMatching(/No track called "trumpet"\. The set has .*Drums/) } });
    expect(await parse(socket, { text: 'play the hook' })).toMatchObject({ ok: false, error: { code: 'AMBIGUOUS', suggestions: ['play Lead in Chorus', 'play Lead in Chorus 2'] } });
    expect(await parse(socket, { text: 'delete everything' })).toMatchObject({ ok: false, error: { code: 'TOO_BROAD' } });
    // No model is configured here: the answer does not offer one.
    const unknown = await parse(socket, { text: 'make the chorus bigger', model: true });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_UNDERSTOOD' } });
    expect('canAskModel' in unknown && unknown.canAskModel).toBeFalsy();
  });

  it('bad payloads get a typed error and the server stays up', async () => {
    for (const payload of [null, 'mute drums', { text: 5 }, { text: 'mute', extra: true }, { model: true }]) {
      expect(await parse(socket, payload)).toMatchObject({ ok: false, error: { code: 'INVALID' } });
    }
    expect(await parse(socket, { text: 'x'.repeat(5_000) })).toMatchObject({ ok: false, error: { code: 'TOO_LARGE' } });
    expect(await parse(socket, { text: 'solo bass' })).toMatchObject({ ok: true });
  });

  it('an observer may preview, but the run meets the arbitration: FORBIDDEN', async () => {
    const { cookie } = await join(peer, { name: 'Watcher', code: stack.joinCode, role: 'observer' });
    const observer = connectRoom(peer, cookie);
    try {
      await connected(observer);
      const answer = await parse(observer, { text: 'mute the keys' });
      if (!answer.ok) throw new Error(answer.error.message);
      const [result] = await run(observer, answer.commands);
      expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(trackNamed('Keys').get('mute')).toBe(false);
    } finally {
      observer.close();
    }
  });
});
