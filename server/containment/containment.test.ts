import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { Containment } from './containment.ts';
import { auditedFaults } from './audited-faults.ts';
import { routeHttp } from '../http/request-router.ts';
import { websocketOnly } from '../http/websocket-only.ts';
import type { AuditEntry } from '../../protocol/index.ts';
import { until } from '../../testkit/poll.ts';

describe('containment', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => { for (const c of cleanups.splice(0)) await c(); });

  async function serve(): Promise<{ url: string; faults: Array<{ where: string; message: string }>; containment: Containment; server: http.Server; io: ReturnType<typeof websocketOnly>['io'] }> {
    const faults: Array<{ where: string; message: string }> = [];
    const containment = new Containment((where, error) => faults.push({ where, message: error.message }));
    const server = http.createServer();
    const sockets = websocketOnly({ path: '/socket.io/', maxHttpBufferSize: 1024 });
    containment.watchNamespace(sockets.io.of('/room'));
    routeHttp(server, {
      owners: [sockets.owner],
      fallback: (req, res) => {
        if (req.url === '/boom') throw new Error('route exploded');
        res.end('page');
      },
      containment,
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => { void sockets.io.close(); server.close(() => resolve()); }));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, faults, containment, server, io: sockets.io };
  }

  it('reports a throw or a rejection inside a socket.io event or connection listener, and the server keeps serving', async () => {
    const s = await serve();
    const room = s.io.of('/room');
    room.on('connection', (socket) => {
      socket.on('sync-throw', () => { throw new Error('handler exploded'); });
      socket.on('async-throw', async () => { await Promise.resolve(); throw new Error('async handler exploded'); });
      socket.on('echo', (value: unknown, ack: (v: unknown) => void) => ack(value));
    });
    room.on('connection', () => { throw new Error('connection listener exploded'); });
    const client: ClientSocket = connect(`${s.url}/room`, { transports: ['websocket'], forceNew: true, reconnection: false });
    cleanups.push(() => { client.close(); });
    await new Promise<void>((resolve, reject) => { client.once('connect', resolve); client.once('connect_error', reject); });
    client.emit('sync-throw');
    client.emit('async-throw');
    await until(() => s.faults.length >= 3, 'three contained faults');
    expect(s.faults.map((f) => f.message).sort()).toEqual(['async handler exploded', 'connection listener exploded', 'handler exploded']);
    expect(s.faults.find((f) => f.message === 'handler exploded')?.where).toBe('socket /room sync-throw');
    expect(await client.timeout(2_000).emitWithAck('echo', 7)).toBe(7);
  });

  it('removes a guarded listener by the function that was registered', async () => {
    const s = await serve();
    const seen: string[] = [];
    s.io.of('/room').on('connection', (socket) => {
      const listener = (value: string): void => { seen.push(value); };
      socket.on('note', listener);
      socket.on('stop', () => socket.off('note', listener));
      socket.on('ping2', (ack: (v: string) => void) => ack('pong'));
    });
    const client: ClientSocket = connect(`${s.url}/room`, { transports: ['websocket'], forceNew: true, reconnection: false });
    cleanups.push(() => { client.close(); });
    await new Promise<void>((resolve, reject) => { client.once('connect', resolve); client.once('connect_error', reject); });
    client.emit('note', 'a');
    client.emit('stop');
    client.emit('note', 'b');
    expect(await client.timeout(2_000).emitWithAck('ping2')).toBe('pong');
    expect(seen).toEqual(['a']);
  });

  it('answers 500 to a request whose handler throws, reports it, and serves the next one', async () => {
    const s = await serve();
    const boom = await fetch(`${s.url}/boom`);
    expect(boom.status).toBe(500);
    expect(await boom.json()).toEqual({ error: { code: 'INTERNAL', message: 'unexpected server error' } });
    expect(s.faults).toEqual([{ where: 'http GET /boom', message: 'route exploded' }]);
    expect(await (await fetch(`${s.url}/page`)).text()).toBe('page');
  });

  it('audits each fault and prints a repeated one once a minute with a count', () => {
    const entries: Array<Partial<AuditEntry>> = [];
    const lines: string[] = [];
    let now = 0;
    const report = auditedFaults({ record: (e) => entries.push(e) }, (l) => lines.push(l), () => now);
    for (let i = 0; i < 5; i++) report('http GET /x', new Error('same'));
    now = 61_000;
    report('http GET /x', new Error('same'));
    expect(entries).toHaveLength(6);
    expect(entries[0]).toMatchObject({ kind: 'internal_error', code: 'INTERNAL', detail: 'http GET /x: same' });
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('4 more like it');
  });
});
