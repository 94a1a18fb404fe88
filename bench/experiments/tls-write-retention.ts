// Experiment behind the memory diagnosis in docs/benchmarks.md: does a TLS WebSocket that
// once sent one 209 KB message (the `set` doc's sync step 2) keep that much native memory
// for the rest of its life? The same bytes as one write vs 16 KB fragments.
//   tsx bench/experiments/tls-write-retention.ts   (needs the test CA in /tmp/roomtone-test-certs)
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { fork } from 'node:child_process';
import WebSocket, { WebSocketServer } from 'ws';
const certs = '/tmp/roomtone-test-certs';
if (process.argv[2] === 'server') {
  const mode = process.argv[3];
  const server = https.createServer({ key: readFileSync(`${certs}/server.key`), cert: readFileSync(`${certs}/server.crt`) });
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  const big = Buffer.alloc(209_000, 7);
  wss.on('connection', (ws) => {
    if (mode === 'whole') { ws.send(big); return; }
    void (async () => {
      for (let o = 0; o < big.length; o += 16_384) {
        const last = o + 16_384 >= big.length;
        await new Promise<void>((r) => ws.send(big.subarray(o, o + 16_384), { fin: last }, () => r()));
      }
    })();
  });
  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    process.send!(typeof address === 'object' && address !== null ? address.port : 0);
  });
} else {
  for (const mode of ['whole', 'fragments']) {
    const child = fork(new URL(import.meta.url).pathname, ['server', mode], { execArgv: ['--import', 'tsx'] });
    const port = await new Promise<number>((r) => child.once('message', (m) => r(m as number)));
    const rss = async () => { await new Promise((r) => setTimeout(r, 2500)); return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))![1]); };
    const r0 = await rss();
    const clients: WebSocket[] = [];
    for (let i = 0; i < 100; i++) {
      const ws = new WebSocket(`wss://127.0.0.1:${port}`, { ca: readFileSync(`${certs}/ca.crt`) });
      await new Promise<void>((r) => ws.once('message', () => r()));
      clients.push(ws);
    }
    const r1 = await rss();
    console.log(`${mode}: ${(r1 - r0) / 100} KB per TLS connection that received 209 KB`);
    clients.forEach((c) => c.terminate()); child.kill();
  }
  process.exit(0);
}
