import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness, eventually as until } from './harness.ts';
import { SimProcess } from '../../testkit/sim.ts';
import { commandId, send } from '../../testkit/clients.ts';
import { io } from 'socket.io-client';
import { AGENT_SOCKET_PATH, PROTOCOL_VERSION, type Answer } from '../../protocol/index.ts';

describe('host agent faults: every command answered once, links come back by themselves', { timeout: 180_000 }, () => {
  let h: Harness;
  beforeAll(async () => { h = await Harness.start({ rateLimit: { perSecond: 100_000, burst: 100_000 } }); });
  afterAll(async () => { await h?.stop(); });

  it('F1 killing the simulator mid-burst gives every in-flight command exactly one answer, and the agent reconnects by itself when it returns', async () => {
    const a = await h.member('Ada');
    const tracks = [0, 1, 2, 3].map((i) => h.trackId(i));
    const agentPid = h.agent!.pid;
    const total = 400;
    const answers = new Map<string, Answer[]>();
    const errors: Error[] = [];
    let answered = 0;
    const killed: { promise: Promise<void> | null } = { promise: null };
    const sends: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const command = { id: commandId(), action: 'track.set_mute', target: tracks[i % tracks.length]!, args: { value: i % 2 === 0 } };
      answers.set(command.id, []);
      sends.push(send(a.socket, command, 20_000).then((answer) => {
        answers.get(command.id)!.push(answer);
        answered++;
        if (answered === 40) killed.promise = h.sim.kill();
      }, (err: unknown) => { errors.push(err instanceof Error ? err : new Error(String(err))); }));
      // Pace the burst over several Live ticks so the kill lands in the middle of it: each
      // chunk of 20 waits for its first command's answer (one trip through Live's tick).
      if (i % 20 === 19) await sends[i - 19];
    }
    await Promise.all(sends);
    if (killed.promise) await killed.promise;
    expect(errors).toEqual([]);
    const codes = new Map<string, number>();
    for (const [id, list] of answers) {
      expect(list).toHaveLength(1);
      expect(h.auditFor(id)).toHaveLength(1);
      const code = list[0]!.ok ? 'ok' : list[0]!.error.code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    console.log(`[measure] burst of ${total} with the simulator killed after 40 answers: ${JSON.stringify(Object.fromEntries(codes))}`);
    expect(codes.get('ok')).toBeGreaterThanOrEqual(40);
    expect([...codes.keys()].every((c) => ['ok', 'LIVE_OFFLINE', 'AGENT_OFFLINE', 'TIMEOUT'].includes(c))).toBe(true);
    expect((codes.get('LIVE_OFFLINE') ?? 0) + (codes.get('TIMEOUT') ?? 0)).toBeGreaterThan(0);

    // Live comes back on the same port: the same agent process reconnects on its own.
    const oldEpoch = h.server.parts.room.mirror.epoch;
    h.sim = await SimProcess.start({ port: h.sim.port, secretFile: h.sim.secretFile });
    await until(() => h.server.parts.agent.liveConnected && h.server.parts.room.mirror.epoch !== oldEpoch, 'the agent back on Live with a fresh snapshot', 20_000);
    expect(h.agent!.pid).toBe(agentPid);
    expect(h.agent!.exitCode).toBeNull();
    const after = await send(a.socket, { id: commandId(), action: 'track.set_mute', target: h.trackId(0), args: { value: true } });
    expect(after.ok).toBe(true);
  });

  it('F2 a second agent is refused with AGENT_CONFLICT; with takeover it replaces the first, which releases Live', async () => {
    const a = await h.member('Bo');
    const first = h.agent!;
    const second = h.startAgent();
    await until(() => h.server.parts.audit.query({ kind: 'agent_refused', limit: 10 }).some((e) => e.code === 'AGENT_CONFLICT'), 'the second agent refused', 45_000);
    expect((await send(a.socket, { id: commandId(), action: 'system.ping' })).ok).toBe(true);
    second.kill('SIGTERM');

    const outputBefore = h.agentOutput.length;
    h.startAgent(['--takeover']);
    await until(() => h.agentOutput.slice(outputBefore).some((l) => l.includes('another agent took over')), 'the first agent to learn it was replaced', 45_000);
    await until(async () => h.server.parts.agent.liveConnected && (await send(a.socket, { id: commandId(), action: 'system.ping' })).ok, 'commands through the new agent', 45_000, 200);
    // The replaced agent released Live and ended cleanly rather than fight for the room.
    await until(() => first.exitCode !== null, 'the replaced agent to exit', 20_000);
    expect(first.exitCode).toBe(0);
  });

  it('F4 a client without the device token is refused at the agent socket before it can send anything', async () => {
    const stranger = io(`${h.peer.base}/agent`, { path: AGENT_SOCKET_PATH, transports: ['websocket'], ca: h.peer.ca, reconnection: false, auth: { token: 'x'.repeat(43), protocol: PROTOCOL_VERSION } });
    try {
      const error = await new Promise<Error>((resolve) => stranger.once('connect_error', resolve));
      expect(error).toBeInstanceOf(Error);
      expect(stranger.connected).toBe(false);
      await until(() => h.server.parts.audit.query({ kind: 'agent_refused', limit: 20 }).some((e) => e.code === 'UNAUTHENTICATED'), 'the refusal in the audit log');
      expect(h.server.parts.agent.connected).toBe(true); // the real agent is untouched
    } finally {
      stranger.close();
    }
  });

  it('F3 the agent reconnects to a restarted server by itself and sends a full snapshot', async () => {
    const epoch = h.server.parts.room.mirror.epoch;
    await h.restartServer();
    expect(h.server.parts.room.mirror.epoch).toBeNull();
    await until(() => h.server.parts.agent.liveConnected && h.server.parts.room.mirror.epoch === epoch, 'the agent back with a snapshot', 45_000);
    expect(h.server.parts.room.mirror.doc.getMap('tracks').size).toBeGreaterThan(0);
    const a = await h.member('Cy');
    expect((await send(a.socket, { id: commandId(), action: 'system.ping' })).ok).toBe(true);
  });
});
