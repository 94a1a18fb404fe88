/**
 * Baseline: the bare "host agent" of the pass-through chain: a socket.io client of the
 * server's /agent namespace and a TCP JSON-lines client of the script, relaying
 * batches down and results up with no checks.
 *
 *   tsx bench/baselines/passthrough-relay.ts --server https://127.0.0.1:<p> --ca-file <ca.crt> --script-port <p>
 * prints `passthrough-relay ready` once both links are up.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { io } from 'socket.io-client';
import { LineSplitter } from '../../host-agent/line-splitter.ts';
import { PROTOCOL_VERSION, SCRIPT_LINE_LIMIT } from '../../protocol/index.ts';

const argv = process.argv.slice(2);
const opt = (name: string): string => argv[argv.indexOf(name) + 1]!;

const script = net.connect({ host: '127.0.0.1', port: Number(opt('--script-port')), noDelay: true });
const server = io(`${opt('--server')}/agent`, { transports: ['websocket'], ca: readFileSync(opt('--ca-file'), 'utf8'), autoConnect: false });
let scriptReady = false;
const maybeReady = (): void => { if (scriptReady && server.connected) console.log('passthrough-relay ready'); };

const splitter = new LineSplitter(SCRIPT_LINE_LIMIT, (text) => {
  const line = JSON.parse(text) as { type: string; results?: unknown[] };
  if (line.type === 'hello') {
    script.write(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, client: 'passthrough-relay' }) + '\n');
    scriptReady = true;
    maybeReady();
  } else if (line.type === 'results') {
    server.emit('results', line.results);
  }
}, () => {});
script.on('data', (chunk: Buffer) => splitter.push(chunk));
script.on('error', (err) => { console.error(`relay: script link: ${err.message}`); process.exit(1); });

server.on('connect', maybeReady);
server.on('commands', (batch: unknown[]) => script.write(JSON.stringify({ type: 'commands', commands: batch }) + '\n'));
server.connect();
process.on('SIGTERM', () => process.exit(0));
