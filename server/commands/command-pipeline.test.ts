import { afterEach, describe, expect, it } from 'vitest';
import { MOVE_REPLAY_MS, CommandPipeline, dispatchId, type AgentPort } from './command-pipeline.ts';
import { SetMirror } from '../mirror/set-mirror.ts';
import type { AuditEntry } from '../../protocol/index.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { Session } from '../sessions/session.ts';
import type { AgentCommand, AgentResult, Answer, LeasesMessage } from '../../protocol/index.ts';

function session(id: string, extra: Partial<Session> = {}): Session {
  return { id, tokenHash: id, name: id, role: 'member', layout: 'band', room: 'studio', ip: '127.0.0.1', createdAt: 0, lastActiveAt: 0, canControl: true, assignedTracks: [], ...extra };
}

class FakeAgent implements AgentPort {
  connected = true;
  liveConnected = true;
  currentStatus = { latencyMs: 10 };
  sent: AgentCommand[] = [];
  auto = true;
  private waiting = new Map<string, (r: AgentResult) => void>();
  constructor(private readonly mirror: SetMirror) {}
  dispatch(c: AgentCommand, done: (r: AgentResult) => void): void {
    this.sent.push(c);
    this.waiting.set(c.id, done);
    if (this.auto) setImmediate(() => this.answer(c.id));
  }
  answer(id: string): void {
    const resolve = this.waiting.get(id);
    if (!resolve) return;
    this.waiting.delete(id);
    const c = this.sent.find((s) => s.id === id)!;
    resolve({ id, ok: true, rev: this.mirror.entity(c.target ?? 'song')?.rev ?? null, value: c.args.value ?? c.args.bpm ?? null });
  }
  answerAll(): void {
    for (const id of [...this.waiting.keys()]) this.answer(id);
  }
}

function setup(opts: { rate?: { perSecond: number; burst: number }; maxQueueDepth?: number; now?: () => number } = {}) {
  const mirror = new SetMirror('test-instance');
  mirror.applySnapshot('E1', [
    { kind: 'song', id: 'song', rev: 'E1.1', props: { tempo: 120 } },
    { kind: 'track', id: 't1', rev: 'E1.2', props: { name: 'Bass', volume: 0.5 } },
    { kind: 'track', id: 't2', rev: 'E1.3', props: { name: 'Keys', volume: 0.5 } },
  ]);
  const sessions = new Map<string, Session>([['A', session('A')], ['B', session('B')], ['O', session('O', { role: 'observer' })]]);
  const audit = memoryAudit();
  const agent = new FakeAgent(mirror);
  const leases: LeasesMessage[] = [];
  const room = { locked: false, frozen: false, ownerTrack: (id: string) => mirror.ownerTrack(id) };
  const pipeline = new CommandPipeline({
    sessions: { get: (id) => sessions.get(id), expiresAt: () => Number.MAX_SAFE_INTEGER, sameAddress: (s, ip) => s.ip === ip },
    room, mirror, agent, audit, deadlineMs: 2000,
    rateLimit: opts.rate ?? { perSecond: 1000, burst: 1000 },
    onLeases: (m) => leases.push(m),
    ...(opts.maxQueueDepth ? { maxQueueDepth: opts.maxQueueDepth, maxInFlight: 1 } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
  const from = (sessionId: string) => ({ sessionId, ip: '127.0.0.1' });
  return { mirror, sessions, audit, agent, leases, room, pipeline, from };
}

let n = 0;
const cid = () => `cmd-${(++n).toString().padStart(6, '0')}`;
const code = (a: Answer) => (a.ok ? 'ok' : a.error.code);
let current: ReturnType<typeof setup> | null = null;
afterEach(() => current?.pipeline.close());

describe('CommandPipeline: the steps in DESIGN.md order', () => {
  it('schema comes first: a malformed command from an unknown session is INVALID, not UNAUTHENTICATED', async () => {
    const s = (current = setup());
    expect(code(await s.pipeline.handle({ id: 'x', action: 'nope' }, s.from('nobody')))).toBe('INVALID');
    expect(code(await s.pipeline.handle({ id: cid(), action: 'song.set_tempo', args: { bpm: 100 } }, s.from('nobody')))).toBe('UNAUTHENTICATED');
    expect(code(await s.pipeline.handle({ id: cid(), action: 'song.set_tempo', args: { bpm: 100 } }, { sessionId: 'A', ip: '10.0.0.9' }))).toBe('UNAUTHENTICATED');
  });

  it('a retry is replayed before the access checks: locking the room does not turn it into ROOM_LOCKED', async () => {
    const s = (current = setup());
    const cmd = { id: cid(), action: 'track.set_mute', target: 't1', args: { value: true } };
    const first = await s.pipeline.handle(cmd, s.from('A'));
    s.room.locked = true;
    const again = await s.pipeline.handle(cmd, s.from('A'));
    expect(again).toEqual(first);
    expect(s.agent.sent).toHaveLength(1);
    expect(code(await s.pipeline.handle({ ...cmd, id: cid() }, s.from('A')))).toBe('ROOM_LOCKED');
  });

  it('a retry while the first is in flight awaits the same answer and executes once', async () => {
    const s = (current = setup());
    s.agent.auto = false;
    const cmd = { id: cid(), action: 'song.set_tempo', args: { bpm: 99 } };
    const a = s.pipeline.handle(cmd, s.from('A'));
    const b = s.pipeline.handle(cmd, s.from('A'));
    s.agent.answerAll();
    expect(await b).toEqual(await a);
    expect(s.agent.sent).toHaveLength(1);
    expect(s.agent.sent[0]!.id).toBe(dispatchId('A', cmd.id));
  });

  it('refusals are not remembered: a RATE_LIMITED command may be sent again with the same id', async () => {
    const s = (current = setup({ rate: { perSecond: 1, burst: 1 } }));
    expect(code(await s.pipeline.handle({ id: cid(), action: 'transport.play' }, s.from('A')))).toBe('ok');
    const id = cid();
    const limited = await s.pipeline.handle({ id, action: 'transport.stop' }, s.from('A'));
    expect(limited).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', retryAfterMs: expect.any(Number) } });
  });

  it('role before rate limit, rate limit before version, version before lease', async () => {
    const s = (current = setup({ rate: { perSecond: 1, burst: 2 } }));
    expect(code(await s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't1', args: { value: 1 } }, s.from('O')))).toBe('FORBIDDEN');
    // B holds t1's volume
    expect(code(await s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't1', args: { value: 0.1 }, gesture: { id: 'g', phase: 'start' } }, s.from('B')))).toBe('ok');
    // A with a stale rev: CONFLICT (version comes before the lease)
    const stale = await s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't1', args: { value: 1 }, baseRev: 'E1.0' }, s.from('A'));
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT', current: { value: 0.5, rev: 'E1.2' } } });
    expect(code(await s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't1', args: { value: 1 } }, s.from('A')))).toBe('HELD');
    // A's bucket (2) is empty now: the rate limit answers before the version and the lease.
    expect(code(await s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't1', args: { value: 1 }, baseRev: 'E1.0' }, s.from('A')))).toBe('RATE_LIMITED');
  });

  it('HELD for others while a gesture holds the control; the holder needs no baseRev and its stale one is ignored', async () => {
    const s = (current = setup());
    const g = (phase: 'start' | 'move' | 'end', value: number, baseRev?: string) => ({ id: cid(), action: 'track.set_volume', target: 't1', args: { value }, gesture: { id: 'g1', phase }, ...(baseRev ? { baseRev } : {}) });
    expect(code(await s.pipeline.handle(g('start', 0.2, 'E1.2'), s.from('A')))).toBe('ok');
    s.mirror.applyChanges('E1', [{ kind: 'track', id: 't1', rev: 'E1.9', props: { volume: 0.2 } }]);
    expect(code(await s.pipeline.handle(g('move', 0.3, 'E1.2'), s.from('A')))).toBe('ok');
    expect(s.agent.sent.at(-1)!.baseRev).toBeUndefined();
    expect(code(await s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't1', args: { value: 0.9 } }, s.from('B')))).toBe('HELD');
    expect(s.leases.at(-1)).toEqual({ held: [{ key: 'track.set_volume|t1|', action: 'track.set_volume', target: 't1' }] });
    expect(code(await s.pipeline.handle(g('end', 0.4), s.from('A')))).toBe('ok');
    expect(s.leases.at(-1)).toEqual({ held: [] });
    expect(code(await s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't1', args: { value: 0.9 } }, s.from('B')))).toBe('ok');
  });

  it('a rack macro is one control whether written as device.set_macro or parameter.set', async () => {
    const s = (current = setup());
    s.mirror.applyChanges('E1', [
      { kind: 'device', id: 'd1', rev: 'E1.20', props: { trackId: 't1', macros: ['p1', 'p2'] } },
      { kind: 'parameter', id: 'p1', rev: 'E1.22', props: { deviceId: 'd1', value: 0 } },
      { kind: 'parameter', id: 'p2', rev: 'E1.21', props: { deviceId: 'd1', value: 10 } },
    ]);
    expect(code(await s.pipeline.handle({ id: cid(), action: 'device.set_macro', target: 'd1', args: { index: 1, value: 20 }, gesture: { id: 'g', phase: 'move' } }, s.from('A')))).toBe('ok');
    expect(code(await s.pipeline.handle({ id: cid(), action: 'parameter.set', target: 'p2', args: { value: 30 } }, s.from('B')))).toBe('HELD');
    expect(code(await s.pipeline.handle({ id: cid(), action: 'parameter.set', target: 'p1', args: { value: 30 } }, s.from('B')))).toBe('ok');
    expect(s.leases.at(-1)?.held[0]?.key).toBe('parameter.set|p2|');
  });

  it('the holder leaving frees the control at once', async () => {
    const s = (current = setup());
    expect(s.pipeline.leases.idleMs).toBe(1_000); // G3's ~1 s by default
    await s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't2', args: { value: 0.2 }, gesture: { id: 'g', phase: 'move' } }, s.from('A'));
    s.pipeline.sessionGone('A');
    expect(code(await s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't2', args: { value: 0.9 } }, s.from('B')))).toBe('ok');
  });

  it('BUSY with retryAfterMs when the queue is full, then AGENT_OFFLINE and LIVE_OFFLINE', async () => {
    const s = (current = setup({ maxQueueDepth: 1 }));
    s.agent.auto = false;
    const first = s.pipeline.handle({ id: cid(), action: 'transport.play' }, s.from('A')); // in flight
    const second = s.pipeline.handle({ id: cid(), action: 'transport.stop' }, s.from('A')); // waiting
    const busy = await s.pipeline.handle({ id: cid(), action: 'transport.continue' }, s.from('A'));
    expect(busy).toMatchObject({ ok: false, error: { code: 'BUSY', retryAfterMs: expect.any(Number) } });
    expect(s.pipeline.stats()).toMatchObject({ queueDepth: 1, inFlightTotal: 2 });
    expect(s.pipeline.stats().inFlightBySession.get('A')).toBe(2);
    s.agent.answerAll();
    await first;
    s.agent.answerAll();
    await second;
    expect(s.pipeline.stats()).toMatchObject({ queueDepth: 0, inFlightTotal: 0 });
    s.agent.liveConnected = false;
    expect(code(await s.pipeline.handle({ id: cid(), action: 'transport.play' }, s.from('A')))).toBe('LIVE_OFFLINE');
    s.agent.connected = false;
    expect(code(await s.pipeline.handle({ id: cid(), action: 'transport.play' }, s.from('A')))).toBe('AGENT_OFFLINE');
  });

  it('coalesced moves: every sender gets one answer, the superseded ones the value that landed', async () => {
    const s = (current = setup());
    s.agent.auto = false;
    const answers = [0.1, 0.2, 0.3, 0.4].map((value) => s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't2', args: { value }, gesture: { id: 'g', phase: 'move' } }, s.from('A')));
    s.agent.answerAll();
    await new Promise((r) => setImmediate(r));
    s.agent.answerAll();
    const done = await Promise.all(answers);
    // Two travel at once (Q1); 0.3 waits and is replaced by 0.4.
    expect(done.map((a) => a.ok && a.value)).toEqual([0.1, 0.2, 0.4, 0.4]);
    expect(s.agent.sent.map((c) => c.args.value)).toEqual([0.1, 0.2, 0.4]);
  });

  it('a freeze stops what is already queued: it is answered FROZEN, not sent', async () => {
    const s = (current = setup());
    s.agent.auto = false;
    const first = s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't1', args: { value: 0.1 } }, s.from('A'));
    const second = s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't1', args: { value: 0.2 } }, s.from('A'));
    const queued = s.pipeline.handle({ id: cid(), action: 'track.set_volume', target: 't1', args: { value: 0.3 } }, s.from('A'));
    s.room.frozen = true;
    s.agent.answerAll();
    expect(code(await first)).toBe('ok');
    expect(code(await second)).toBe('ok');
    expect(code(await queued)).toBe('FROZEN');
    expect(s.agent.sent).toHaveLength(2);
  });

  it('I1 a gesture move is remembered for replay for 15 s, any other command for 5 minutes', async () => {
    let t = 1_000_000;
    const s = (current = setup({ now: () => t }));
    const move = { id: cid(), action: 'track.set_volume', target: 't1', args: { value: 0.3 }, gesture: { id: 'g', phase: 'move' as const } };
    const edit = { id: cid(), action: 'song.set_tempo', args: { bpm: 99 } };
    await s.pipeline.handle(move, s.from('A'));
    await s.pipeline.handle(edit, s.from('A'));
    expect(s.agent.sent).toHaveLength(2);
    t += MOVE_REPLAY_MS - 1;
    await s.pipeline.handle(move, s.from('A'));
    await s.pipeline.handle(edit, s.from('A'));
    expect(s.agent.sent).toHaveLength(2); // both replayed
    t += 2;
    await s.pipeline.handle(move, s.from('A'));
    await s.pipeline.handle(edit, s.from('A'));
    expect(s.agent.sent).toHaveLength(3); // the move's id was forgotten, the edit's was not
    expect(s.agent.sent[2]!.args.value).toBe(0.3);
  });

  it('audits every command once, accepted or refused, with its id', async () => {
    const s = (current = setup());
    const ids = [cid(), cid(), cid()];
    await s.pipeline.handle({ id: ids[0], action: 'song.set_tempo', args: { bpm: 90 } }, s.from('A'));
    await s.pipeline.handle({ id: ids[1], action: 'song.set_tempo', args: { bpm: 'x' } }, s.from('A'));
    await s.pipeline.handle({ id: ids[2], action: 'song.set_tempo', args: { bpm: 90 } }, s.from('O'));
    const entries = s.audit.query({ kind: 'command', limit: 10 }).reverse();
    expect(entries.map((e) => [e.detail?.split(' ')[0], e.ok, e.code])).toEqual([
      [`id=${ids[0]}`, true, undefined], [`id=${ids[1]}`, false, 'INVALID'], [`id=${ids[2]}`, false, 'FORBIDDEN'],
    ]);
  });
});

/** The pipeline's audit entries, newest first like the persisted log answers. */
function memoryAudit(): AuditSink & { query(q: { kind: string; limit: number }): AuditEntry[] } {
  const entries: AuditEntry[] = [];
  return {
    record: (entry) => { entries.push({ ...entry, at: entry.at ?? Date.now() }); },
    query: ({ kind, limit }) => entries.filter((e) => e.kind === kind).reverse().slice(0, limit),
  };
}
