import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../testkit/poll.ts';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer, type Socket as ServerSocket } from 'socket.io';
import { HostAgent, type AgentState } from './host-agent.ts';
import { AGENT_EVENTS, AGENT_NAMESPACE, AGENT_SOCKET_PATH, PROTOCOL_VERSION, type AgentCommand, type AgentResult } from '../protocol/index.ts';

/** A stand-in Remote Script: says hello, records command lines, answers snapshot requests. */
class FakeScript {
  readonly server = net.createServer((socket) => this.accept(socket));
  readonly commands: AgentCommand[] = [];
  snapshots = 0;
  socket: net.Socket | null = null;
  port = 0;
  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }
  private accept(socket: net.Socket): void {
    this.socket = socket;
    socket.write(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, epoch: 'E1', live: { version: '12.3.6', simulated: true } }) + '\n');
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = JSON.parse(buffer.slice(0, nl)) as { type: string; commands?: AgentCommand[] };
        buffer = buffer.slice(nl + 1);
        if (line.type === 'commands') this.commands.push(...line.commands!);
        if (line.type === 'snapshot_request') {
          this.snapshots++;
          socket.write(JSON.stringify({ type: 'snapshot', epoch: 'E1', live: { version: '12.3.6', simulated: true }, entities: [] }) + '\n');
        }
      }
    });
    socket.on('error', () => {});
  }
  async close(): Promise<void> {
    this.socket?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

describe('HostAgent state machine', () => {
  let httpServer: http.Server;
  let io: SocketServer;
  let script: FakeScript;
  let agent: HostAgent;
  let serverSide: ServerSocket | null;
  const states: AgentState[] = [];
  const results: AgentResult[] = [];

  beforeEach(async () => {
    states.length = 0;
    results.length = 0;
    serverSide = null;
    httpServer = http.createServer();
    io = new SocketServer(httpServer, { path: AGENT_SOCKET_PATH });
    io.of(AGENT_NAMESPACE).on('connection', (socket) => {
      serverSide = socket;
      socket.on(AGENT_EVENTS.results, (batch: AgentResult[]) => results.push(...batch));
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    script = new FakeScript();
    await script.listen();
    agent = new HostAgent({
      serverUrl: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
      token: 'x'.repeat(43), room: 'studio', scriptHost: '127.0.0.1', scriptPort: script.port,
      log: () => {}, onState: (s) => states.push(s),
    });
  });
  afterEach(async () => {
    agent.stop();
    await script.close().catch(() => {});
    await io.close();
  });

  const cmd = (id: string, extra: Partial<AgentCommand> = {}): AgentCommand => ({ id, action: 'track.set_volume', target: 't1', args: { value: 0.5 }, deadline: Date.now() + 5_000, ...extra });

  it('goes connecting → ready, clamps, refuses what it must, and answers LIVE_OFFLINE in server-only', async () => {
    agent.start();
    await until(() => agent.state === 'ready', 'ready');
    expect(states[0]).toBe('connecting');
    expect(script.snapshots).toBeGreaterThanOrEqual(1);

    serverSide!.emit(AGENT_EVENTS.commands, [
      cmd('ok1', { args: { value: 1.0000001 } }),
      cmd('late', { deadline: Date.now() - 1 }),
      cmd('bad', { action: 'track.set_send', args: { index: 40, value: 0.5 } }),
    ]);
    await until(() => script.commands.length === 1 && results.length === 2, 'the batch handled');
    expect(results.map((r) => r.id)).toEqual(['late', 'bad']);
    expect(script.commands[0]).toMatchObject({ id: 'ok1', args: { value: 1 } });
    // Live answers: the result reaches the server, and so does a fresh latency figure.
    const statuses: Array<{ latencyMs: number | null }> = [];
    serverSide!.on(AGENT_EVENTS.status, (st: { latencyMs: number | null }) => statuses.push(st));
    script.socket!.write(JSON.stringify({ type: 'results', results: [{ id: 'ok1', ok: true, rev: 'E1.2', value: 1 }] }) + '\n');
    await until(() => results.some((r) => r.id === 'ok1') && statuses.some((st) => typeof st.latencyMs === 'number'), 'the result and a latency');
    expect(results.slice(0, 2).map((r) => [r.id, !r.ok && r.error.code])).toEqual([['late', 'TIMEOUT'], ['bad', 'INVALID']]);

    // Live goes away with a command in flight: it is answered at once, new ones too.
    serverSide!.emit(AGENT_EVENTS.commands, [cmd('inflight')]);
    await until(() => script.commands.length === 2, 'the in-flight command at Live');
    script.socket!.destroy();
    await until(() => agent.state === 'server-only', 'server-only');
    await until(() => results.some((r) => r.id === 'inflight'), 'the in-flight command answered');
    serverSide!.emit(AGENT_EVENTS.commands, [cmd('offline')]);
    await until(() => results.some((r) => r.id === 'offline'), 'LIVE_OFFLINE');
    expect(results.filter((r) => ['inflight', 'offline'].includes(r.id)).map((r) => !r.ok && r.error.code)).toEqual(['LIVE_OFFLINE', 'LIVE_OFFLINE']);

    // Live comes back by itself (backoff) and a fresh snapshot is asked for.
    const snapshots = script.snapshots;
    await until(() => agent.state === 'ready' && script.snapshots > snapshots, 'ready again with a snapshot');
  });

  it('is live-only without the server, ready once it comes, and replaced (Live released) when the server closes it on purpose', async () => {
    // Point a second agent at a port where no server listens yet.
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    agent = new HostAgent({
      serverUrl: `http://127.0.0.1:${port}`, token: 'x'.repeat(43), room: 'studio', scriptHost: '127.0.0.1', scriptPort: script.port,
      log: () => {}, onState: (st) => states.push(st),
    });
    agent.start();
    await until(() => agent.state === 'live-only', 'live-only');

    const late = http.createServer();
    const lateIo = new SocketServer(late, { path: AGENT_SOCKET_PATH });
    let lateSide: ServerSocket | null = null;
    lateIo.of(AGENT_NAMESPACE).on('connection', (socket) => { lateSide = socket; });
    await new Promise<void>((resolve) => late.listen(port, '127.0.0.1', resolve));
    try {
      await until(() => agent.state === 'ready', 'ready after the server came');
      const scriptClosed = new Promise<void>((resolve) => script.socket!.once('close', () => resolve()));
      lateSide!.disconnect(true);
      await until(() => agent.state === 'replaced', 'replaced');
      await scriptClosed;
      expect(states).toEqual(['connecting', 'live-only', 'ready', 'replaced']);
    } finally {
      await lateIo.close();
    }
  });
});
