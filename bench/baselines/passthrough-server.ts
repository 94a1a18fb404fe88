/**
 * Baseline: the bare room server of the pass-through chain. Same transports as the
 * real one (HTTPS with the same certificate, socket.io `/room` for the client and
 * `/agent` for the relay), and no logic at all: a `command` from /room goes to the
 * agent socket as a batch of one and its result comes back as the acknowledgement.
 *
 *   tsx bench/baselines/passthrough-server.ts --certs-dir <dir>
 * prints `passthrough-server ready port=<p>`.
 */
import https from 'node:https';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Server, type Socket } from 'socket.io';

const argv = process.argv.slice(2);
const certsDir = argv[argv.indexOf('--certs-dir') + 1]!;
const server = https.createServer({ key: readFileSync(path.join(certsDir, 'server.key')), cert: readFileSync(path.join(certsDir, 'server.crt')) });
const io = new Server(server, { serveClient: false });

let agent: Socket | null = null;
const pending = new Map<string, (answer: unknown) => void>();
let counter = 0;

io.of('/agent').on('connection', (socket) => {
  agent = socket;
  socket.on('results', (results: Array<{ id: string; ok: boolean; rev?: unknown; value?: unknown; error?: unknown }>) => {
    for (const r of results) {
      const ack = pending.get(r.id);
      if (!ack) continue;
      pending.delete(r.id);
      ack(r.ok ? { ok: true, rev: r.rev ?? null, value: r.value ?? null } : { ok: false, error: r.error });
    }
  });
  socket.on('disconnect', () => { if (agent === socket) agent = null; });
});

io.of('/room').on('connection', (socket) => {
  socket.on('command', (command: { action: string; target?: string | null; args?: unknown }, ack: (answer: unknown) => void) => {
    if (!agent) return ack({ ok: false, error: { code: 'AGENT_OFFLINE', message: 'no relay' } });
    const id = `p${(counter++).toString(36)}`;
    pending.set(id, ack);
    agent.emit('commands', [{ id, action: command.action, target: command.target ?? null, args: command.args ?? {}, deadline: Date.now() + 2_000 }]);
  });
});

server.listen(0, '127.0.0.1', () => console.log(`passthrough-server ready port=${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => process.exit(0));
