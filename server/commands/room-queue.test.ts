import { describe, expect, it } from 'vitest';
import { RoomQueue, type QueueItem } from './room-queue.ts';
import type { AgentCommand, AgentResult } from '../../protocol/index.ts';

/** A fake agent: commands wait until the test answers them. */
function fakeAgent() {
  const sent: AgentCommand[] = [];
  const waiting = new Map<string, (r: AgentResult) => void>();
  return {
    sent,
    send: (c: AgentCommand, done: (r: AgentResult) => void) => { sent.push(c); waiting.set(c.id, done); },
    answer(id: string, value: unknown = null) {
      waiting.get(id)!({ id, ok: true, rev: `e.${id}`, value });
      waiting.delete(id);
    },
    get pending() { return [...waiting.keys()]; },
  };
}

let n = 0;
function item(key: string, extra: Partial<QueueItem> & { value?: unknown } = {}): QueueItem {
  const id = `c${++n}`;
  const continuous = extra.continuous ?? true;
  return {
    key, sessionId: 's1', continuous,
    mayReplace: extra.mayReplace ?? continuous,
    replaceable: extra.replaceable ?? continuous,
    command: { id, action: key, target: null, args: { value: extra.value ?? id }, deadline: Date.now() + 60_000, ...extra.command },
  };
}
const flush = () => new Promise((r) => setImmediate(r));

describe('RoomQueue', () => {
  it('with two per control in flight, the next value travels at once and the third waits', async () => {
    const agent = fakeAgent();
    const queue = new RoomQueue({ maxDepth: 10, maxInFlight: 10, send: agent.send });
    const outcomes = [1, 2, 3, 4].map((v) => queue.enqueue(item('vol', { value: v })));
    expect(agent.sent.map((c) => c.args.value)).toEqual([1, 2]);
    expect(queue.depth).toBe(1); // 3 and 4 collapsed into one waiting entry
    agent.answer(agent.sent[0]!.id, 1);
    await flush();
    expect(agent.sent.map((c) => c.args.value)).toEqual([1, 2, 4]);
    agent.answer(agent.sent[1]!.id, 2);
    agent.answer(agent.sent[2]!.id, 4);
    const results = await Promise.all(outcomes);
    expect(results.map((r) => [r.result.ok && r.result.value, r.superseded])).toEqual([[1, false], [2, false], [4, true], [4, false]]);
    expect(queue.inFlight).toBe(0);
  });

  it('a conditional write travels alone: nothing joins it in flight, and it waits for what is in flight', async () => {
    const agent = fakeAgent();
    const queue = new RoomQueue({ maxDepth: 10, maxInFlight: 10, send: agent.send });
    void queue.enqueue(item('vol', { value: 'start', mayReplace: false, replaceable: false }));
    void queue.enqueue(item('vol', { value: 'move' }));
    expect(agent.sent.map((c) => c.args.value)).toEqual(['start']);
    agent.answer(agent.sent[0]!.id);
    await flush();
    expect(agent.sent.map((c) => c.args.value)).toEqual(['start', 'move']);
    void queue.enqueue(item('vol', { value: 'checked', mayReplace: false, replaceable: false }));
    expect(agent.sent).toHaveLength(2);
    agent.answer(agent.sent[1]!.id);
    await flush();
    expect(agent.sent.map((c) => c.args.value)).toEqual(['start', 'move', 'checked']);
  });

  it('keeps one write per control in flight when so configured and replaces a waiting value with the newer one; each sender gets one answer', async () => {
    const agent = fakeAgent();
    const queue = new RoomQueue({ maxDepth: 10, maxInFlight: 10, maxInFlightPerControl: 1, send: agent.send });
    const outcomes = [1, 2, 3, 4].map((v) => queue.enqueue(item('vol', { value: v })));
    expect(agent.sent.map((c) => c.args.value)).toEqual([1]);
    expect(queue.depth).toBe(1); // 2, 3, 4 collapsed into one waiting entry
    agent.answer(agent.sent[0]!.id, 1);
    await flush();
    expect(agent.sent.map((c) => c.args.value)).toEqual([1, 4]);
    agent.answer(agent.sent[1]!.id, 4);
    const results = await Promise.all(outcomes);
    expect(results.map((r) => [r.result.ok && r.result.value, r.superseded])).toEqual([[1, false], [4, true], [4, true], [4, false]]);
  });

  it('never coalesces triggers and edits and sends them in order, in the same turn', () => {
    const agent = fakeAgent();
    const queue = new RoomQueue({ maxDepth: 10, maxInFlight: 10, send: agent.send });
    for (let i = 0; i < 4; i++) void queue.enqueue(item('clip.fire', { continuous: false, value: i }));
    expect(agent.sent.map((c) => c.args.value)).toEqual([0, 1, 2, 3]);
  });

  it('an end value seals its entry: a later value queues behind it instead of replacing it', async () => {
    const agent = fakeAgent();
    const queue = new RoomQueue({ maxDepth: 10, maxInFlight: 10, maxInFlightPerControl: 1, send: agent.send });
    void queue.enqueue(item('vol', { value: 'first' }));
    void queue.enqueue(item('vol', { value: 'move' }));
    void queue.enqueue(item('vol', { value: 'end', replaceable: false }));
    void queue.enqueue(item('vol', { value: 'other' }));
    expect(queue.depth).toBe(2);
    agent.answer(agent.sent[0]!.id);
    await flush();
    agent.answer(agent.sent[1]!.id);
    await flush();
    expect(agent.sent.map((c) => c.args.value)).toEqual(['first', 'end', 'other']);
  });

  it('a conditional write (mayReplace false) neither replaces nor is replaced', () => {
    const agent = fakeAgent();
    const queue = new RoomQueue({ maxDepth: 10, maxInFlight: 10, maxInFlightPerControl: 1, send: agent.send });
    void queue.enqueue(item('vol', { value: 0 }));
    void queue.enqueue(item('vol', { value: 'a', mayReplace: false, replaceable: false }));
    void queue.enqueue(item('vol', { value: 'b', mayReplace: false, replaceable: false }));
    expect(queue.depth).toBe(2);
  });

  it('is bounded: hasRoomFor is false when full, except for a value that coalesces', () => {
    const agent = fakeAgent();
    const queue = new RoomQueue({ maxDepth: 2, maxInFlight: 1, send: agent.send });
    void queue.enqueue(item('a', { continuous: false }));
    void queue.enqueue(item('b', { continuous: false }));
    void queue.enqueue(item('vol'));
    expect(queue.depth).toBe(2);
    expect(queue.hasRoomFor({ key: 'c', mayReplace: false })).toBe(false);
    expect(queue.hasRoomFor({ key: 'vol', mayReplace: true })).toBe(true);
    expect(queue.inFlight).toBe(1);
  });

  it('Q4 refuses new work at the door while its oldest entry has waited maxWaitMs (not draining); a value that coalesces still gets in', async () => {
    const agent = fakeAgent();
    let t = 0;
    const queue = new RoomQueue({ maxDepth: 10, maxInFlight: 1, maxWaitMs: 500, send: agent.send, now: () => t });
    void queue.enqueue(item('a', { continuous: false }));
    void queue.enqueue(item('vol'));
    expect(queue.depth).toBe(1);
    t = 499;
    expect(queue.hasRoomFor({ key: 'b', mayReplace: false })).toBe(true);
    t = 500;
    expect(queue.waitedMs()).toBe(500);
    expect(queue.hasRoomFor({ key: 'b', mayReplace: false })).toBe(false);
    expect(queue.hasRoomFor({ key: 'vol', mayReplace: true })).toBe(true);
    agent.answer(agent.sent[0]!.id);
    // The waiting entry leaves in the walk at the end of the landing's turn (a tick's results land together).
    await Promise.resolve();
    expect(queue.waitedMs()).toBe(0);
    expect(queue.hasRoomFor({ key: 'b', mayReplace: false })).toBe(true);
  });

  it('a tick\'s results land together and the queue walks once after them; a command queued in that turn waits behind what they freed', async () => {
    const agent = fakeAgent();
    const queue = new RoomQueue({ maxDepth: 10, maxInFlight: 2, send: agent.send });
    void queue.enqueue(item('a', { continuous: false, value: 'a' }));
    void queue.enqueue(item('b', { continuous: false, value: 'b' }));
    void queue.enqueue(item('c', { continuous: false, value: 'c' }));
    void queue.enqueue(item('d', { continuous: false, value: 'd' }));
    expect(agent.sent.map((c) => c.args.value)).toEqual(['a', 'b']);
    // Both land in one turn, and a new trigger arrives in the same turn: c and d keep their places ahead of it.
    agent.answer(agent.sent[0]!.id);
    agent.answer(agent.sent[1]!.id);
    void queue.enqueue(item('e', { continuous: false, value: 'e' }));
    await Promise.resolve();
    expect(agent.sent.map((c) => c.args.value)).toEqual(['a', 'b', 'c', 'd']);
    agent.answer(agent.sent[2]!.id);
    await flush();
    expect(agent.sent.map((c) => c.args.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a new command looks only at itself when nothing landed since the last walk, with the same outcome a walk would give', () => {
    const agent = fakeAgent();
    const queue = new RoomQueue({ maxDepth: 10, maxInFlight: 10, maxInFlightPerControl: 1, send: agent.send });
    void queue.enqueue(item('vol', { value: 1 }));
    void queue.enqueue(item('vol', { value: 2, mayReplace: false, replaceable: false }));
    void queue.enqueue(item('pan', { value: 3 }));
    void queue.enqueue(item('mute', { continuous: false, value: 4 }));
    // vol's second write waits for its first; pan and mute travel at once, in order.
    expect(agent.sent.map((c) => c.args.value)).toEqual([1, 3, 4]);
    expect(queue.depth).toBe(1);
  });

  it('answers TIMEOUT, without sending, for a command whose deadline passed while it waited', async () => {
    const agent = fakeAgent();
    let t = 0;
    const queue = new RoomQueue({ maxDepth: 10, maxInFlight: 1, send: agent.send, now: () => t });
    void queue.enqueue(item('a', { continuous: false, command: { id: 'x1', action: 'a', target: null, args: {}, deadline: 100 } }));
    const late = queue.enqueue(item('b', { continuous: false, command: { id: 'x2', action: 'b', target: null, args: {}, deadline: 50 } }));
    t = 60;
    agent.answer('x1');
    const outcome = await late;
    expect(outcome.result).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(agent.sent.map((c) => c.id)).toEqual(['x1']);
  });
});
