/**
 * `npm run bench`: the whole measured run. Starts the real server, host agent and
 * simulator, drives them with real socket.io and y-websocket clients, measures each
 * scenario beside its baseline, writes bench/results/<date>.json and latest.json and
 * prints a table. Figures are never asserted in tests; see docs/benchmarks.md.
 *
 *   BENCH_SECONDS   timed part of throughput and coalescing (default 30)
 *   ROOMTONE_SIM_TICK_HZ  simulator tick rate (default 60)
 *   BENCH_SCENARIOS comma list to run a subset: startup,script,intent,overhead,throughput,throughputBare,throughputLow,coalescing,fanout,contended,uploads,memory,heavySet
 *   BENCH_UPLOAD_MIB, BENCH_UPLOAD_RUNS, BENCH_UPLOAD_CLIENTS, BENCH_UPLOAD_MOVES, BENCH_UPLOAD_WINDOW, BENCH_UPLOAD_PAIRS (scenario uploads)
 *   BENCH_RATE, BENCH_CLIENTS, BENCH_RATE_PER_SECOND, BENCH_RATE_BURST, BENCH_SEED, BENCH_OUT
 *   BENCH_CPU_PROF=1  V8 CPU profiles of the server and the agent (the throughput window cut out)
 *   BENCH_CONTENDED_OPEN_LOOP=1  contended browsers without G6 (every frame sent at once)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envNumber, type BenchContext } from './lib/context.ts';
import { machine } from './lib/machine.ts';
import { ROOT } from '../testkit/root.ts';
import { startBenchStack, type BenchStack } from './lib/stack.ts';
import { renderTable, type BenchResults } from './lib/report.ts';
import { scriptThroughput } from './scenarios/script-throughput.ts';
import { overhead } from './scenarios/overhead.ts';
import { throughput } from './scenarios/throughput.ts';
import { throughputBare } from './scenarios/throughput-bare.ts';
import { coalescing } from './scenarios/coalescing.ts';
import { fanout } from './scenarios/fanout.ts';
import { contended } from './scenarios/contended.ts';
import { memory } from './scenarios/memory.ts';
import { startup } from './scenarios/startup.ts';
import { heavySet } from './scenarios/heavy-set.ts';
import { intent } from './scenarios/intent.ts';
import { uploads } from './scenarios/uploads.ts';

// Each y-websocket provider in Node adds a process 'exit' listener until it is destroyed,
// and the bench holds up to 200 docs at once (memory, fan-out): not a leak.
process.setMaxListeners(1_000);

const ALL = ['startup', 'script', 'intent', 'overhead', 'throughput', 'throughputBare', 'throughputLow', 'coalescing', 'fanout', 'contended', 'uploads', 'memory', 'heavySet'] as const;
type ScenarioName = (typeof ALL)[number];

async function main(): Promise<void> {
  const ctx: BenchContext = {
    seconds: envNumber('BENCH_SECONDS', 30),
    tickHz: envNumber('ROOMTONE_SIM_TICK_HZ', 60),
    seed: envNumber('BENCH_SEED', 20261121),
    log: (msg) => console.log(msg),
  };
  const wanted = new Set<ScenarioName>((process.env.BENCH_SCENARIOS ? process.env.BENCH_SCENARIOS.split(',').map((s) => s.trim()) : ALL) as ScenarioName[]);
  for (const name of wanted) if (!ALL.includes(name)) throw new Error(`unknown scenario ${name}; pick from ${ALL.join(', ')}`);
  const rate = { perSecond: envNumber('BENCH_RATE_PER_SECOND', 1_000), burst: envNumber('BENCH_RATE_BURST', 2_000) };
  const results: BenchResults = {
    at: new Date().toISOString(),
    machine: machine(),
    loadAvgAtEnd: null,
    settings: { seconds: ctx.seconds, tickHz: ctx.tickHz, seed: ctx.seed, rateLimit: rate, scenarios: [...wanted] },
    scenarios: {},
  };
  console.log(`Roomtone bench · ${results.machine.cores} cores (${results.machine.cpuModel}) · Node ${results.machine.node} · Python ${results.machine.python} · ${ctx.seconds} s windows · simulator at ${ctx.tickHz} Hz`);
  console.log(`Per-session rate limit raised through the server's configuration: --rate-per-second ${rate.perSecond} --rate-burst ${rate.burst} (default 30/s, burst 60)`);

  const run = async <T>(name: ScenarioName, fn: () => Promise<T>): Promise<void> => {
    if (!wanted.has(name)) return;
    console.log(`▶ ${name}`);
    const t0 = Date.now();
    try {
      const value = await fn();
      (results.scenarios)[name] = value;
      console.log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (err) {
      (results.scenarios)[name] = { error: (err as Error).message };
      console.log(`  FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  };

  await run('startup', () => startup(ctx));
  await run('script', () => scriptThroughput(ctx));
  await run('intent', () => intent(ctx));

  const needsStack = ['overhead', 'throughput', 'throughputBare', 'throughputLow', 'coalescing', 'fanout', 'contended', 'uploads'].some((s) => wanted.has(s as ScenarioName));
  if (needsStack) {
    let bench: BenchStack | null = null;
    try {
      bench = await startBenchStack({ tickHz: ctx.tickHz, rate, log: (msg) => ctx.log(msg) });
      const b = bench;
      await run('overhead', () => overhead(ctx, b));
      await run('throughput', () => throughput(ctx, b));
      // Right after the throughput window (issue 17): the set doc as 150,000 writes left it,
      // the server just out of its busiest 30 s.
      await run('fanout', () => fanout(ctx, b));
      await run('throughputBare', () => throughputBare(ctx, b));
      // The same mix at a fifth of the rate, shorter: where the latency curve bends.
      await run('throughputLow', () => throughput({ ...ctx, seconds: Math.min(ctx.seconds, 10) }, b, envNumber('BENCH_RATE_LOW', 1000)));
      await run('coalescing', () => coalescing(ctx, b));
      await run('uploads', () => uploads(ctx, b));
      // Last on this stack: it keeps a core busy, and what it leaves queued must not reach the others.
      await run('contended', () => contended(ctx, b));
    } finally {
      await bench?.stop();
    }
  }
  // Memory on a fresh server, so the earlier scenarios' heap growth does not count.
  await run('memory', () => memory(ctx, rate));
  // The heavy set on its own simulator and server (in this process).
  await run('heavySet', () => heavySet(ctx));

  results.loadAvgAtEnd = Math.round(os.loadavg()[0]! * 100) / 100;
  const dir = process.env.BENCH_OUT ?? path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const json = JSON.stringify(results, null, 2) + '\n';
  const stamp = results.at.replace(/[:]/g, '-').replace(/\..*/, '');
  writeFileSync(path.join(dir, `${stamp}.json`), json);
  writeFileSync(path.join(dir, 'latest.json'), json);
  console.log('\n' + renderTable(results));
  console.log(`\nwritten: ${path.relative(ROOT, path.join(dir, `${stamp}.json`))} and latest.json`);
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
