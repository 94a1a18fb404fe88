/**
 * Baseline: the trivial "Remote Script" at the end of the bare pass-through chain. It
 * speaks the same JSON lines over TCP (hello, commands -> results) with no Live and no
 * logic: every command is answered ok. With --tick-hz it answers on a timer tick like
 * the real script does; without, at once.
 *
 *   tsx bench/baselines/echo-script.ts [--port 0] [--tick-hz 60]
 * prints `echo-script ready port=<p>`.
 */
import net from 'node:net';
import { LineSplitter } from '../../host-agent/line-splitter.ts';
import { PROTOCOL_VERSION, SCRIPT_LINE_LIMIT } from '../../protocol/index.ts';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const tickHz = Number(opt('--tick-hz') ?? 0);

const server = net.createServer({ noDelay: true }, (socket) => {
  socket.setNoDelay(true);
  socket.write(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, epoch: 'echo', live: { version: 'echo', simulated: true } }) + '\n');
  let pending: Array<{ id: string; ok: true; rev: null; value: null }> = [];
  const flush = (): void => {
    if (pending.length === 0) return;
    socket.write(JSON.stringify({ type: 'results', results: pending }) + '\n');
    pending = [];
  };
  const timer = tickHz > 0 ? setInterval(flush, 1000 / tickHz) : null;
  socket.on('close', () => { if (timer) clearInterval(timer); });
  socket.on('error', () => socket.destroy());
  const splitter = new LineSplitter(SCRIPT_LINE_LIMIT, (text) => {
    // The baseline is the cheapest script that answers: it reads only what it echoes.
    let line: unknown;
    try { line = JSON.parse(text); } catch { return; }
    if (typeof line !== 'object' || line === null || !('type' in line)) return;
    if (line.type === 'commands' && 'commands' in line && Array.isArray(line.commands)) {
      const commands: unknown[] = line.commands;
      for (const c of commands) {
        if (typeof c === 'object' && c !== null && 'id' in c && typeof c.id === 'string') pending.push({ id: c.id, ok: true, rev: null, value: null });
      }
      if (!timer) flush();
    } else if (line.type === 'snapshot_request') {
      socket.write(JSON.stringify({ type: 'snapshot', epoch: 'echo', live: { version: 'echo', simulated: true }, entities: [] }) + '\n');
    }
  }, () => {});
  socket.on('data', (chunk: Buffer) => splitter.push(chunk));
});
server.listen(Number(opt('--port') ?? 0), '127.0.0.1', () => {
  console.log(`echo-script ready port=${(server.address() as net.AddressInfo).port}`);
});
process.on('SIGTERM', () => process.exit(0));
