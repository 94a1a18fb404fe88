/**
 * Is batching a browser's answers per Live tick worth a protocol change? The framing
 * alone, without Roomtone's pipeline: a socket.io server over TLS (websocket only, the
 * same cipher policy as the room server) answers every `command` at the next 60 Hz
 * "tick", either through each command's acknowledgement (one socket.io packet, one
 * WebSocket frame, one TLS write per answer: what the server does) or as one `answers`
 * message per socket per tick. The server runs in a child process; its CPU per command
 * is read from /proc over each window, the two ways alternating so both see the same
 * machine.
 *
 * 'both' also sends a page's commands of one animation frame as one `commands` message.
 *
 *   npx tsx bench/experiments/answer-framing.ts [seconds=8] [rate=5000] [clients=50] [rounds=3]
 *   FRAMING_MODE=ack FRAMING_PROF=/tmp/p npx tsx bench/experiments/answer-framing.ts   (one way, profiled)
 *
 * With 50 clients at 5,000/s a socket gets 1.7 answers per tick; with 30 at 1,800/s
 * (the contended classroom: one drag per browser at 60 Hz) it gets 1.
 */
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io, type Socket } from 'socket.io-client';
import { ensureCertificates } from '../../server/tls/certificates.ts';
import { tlsServerOptions } from '../../server/tls/tls-policy.ts';
import { cpuMs } from '../../testkit/proc-stats.ts';

type Mode = 'ack' | 'batch' | 'both';
const TICK_MS = 1000 / 60;

if (process.argv[2] === 'server') {
  const certs = process.argv[3]!;
  const server = https.createServer(tlsServerOptions({ key: readFileSync(path.join(certs, 'server.key')), cert: readFileSync(path.join(certs, 'server.crt')) }));
  const ioServer = new Server(server, { serveClient: false, transports: ['websocket'] });
  let mode: Mode = 'ack';
  const acks: Array<(a: unknown) => void> = [];
  const batches = new Map<ServerSocket, Array<{ id: string; ok: true; rev: string; value: number }>>();
  let rev = 0;
  ioServer.of('/room').on('connection', (socket) => {
    socket.on('mode', (m: Mode) => { mode = m; });
    socket.on('command', (command: { id: string; args: { value: number } }, ack?: (a: unknown) => void) => {
      if (mode === 'ack' && ack) acks.push(ack);
      else {
        const list = batches.get(socket) ?? [];
        list.push({ id: command.id, ok: true, rev: `E.${rev}`, value: command.args.value });
        batches.set(socket, list);
      }
    });
    // 'both': the page sends its frame's commands as one message too.
    socket.on('commands', (commands: Array<{ id: string; args: { value: number } }>) => {
      const list = batches.get(socket) ?? [];
      for (const command of commands) list.push({ id: command.id, ok: true, rev: `E.${rev}`, value: command.args.value });
      batches.set(socket, list);
    });
    socket.on('disconnect', () => batches.delete(socket));
  });
  // A Live tick: every command received since the last one is answered now.
  setInterval(() => {
    rev++;
    for (const ack of acks.splice(0)) ack({ ok: true, rev: `E.${rev}`, value: 0.5 });
    for (const [socket, list] of batches) {
      if (list.length === 0) continue;
      socket.emit('answers', list);
      batches.set(socket, []);
    }
  }, TICK_MS);
  server.listen(0, '127.0.0.1', () => process.send!((server.address() as AddressInfo).port));
  process.on('SIGINT', () => process.exit(0)); // --cpu-prof writes its profile on a normal exit
} else {
  const [seconds = 8, rate = 5000, clientsN = 50, rounds = 3] = process.argv.slice(2).map(Number);
  const only = process.env.FRAMING_MODE as Mode | undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'answer-framing-'));
  const certs = await ensureCertificates({ dir, hostnames: ['localhost'], addresses: ['127.0.0.1'] });
  // FRAMING_PROF=<dir>: a V8 CPU profile of the server child (the whole run) for bench/profile-summary.ts.
  const prof = process.env.FRAMING_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.FRAMING_PROF] : [];
  const child = fork(new URL(import.meta.url).pathname, ['server', dir], { execArgv: ['--import', 'tsx', ...prof] });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
  const sockets: Socket[] = [];
  for (let i = 0; i < clientsN; i++) {
    const socket = io(`https://127.0.0.1:${port}/room`, { transports: ['websocket'], ca: certs.caCert, rejectUnauthorized: true });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    sockets.push(socket);
  }
  let answered = 0;
  for (const socket of sockets) socket.on('answers', (list: unknown[]) => { answered += list.length; });

  const window = async (mode: Mode): Promise<{ mode: Mode; commands: number; serverUsPerCommand: number; serverPercent: number }> => {
    sockets[0]!.emit('mode', mode);
    await new Promise((r) => setTimeout(r, 200));
    let counter = 0;
    let due = 0;
    let last = performance.now();
    const send = (): void => {
      const socket = sockets[counter % sockets.length]!;
      const command = { id: `cmd-${(counter++).toString(36)}`, action: 'track.set_volume', target: 't1', args: { value: Math.random() }, gesture: { id: 'g1', phase: 'move' } };
      if (mode === 'ack') socket.emit('command', command, () => { answered++; });
      else if (mode === 'batch') socket.emit('command', command);
      else (frames.get(socket) ?? frames.set(socket, []).get(socket)!).push(command);
    };
    // 'both': each socket's commands leave once per animation frame, as one message.
    const frames = new Map<Socket, unknown[]>();
    const frameTimer = setInterval(() => {
      for (const [socket, list] of frames) if (list.length > 0) { socket.emit('commands', list); frames.set(socket, []); }
    }, TICK_MS);
    const pacer = setInterval(() => {
      const now = performance.now();
      due += (rate * (now - last)) / 1000;
      last = now;
      while (due >= 1) { due--; send(); }
    }, 5);
    await new Promise((r) => setTimeout(r, 1000)); // warm-up
    answered = 0;
    const cpu0 = cpuMs(child.pid!)!;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = cpuMs(child.pid!)! - cpu0;
    const elapsed = performance.now() - t0;
    const commands = answered;
    clearInterval(pacer);
    clearInterval(frameTimer);
    await new Promise((r) => setTimeout(r, 500));
    return { mode, commands, serverUsPerCommand: Math.round((cpu * 1000 / commands) * 10) / 10, serverPercent: Math.round((cpu / elapsed) * 100) };
  };

  console.log(`${os.cpus().length} cores (${os.cpus()[0]?.model}), load ${os.loadavg().map((v) => v.toFixed(2)).join(' ')}; ${clientsN} clients, ${rate}/s, ${(rate / clientsN / 60).toFixed(2)} answers per socket per tick`);
  for (let r = 0; r < rounds; r++) {
    const modes: Mode[] = ['ack', 'batch', 'both'];
    const order: Mode[] = only ? [only] : r % 2 === 0 ? modes : [...modes].reverse();
    for (const mode of order) {
      const result = await window(mode);
      console.log(JSON.stringify({ round: r, ...result, load: os.loadavg()[0]!.toFixed(2) }));
    }
  }
  sockets.forEach((s) => s.close());
  child.kill('SIGINT');
  await new Promise((resolve) => child.once('exit', resolve));
  process.exit(0);
}
