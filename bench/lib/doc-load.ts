/**
 * A load process: opens the `set` doc for each session cookie given on stdin (one JSON
 * line: { base, caFile, cookies }) and keeps them synced, so the browsers' share of the
 * fan-out load exists without running in the process that measures latency.
 * Prints `doc-load ready <n>` once every doc has synced; exits on SIGTERM.
 */
import { readFileSync } from 'node:fs';
import readline from 'node:readline';
import { openDoc, synced, type DocClient } from '../../testkit/clients.ts';

const rl = readline.createInterface({ input: process.stdin });
rl.once('line', (line) => void load(line));

async function load(line: string): Promise<void> {
  const { base, caFile, cookies } = JSON.parse(line) as { base: string; caFile: string; cookies: string[] };
  const peer = { base, ca: readFileSync(caFile, 'utf8') };
  const docs: DocClient[] = [];
  for (const cookie of cookies) docs.push(openDoc(peer, cookie, 'set'));
  await Promise.all(docs.map((d) => synced(d, 60_000)));
  console.log(`doc-load ready ${docs.length}`);
  process.on('SIGTERM', () => {
    for (const d of docs) d.destroy();
    process.exit(0);
  });
}
