// Counts the socket writes of every process it is loaded into, by what they carry, and
// appends a table per 5 s to <BENCH_WRITE_COUNT_DIR or the OS temp dir>/writes-<pid>.txt.
// Bench-only (issue 17: how many TLS writes a command costs, and what for):
//   NODE_OPTIONS=--import=./bench/lib/write-count-hook.mjs BENCH_SCENARIOS=throughput npm run bench
// A write is one call into the socket (one writev of the chunks a ws frame or a corked
// burst holds): one TLS record set and one syscall.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { appendFileSync } from 'node:fs';

const out = path.join(process.env.BENCH_WRITE_COUNT_DIR ?? os.tmpdir(), `writes-${process.pid}.txt`);
const counts = new Map();
let since = Date.now();

/** What a write carries: a y-websocket binary frame, or a socket.io packet by kind and event. */
function kindOf(chunks) {
  const first = chunks[0];
  if (!Buffer.isBuffer(first) || first.length < 2) return 'other';
  const opcode = first[0] & 0x0f;
  if (opcode === 2 || opcode === 0) return 'ws binary (y-websocket)';
  if (opcode === 9 || opcode === 10) return 'ws ping/pong';
  const header = (first[1] & 0x7f) === 126 ? 4 : (first[1] & 0x7f) === 127 ? 10 : 2;
  const text = chunks.length > 1 && first.length <= 10
    ? String(chunks[1]).slice(0, 80)
    : first.toString('latin1', header, header + 80);
  const m = /^4([23])(\/[a-z]+,)?\d*(\["([a-z:_.]+)")?/.exec(text);
  if (!m) return `other (${text.slice(0, 8)})`;
  return `socket.io ${m[1] === '3' ? 'ack' : 'event'} ${m[2] ?? '/'}${m[4] ? ` ${m[4]}` : ''}`;
}

const original = net.Socket.prototype._writeGeneric;
net.Socket.prototype._writeGeneric = function countedWrite(writev, data, encoding, cb) {
  const chunks = writev ? data.map((d) => d.chunk ?? d) : [data];
  const key = `${this.encrypted ? 'tls' : 'tcp'} · ${kindOf(chunks)}${chunks.length > 2 ? ' · several frames' : ''}`;
  counts.set(key, (counts.get(key) ?? 0) + 1);
  return original.call(this, writev, data, encoding, cb);
};

setInterval(() => {
  const seconds = (Date.now() - since) / 1000;
  const rows = [...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${(n / seconds).toFixed(0).padStart(7)}/s  ${k}`);
  appendFileSync(out, `=== ${new Date().toISOString()} pid ${process.pid} ${process.argv.slice(1, 3).join(' ')}\n${rows.join('\n')}\n`);
  counts.clear();
  since = Date.now();
}, 5_000).unref();
