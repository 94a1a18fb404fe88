/**
 * A load process: opens the `set` doc for each session cookie given on stdin (one JSON
 * line: { base, caFile, cookies, watchTempo? }) and keeps them synced, so the browsers'
 * share of the fan-out load exists without running in the process that measures latency.
 * Prints `doc-load ready <n>` once every doc has synced; exits on SIGTERM.
 *
 * With watchTempo, each doc records the wall-clock time (ms) at which it saw each new
 * song tempo; a `report` line on stdin prints `doc-load report <json>` with
 * { tempo: [ms seen by doc 0, doc 1, …] } for every tempo seen since the last report.
 */
import { readFileSync } from 'node:fs';
import readline from 'node:readline';
import { openDoc, synced, type DocClient } from '../../testkit/clients.ts';

const wallMs = (): number => performance.timeOrigin + performance.now();

const rl = readline.createInterface({ input: process.stdin });
let docs: DocClient[] = [];
let seen = new Map<number, Array<number | null>>();
rl.on('line', (line) => { void onLine(line); });

async function onLine(line: string): Promise<void> {
  if (line === 'report') {
    const out = Object.fromEntries([...seen].map(([tempo, at]) => [String(tempo), at]));
    seen = new Map();
    console.log(`doc-load report ${JSON.stringify(out)}`);
    return;
  }
  if (docs.length > 0) return;
  const { base, caFile, cookies, watchTempo } = JSON.parse(line) as { base: string; caFile: string; cookies: string[]; watchTempo?: boolean };
  const peer = { base, ca: readFileSync(caFile, 'utf8') };
  docs = cookies.map((cookie) => openDoc(peer, cookie, 'set'));
  if (watchTempo) {
    docs.forEach((d, i) => {
      let last: unknown;
      d.doc.on('update', () => {
        const tempo = d.doc.getMap('song').get('tempo');
        if (typeof tempo !== 'number' || tempo === last) return;
        last = tempo;
        let at = seen.get(tempo);
        if (!at) {
          at = new Array<number | null>(docs.length).fill(null);
          seen.set(tempo, at);
        }
        at[i] ??= wallMs();
      });
    });
  }
  await Promise.all(docs.map((d) => synced(d, 60_000)));
  console.log(`doc-load ready ${docs.length}`);
}

process.on('SIGTERM', () => {
  for (const d of docs) d.destroy();
  process.exit(0);
});
