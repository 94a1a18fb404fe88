/**
 * What holds the main thread while the band view loads: a Chromium trace of a member's
 * reload of the band view (the set playing, as in scripts/lighthouse.ts), on the real
 * stack and Debian's Chromium, summarised as the page's main-thread tasks (each with what
 * it was made of: script, microtasks, timers, animation frames, style, layout, paint),
 * the blocking time they add up to, and the JavaScript functions that took the most time
 * inside the long ones. Build the client without minifying first to read our own names:
 *
 *   npx vite build --config client/vite.config.ts --minify false
 *   npx tsx scripts/band-trace.ts [--runs 3] [--cpu-throttle 1] [--min-ms 8] [--out /tmp/trace.json]
 *   npx tsx scripts/band-trace.ts --analyze /tmp/trace-1.json
 *
 * Lighthouse's desktop preset does not slow the CPU, so neither does this by default
 * (`--cpu-throttle 3`: Chromium's own CPU throttling). Run it under the shared lock
 * (flock /tmp/roomtone-heavy.lock …); `npm run build` afterwards for a minified client.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startStack } from '../testkit/stack.ts';
import { launchBrowser, joinThroughPage } from '../test/browser/harness.ts';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: {
    name?: string;
    data?: { url?: string; functionName?: string; startTime?: number; cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] }; timeDeltas?: number[] };
  };
}
interface ProfileNode { id: number; parent?: number; callFrame: { functionName: string; url?: string; lineNumber: number } }

const LONG_MS = 50;
/** The parts of a task worth naming (the trace has many more, mostly nested in these). */
const PARTS = new Set(['FunctionCall', 'RunMicrotasks', 'TimerFire', 'FireAnimationFrame', 'EvaluateScript', 'v8.evaluateModule', 'ParseHTML',
  'UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize', 'MajorGC', 'MinorGC', 'DocumentLoader::CommitNavigation']);

/** The page's renderer main thread: the busiest CrRendererMain. */
function mainThread(events: TraceEvent[]): TraceEvent[] {
  let best: TraceEvent[] = [];
  let busiest = -1;
  for (const n of events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')) {
    const own = events.filter((e) => e.pid === n.pid && e.tid === n.tid && e.ph === 'X');
    const busy = own.filter((e) => e.name === 'RunTask').reduce((s, e) => s + (e.dur ?? 0), 0);
    if (busy > busiest) [best, busiest] = [own, busy];
  }
  return best.sort((a, b) => a.ts - b.ts);
}

/** Inclusive sampled time per function (file:line name) inside the given windows. */
function functionsIn(events: TraceEvent[], pid: number, windows: Array<[number, number]>): Map<string, number> {
  const nodes = new Map<number, ProfileNode>();
  const samples: Array<[number, number]> = [];
  let t = events.find((e) => e.name === 'Profile' && e.pid === pid)?.args?.data?.startTime ?? 0;
  for (const chunk of events.filter((e) => e.name === 'ProfileChunk' && e.pid === pid)) {
    const d = chunk.args?.data;
    for (const n of d?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    const ids = d?.cpuProfile?.samples ?? [];
    ids.forEach((id, i) => {
      t += d?.timeDeltas?.[i] ?? 0;
      samples.push([t, id]);
    });
  }
  const step = samples.length > 1 ? (samples[samples.length - 1]![0] - samples[0]![0]) / (samples.length - 1) / 1000 : 0;
  const total = new Map<string, number>();
  for (const [at, id] of samples) {
    if (!windows.some(([a, b]) => at >= a && at <= b)) continue;
    const seen = new Set<string>();
    for (let n = nodes.get(id); n; n = n.parent === undefined ? undefined : nodes.get(n.parent)) {
      const f = n.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + step);
    }
  }
  return total;
}

function summarise(events: TraceEvent[], minMs: number): string[] {
  const main = mainThread(events);
  if (main.length === 0) return ['no renderer main thread in this trace'];
  const start = main[0]!.ts;
  const lines: string[] = [];
  let blocking = 0;
  const long: Array<[number, number]> = [];
  for (const task of main.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) >= minMs * 1000)) {
    const end = task.ts + (task.dur ?? 0);
    const ms = (task.dur ?? 0) / 1000;
    if (ms > LONG_MS) {
      blocking += ms - LONG_MS;
      long.push([task.ts, end]);
    }
    const parts = main.filter((e) => e !== task && e.ts >= task.ts && e.ts < end && (e.dur ?? 0) >= 500 && PARTS.has(e.name))
      .map((e) => `${e.name}${e.args?.data?.functionName ? `(${e.args.data.functionName})` : ''} ${Math.round((e.dur ?? 0) / 1000)}`);
    lines.push(`  +${String(Math.round((task.ts - start) / 1000)).padStart(5)} ms ${ms.toFixed(1).padStart(6)} ms  ${parts.slice(0, 8).join(', ')}`);
  }
  lines.unshift(`main-thread tasks of ${minMs} ms and more (from the first task of the trace, the old page's last ones included); time beyond ${LONG_MS} ms summed over them: ${Math.round(blocking)} ms in ${long.length} long tasks`);
  const fns = functionsIn(events, main[0]!.pid, long);
  if (fns.size) {
    lines.push('  time inside the long tasks, by function (inclusive, sampled):');
    for (const [k, v] of [...fns].sort((a, b) => b[1] - a[1]).slice(0, 30)) lines.push(`    ${v.toFixed(1).padStart(7)} ms  ${k}`);
  }
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: {
    runs: { type: 'string', default: '3' }, 'cpu-throttle': { type: 'string', default: '1' }, 'min-ms': { type: 'string', default: '8' },
    out: { type: 'string' }, analyze: { type: 'string' },
  } });
  const minMs = Number(values['min-ms']);
  if (values.analyze) {
    const trace = JSON.parse(readFileSync(values.analyze, 'utf8')) as { traceEvents: TraceEvent[] };
    for (const line of summarise(trace.traceEvents, minMs)) console.log(line);
    return;
  }
  const stack = await startStack();
  const browser = await launchBrowser();
  try {
    const player = await joinThroughPage(browser, stack, { name: 'Player' });
    await player.page.locator('[data-track-name]').first().waitFor();
    await player.page.getByRole('button', { name: 'Play from start' }).click();
    for (const clip of (await player.page.locator('button[data-clip]').all()).slice(0, 4)) await clip.click();
    await player.page.locator('button[data-state="playing"]').first().waitFor({ timeout: 8_000 });
    const member = await joinThroughPage(browser, stack, { name: 'Traced', viewport: { width: 1350, height: 940 } });
    await member.page.locator('rt-band[complete]').waitFor({ timeout: 15_000 });
    const cdp = await member.context.newCDPSession(member.page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(values['cpu-throttle']) });
    for (let i = 0; i < Number(values.runs); i++) {
      await browser.startTracing(member.page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'disabled-by-default-v8.cpu_profiler', 'blink.user_timing', 'loading', '__metadata'] });
      const before = Date.now();
      await member.page.reload();
      await member.page.locator('rt-band[complete]').waitFor({ timeout: 30_000 });
      // Lighthouse waits for the main thread to go quiet; this records 1.5 s of the view at rest too.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const buf = await browser.stopTracing();
      if (values.out) writeFileSync(values.out.replace(/\.json$/, `-${i + 1}.json`), buf);
      console.log(`run ${i + 1}: reload, grid complete, 1.5 s more: ${Date.now() - before} ms; load average ${os.loadavg()[0]!.toFixed(1)}`);
      const trace = JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] };
      for (const line of summarise(trace.traceEvents, minMs)) console.log(line);
    }
    await member.close();
    await player.close();
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
