/**
 * Summarises a .cpuprofile (from BENCH_CPU_PROF=1 npm run bench): where the busy time
 * went, three ways.
 *
 * - by layer: each sample goes to the innermost frame on its stack that belongs to a
 *   known layer (socket.io, ws, zod, Yjs, TLS and socket writes, the pipeline, audit…),
 *   so a native JSON.stringify or writev counts for the layer that called it;
 * - by cause: each sample goes to the outermost project frame on its stack (what the
 *   server was doing it for: a browser's command, the agent's results, Live's events,
 *   a y-websocket message, a load broadcast…);
 * - self time by function and by package, as before.
 *
 *   tsx bench/profile-summary.ts <file.cpuprofile> [N] [--json]
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/** Innermost match wins; the first rule that matches a frame names its layer. */
const LAYERS: Array<[string, (url: string, fn: string) => boolean]> = [
  ['GC', (_u, fn) => fn === '(garbage collector)'],
  ['socket.io / engine.io (packets, acks, broadcast)', (u) => /node_modules\/(socket\.io|engine\.io|socket\.io-parser|engine\.io-parser|socket\.io-adapter)\//.test(u)],
  ['ws framing (y-websocket)', (u) => /node_modules\/ws\//.test(u)],
  ['zod parsing', (u) => /node_modules\/zod\//.test(u)],
  ['Yjs and lib0 (encode, apply, merge)', (u) => /node_modules\/(yjs|lib0|y-protocols)\//.test(u)],
  ['express / helmet (HTTP)', (u) => /node_modules\/(express|helmet|router|body-parser|send|finalhandler)\//.test(u)],
  ['lowdb / steno (persistence)', (u) => /node_modules\/(lowdb|steno)\//.test(u)],
  ['y-websocket fan-out (server/yjs)', (u) => /server\/yjs\//.test(u)],
  ['set mirror (server/mirror)', (u) => /server\/mirror\//.test(u)],
  ['gesture leases', (u) => /server\/commands\/gesture-leases/.test(u)],
  ['audit (gesture audit, audit log)', (u) => /server\/(commands\/gesture-audit|persistence\/audit-log|persistence\/batched-file|audit\/)/.test(u)],
  ['idempotency cache', (u) => /server\/commands\/idempotency/.test(u)],
  ['room queue', (u) => /server\/commands\/room-queue/.test(u)],
  ['command pipeline (other steps)', (u) => /server\/commands\//.test(u)],
  ['load messages', (u) => /server\/(load|host)\//.test(u)],
  ['leases broadcast', (u) => /server\/util\/latest-only/.test(u)],
  ['agent link', (u) => /server\/agent-link\//.test(u)],
  ['room namespace (socket.io handler)', (u) => /server\/http\/room-namespace/.test(u)],
  ['sessions', (u) => /server\/sessions\//.test(u)],
  ['protocol/ (shared schemas, errors)', (u) => /\/protocol\//.test(u)],
  ['TLS and socket writes (node streams)', (u) => /^node:(_tls_wrap|net|internal\/stream_base_commons|internal\/streams|_stream|internal\/tls)/.test(u)],
  ['timers, promises, event loop (node)', (u) => /^node:internal\/(timers|process\/task_queues|process\/promises|async_hooks)/.test(u)],
  ['other node internals', (u) => u.startsWith('node:')],
  ['other packages', (u) => u.includes('node_modules/')],
];

/** Outermost project frame wins: what the server did this work for. */
const CAUSES: Array<[string, (url: string, fn: string) => boolean]> = [
  ['a browser\'s command (room namespace → pipeline)', (u) => /server\/http\/room-namespace|server\/commands\/command-pipeline/.test(u)],
  ['agent results → answers', (u, fn) => /server\/agent-link\//.test(u) && /receiveResults|settle/.test(fn)],
  ['Live events → set mirror → Yjs', (u) => /server\/agent-link\/|server\/mirror\//.test(u)],
  ['queue → agent (dispatch, flush)', (u) => /server\/commands\/room-queue/.test(u)],
  ['y-websocket fan-out and sync', (u) => /server\/yjs\//.test(u)],
  ['load messages', (u) => /server\/(load|host)\//.test(u)],
  ['leases broadcast', (u) => /server\/util\/latest-only|gesture-leases/.test(u)],
  ['audit and persistence', (u) => /server\/(persistence|audit)\/|gesture-audit/.test(u)],
  ['HTTP, sessions, TLS certificates', (u) => /server\/(http|sessions|tls|security)\//.test(u)],
  ['the CLI and supervisor', (u) => /\/cli\//.test(u)],
];

const [file, ...rest] = process.argv.slice(2);
if (!file) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [N] [--json]');
const asJson = rest.includes('--json');
const n = Number(rest.find((a) => /^\d+$/.test(a)) ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
const short = (url: string): string => url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'nm:').replace(/.*\/(server|protocol|host-agent|cli|bench)\//, '$1/');

const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const idleIds = new Set(profile.nodes.filter((x) => x.callFrame.functionName === '(idle)').map((x) => x.id));
// The profiler's own restart at a cut (cpu-profile-hook.mjs) is not the server's work.
for (const node of profile.nodes) {
  for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) {
    if (byId.get(at)!.callFrame.url.endsWith('cpu-profile-hook.mjs')) { idleIds.add(node.id); break; }
  }
}
let busy = 0;
let idle = 0;
for (const [id, t] of self) { if (idleIds.has(id)) idle += t; else busy += t; }

const layerOf = new Map<number, string>();
const causeOf = new Map<number, string>();
for (const node of profile.nodes) {
  if (!self.has(node.id) || idleIds.has(node.id)) continue;
  const stack: Node[] = [];
  for (let at: number | undefined = node.id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at)!);
  // stack[0] is the leaf
  const layer = stack.map((f) => LAYERS.find(([, m]) => m(f.callFrame.url, f.callFrame.functionName))?.[0]).find(Boolean);
  layerOf.set(node.id, layer ?? (node.callFrame.functionName === '(program)' ? '(program): native work outside JS' : 'unattributed'));
  const cause = [...stack].reverse().map((f) => CAUSES.find(([, m]) => m(f.callFrame.url, f.callFrame.functionName))?.[0]).find(Boolean);
  causeOf.set(node.id, cause ?? (stack.some((f) => /node_modules\/(socket\.io|engine\.io|ws)\//.test(f.callFrame.url)) ? 'socket.io / ws below any handler (reads, pings, writes)' : node.callFrame.functionName === '(garbage collector)' ? 'GC' : 'other'));
}

const sum = (m: Map<number, string>): Map<string, number> => {
  const out = new Map<string, number>();
  for (const [id, key] of m) out.set(key, (out.get(key) ?? 0) + (self.get(id) ?? 0));
  return out;
};
const byLayer = sum(layerOf);
const byCause = sum(causeOf);
const byFn = new Map<string, number>();
const byPkg = new Map<string, number>();
for (const node of profile.nodes) {
  const t = self.get(node.id) ?? 0;
  if (!t || idleIds.has(node.id)) continue;
  const url = short(node.callFrame.url);
  const fn = `${node.callFrame.functionName || '(anon)'} ${url}:${node.callFrame.lineNumber + 1}`;
  byFn.set(fn, (byFn.get(fn) ?? 0) + t);
  const pkg = url.startsWith('nm:') ? url.split('/').slice(0, url.startsWith('nm:@') ? 2 : 1).join('/') : url || node.callFrame.functionName;
  byPkg.set(pkg, (byPkg.get(pkg) ?? 0) + t);
}
const rows = (m: Map<string, number>, limit: number): Array<[string, number]> => [...m].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([k, v]) => [k, Math.round((v / busy) * 1000) / 10]);
const wallS = (profile.endTime - profile.startTime) / 1e6;
if (asJson) {
  console.log(JSON.stringify({ file, wallSeconds: wallS, busySeconds: busy / 1e6, idleSeconds: idle / 1e6, byLayer: rows(byLayer, 100), byCause: rows(byCause, 100), byFunction: rows(byFn, n), byPackage: rows(byPkg, n) }, null, 2));
} else {
  const fmt = (r: Array<[string, number]>): string => r.map(([k, v]) => `${v.toFixed(1).padStart(5)}%  ${k}`).join('\n');
  console.log(`${file}: ${wallS.toFixed(1)} s profiled, ${(busy / 1e6).toFixed(2)} s busy (${((busy / (busy + idle)) * 100).toFixed(0)} %); shares are of the busy time\n`);
  console.log(`by layer (innermost known frame):\n${fmt(rows(byLayer, 100))}\n`);
  console.log(`by cause (outermost project frame):\n${fmt(rows(byCause, 100))}\n`);
  console.log(`self time by package:\n${fmt(rows(byPkg, n))}\n`);
  console.log(`self time by function:\n${fmt(rows(byFn, n))}`);
}
