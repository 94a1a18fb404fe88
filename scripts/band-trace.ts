/**
 * What holds the main thread while the band view loads: a Chromium trace of a member's
 * reload of the band view (the set playing, as in scripts/lighthouse.ts), on the real
 * stack and Debian's Chromium, summarised as the main thread's long tasks, what each is
 * made of (script compile and evaluation, style, layout, paint) and the JavaScript
 * functions that took the most self time inside them.
 *
 *   npx tsx scripts/band-trace.ts [--runs 3] [--cpu-throttle 1] [--out trace.json]
 *
 * Lighthouse's desktop preset does not slow the CPU, so neither does this by default.
 * Run it under the shared lock (flock /tmp/roomtone-heavy.lock …).
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
  cat?: string;
  args?: { name?: string; data?: { cpuProfile?: CpuProfileChunk; timeDeltas?: number[]; url?: string } };
}
interface ProfileNode { id: number; parent?: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } }
interface CpuProfileChunk { nodes?: ProfileNode[]; samples?: number[] }

const LONG_MS = 50;

function mainThread(events: TraceEvent[]): { pid: number; tid: number } {
  // The page's renderer main thread: the CrRendererMain thread with the most work.
  const names = events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  let best = { pid: 0, tid: 0, busy: -1 };
  for (const n of names) {
    const busy = events.filter((e) => e.pid === n.pid && e.tid === n.tid && e.ph === 'X' && e.name === 'RunTask').reduce((s, e) => s + (e.dur ?? 0), 0);
    if (busy > best.busy) best = { pid: n.pid, tid: n.tid, busy };
  }
  return best;
}

function summarise(events: TraceEvent[], navigationStart: number): string[] {
  const { pid, tid } = mainThread(events);
  const onMain = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && e.ts >= navigationStart);
  const tasks = onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) >= LONG_MS * 1000).sort((a, b) => a.ts - b.ts);
  const lines: string[] = [];
  let blocking = 0;
  // Self time per function inside long tasks, from the sampling profiler's chunks.
  const nodes = new Map<number, ProfileNode>();
  const samples: Array<{ ts: number; node: number }> = [];
  let t = 0;
  for (const e of events.filter((x) => x.name === 'ProfileChunk' && x.pid === pid)) {
    const d = e.args?.data;
    for (const n of d?.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    const s = d?.cpuProfile?.samples ?? [];
    const deltas = d?.timeDeltas ?? [];
    if (samples.length === 0 && s.length) t = e.ts;
    for (let i = 0; i < s.length; i++) {
      t += deltas[i] ?? 0;
      samples.push({ ts: t, node: s[i]! });
    }
  }
  const profileStart = events.find((x) => x.name === 'Profile' && x.pid === pid);
  if (profileStart && samples.length) {
    // timeDeltas start from the Profile event's startTime
    const start = (profileStart.args?.data as { startTime?: number } | undefined)?.startTime ?? samples[0]!.ts;
    let tt = start;
    let k = 0;
    for (const e of events.filter((x) => x.name === 'ProfileChunk' && x.pid === pid)) {
      for (const delta of e.args?.data?.timeDeltas ?? []) {
        tt += delta;
        samples[k]!.ts = tt;
        k++;
      }
    }
  }
  const selfIn = new Map<string, number>();
  const totalIn = new Map<string, number>();
  const interval = samples.length > 1 ? (samples[samples.length - 1]!.ts - samples[0]!.ts) / (samples.length - 1) : 0;
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0);
    blocking += (task.dur ?? 0) / 1000 - LONG_MS;
    const parts = new Map<string, number>();
    for (const e of onMain) {
      if (e === task || e.ts < task.ts || e.ts + (e.dur ?? 0) > end) continue;
      if (['EvaluateScript', 'v8.compile', 'v8.compileModule', 'v8.evaluateModule', 'FunctionCall', 'TimerFire', 'FireAnimationFrame', 'ParseHTML', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'RunMicrotasks', 'V8.GC_SCAVENGER', 'MajorGC', 'MinorGC', 'ParseAuthorStyleSheet', 'HitTest', 'EventDispatch', 'v8.run', 'V8.DeserializeContext', 'v8.parseOnBackground', 'ScheduleStyleRecalculation', 'IntersectionObserverController::computeIntersections'].includes(e.name)) {
        parts.set(e.name, (parts.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
      }
    }
    for (const s of samples) {
      if (s.ts < task.ts || s.ts > end) continue;
      const n = nodes.get(s.node);
      if (!n) continue;
      const f = n.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${path.basename(f.url ?? '') || ''}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
      selfIn.set(key, (selfIn.get(key) ?? 0) + interval / 1000);
      const seen = new Set<string>();
      for (let p: ProfileNode | undefined = n; p; p = p.parent === undefined ? undefined : nodes.get(p.parent)) {
        const c = p.callFrame;
        const k = `${c.functionName || '(anonymous)'} ${path.basename(c.url ?? '') || ''}:${c.lineNumber + 1}`;
        if (seen.has(k)) continue;
        seen.add(k);
        totalIn.set(k, (totalIn.get(k) ?? 0) + interval / 1000);
      }
    }
    const url = onMain.find((e) => e.ts >= task.ts && e.ts < end && e.args?.data?.url)?.args?.data?.url ?? '';
    lines.push(`  task at ${Math.round((task.ts - navigationStart) / 1000)} ms: ${Math.round((task.dur ?? 0) / 1000)} ms ${path.basename(url)}  [${[...parts].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => `${k} ${Math.round(v)}`).join(', ')}]`);
  }
  lines.unshift(`blocking (sum over tasks of their time beyond ${LONG_MS} ms, from navigation to the end of the trace): ${Math.round(blocking)} ms, ${tasks.length} long tasks`);
  lines.push('  self time inside long tasks, top functions:');
  for (const [k, v] of [...selfIn].sort((a, b) => b[1] - a[1]).slice(0, 25)) lines.push(`    ${v.toFixed(1).padStart(7)} ms  ${k}`);
  lines.push('  total (inclusive) time inside long tasks, top functions:');
  for (const [k, v] of [...totalIn].sort((a, b) => b[1] - a[1]).slice(0, TOTAL_TOP)) lines.push(`    ${v.toFixed(1).padStart(7)} ms  ${k}`);
  return lines;
}
const TOTAL_TOP = Number(process.env.TOTAL_TOP ?? 40);

function navigationOf(events: TraceEvent[]): number {
  return events.find((e) => e.name === 'navigationStart')?.ts ?? events.filter((e) => e.ph === 'X').reduce((m, e) => Math.min(m, e.ts), Infinity);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'cpu-throttle': { type: 'string', default: '1' }, out: { type: 'string' }, analyze: { type: 'string' } } });
  if (values.analyze) {
    const trace = JSON.parse(readFileSync(values.analyze, 'utf8')) as { traceEvents: TraceEvent[] };
    for (const line of summarise(trace.traceEvents, navigationOf(trace.traceEvents))) console.log(line);
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
    const member = await joinThroughPage(browser, stack, { name: 'Audited', viewport: { width: 1350, height: 940 } });
    await member.page.locator('rt-band[complete]').waitFor({ timeout: 15_000 });
    const cdp = await member.context.newCDPSession(member.page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(values['cpu-throttle']) });
    for (let i = 0; i < Number(values.runs); i++) {
      await browser.startTracing(member.page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'v8', 'disabled-by-default-v8.cpu_profiler', 'blink.user_timing', 'loading', '__metadata'] });
      const before = Date.now();
      await member.page.reload();
      await member.page.locator('rt-band[complete]').waitFor({ timeout: 15_000 });
      // Lighthouse waits for the main thread to go quiet; so does this.
      await member.page.evaluate(() => new Promise<void>((r) => setTimeout(r, 1500)));
      const buf = await browser.stopTracing();
      const loaded = Date.now() - before;
      const trace = JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] };
      if (values.out) writeFileSync(values.out.replace(/\.json$/, `-${i + 1}.json`), buf);
      const nav = navigationOf(trace.traceEvents);
      console.log(`run ${i + 1}: reload to rt-band[complete] + 1.5 s in ${loaded} ms, load average ${os.loadavg()[0]!.toFixed(1)}`);
      for (const line of summarise(trace.traceEvents, nav)) console.log(line);
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
