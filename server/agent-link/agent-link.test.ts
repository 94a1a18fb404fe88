import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { AgentLink } from './agent-link.ts';
import { SetMirror } from '../mirror/set-mirror.ts';
import { hashToken } from '../sessions/tokens.ts';
import { AGENT_EVENTS, AGENT_NAMESPACE, PROTOCOL_VERSION, type AgentCommand, type AgentResult } from '../../protocol/index.ts';

const TOKEN = 'a'.repeat(43);

describe('AgentLink', () => {
  let server: http.Server;
  let ioServer: SocketServer;
  let link: AgentLink;
  let mirror: SetMirror;
  let url: string;
  const refused: string[] = [];
  const clients: Socket[] = [];

  beforeEach(async () => {
    server = http.createServer();
    ioServer = new SocketServer(server);
    mirror = new SetMirror('t');
    link = new AgentLink(ioServer.of(AGENT_NAMESPACE), {
      deviceTokenHash: () => hashToken(TOKEN), mirror, onMeters: () => {},
      audit: { record: (entry) => { if (entry.kind === 'agent_refused' && entry.code) refused.push(entry.code); } },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/agent`;
  });
  afterEach(async () => {
    link.close();
    for (const c of clients) c.close();
    await ioServer.close();
  });

  const agent = async (extra: Record<string, unknown> = {}): Promise<Socket> => {
    const socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: TOKEN, protocol: PROTOCOL_VERSION, ...extra } });
    clients.push(socket);
    await new Promise<void>((resolve, reject) => { socket.once('connect', () => resolve()); socket.once('connect_error', reject); });
    return socket;
  };
  const command = (id: string, deadlineIn = 5_000): AgentCommand => ({ id, action: 'system.ping', target: null, args: {}, deadline: Date.now() + deadlineIn });
  const dispatched = (c: AgentCommand): Promise<AgentResult> => new Promise((resolve) => link.dispatch(c, resolve));

  it('answers AGENT_OFFLINE at once when no agent is connected', async () => {
    expect(await dispatched(command('x1'))).toMatchObject({ ok: false, error: { code: 'AGENT_OFFLINE' } });
  });

  it('sends what was dispatched in one turn as one batch, and settles each once (a duplicate result is ignored)', async () => {
    const a = await agent();
    const batches: AgentCommand[][] = [];
    a.on(AGENT_EVENTS.commands, (batch: AgentCommand[]) => {
      batches.push(batch);
      a.emit(AGENT_EVENTS.results, batch.map((c) => ({ id: c.id, ok: true, rev: 'e.1', value: c.id })));
      a.emit(AGENT_EVENTS.results, batch.map((c) => ({ id: c.id, ok: false, error: { code: 'LIVE_ERROR', message: 'late duplicate' } })));
    });
    const results = await Promise.all(['a1', 'a2', 'a3'].map((id) => dispatched(command(id))));
    expect(batches.map((b) => b.map((c) => c.id))).toEqual([['a1', 'a2', 'a3']]);
    expect(results.map((r) => r.ok && r.value)).toEqual(['a1', 'a2', 'a3']);
    expect(link.inFlight).toBe(0);
  });

  it('answers TIMEOUT when the agent never answers, and AGENT_OFFLINE for in-flight commands when it leaves', async () => {
    const a = await agent();
    const silent = dispatched(command('t1', 10));
    expect(await silent).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    const pending = dispatched(command('t2'));
    await new Promise<void>((resolve) => a.once(AGENT_EVENTS.commands, () => resolve()));
    a.disconnect();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'AGENT_OFFLINE' } });
  });

  it('admits one agent: a second is refused AGENT_CONFLICT unless it asks to take over', async () => {
    const first = await agent();
    await expect(agent()).rejects.toMatchObject({ data: { code: 'AGENT_CONFLICT' } });
    expect(refused.at(-1)).toBe('AGENT_CONFLICT');
    const pending = dispatched(command('k1'));
    await new Promise<void>((resolve) => first.once(AGENT_EVENTS.commands, () => resolve()));
    const second = await agent({ takeover: true });
    expect(await pending).toMatchObject({ ok: false, error: { code: 'AGENT_OFFLINE' } });
    expect(second.connected).toBe(true);
    expect(link.connected).toBe(true);
  });

  it('refuses a wrong token and another protocol version', async () => {
    const bad = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { token: 'b'.repeat(43), protocol: PROTOCOL_VERSION } });
    clients.push(bad);
    await expect(new Promise((_, reject) => bad.once('connect_error', reject))).rejects.toMatchObject({ data: { code: 'UNAUTHENTICATED' } });
    await expect(agent({ protocol: PROTOCOL_VERSION + 1 })).rejects.toMatchObject({ data: { code: 'PROTOCOL_MISMATCH' } });
  });
});
