/**
 * Lighthouse on the band view of a member, on the real stack (server, host agent, the
 * Python simulator), Debian's Chromium, Lighthouse's desktop preset.
 *
 *   npm i --prefix /tmp/lh lighthouse@12          # once, outside the repository
 *   LIGHTHOUSE_DIR=/tmp/lh npx tsx scripts/lighthouse.ts [--runs 3] [--idle] [--cpu-slowdown 3] [--trace-dir /tmp/lh-traces]
 *
 * Lighthouse is not a dependency: it is large and only this measurement needs it. The
 * member joins through the page first (Playwright), in the same browser Lighthouse then
 * drives over its debugging port, with the storage reset off, so the session and the
 * page's "joined before" flag survive into the audited load. Someone else plays the set
 * meanwhile, so clips run and meters move as in a rehearsal (`--idle`: the set stands
 * still). `--cpu-slowdown N` keeps the desktop preset but has Lighthouse's simulation count
 * every main-thread task N times as long: a slower laptop, or this shared machine under
 * load, without loading it. `--trace-dir` keeps each run's Chromium trace, for
 * `npx tsx scripts/band-trace.ts --analyze <file>`. Each run's figures, its longest tasks and the machine's load average are printed
 * and written to bench/results/<time>-lighthouse-band[-idle].json. Run it under the shared
 * lock (flock /tmp/roomtone-heavy.lock …): on a busy machine the figures are the machine's.
 */
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startStack } from '../testkit/stack.ts';
import { ROOT } from '../testkit/root.ts';
import { CHROMIUM, CHROMIUM_ARGS, launchBrowser, joinThroughPage } from '../test/browser/harness.ts';

interface Audit { numericValue?: number; score: number | null; displayValue?: string; details?: { items?: Array<Record<string, unknown>> } }
interface LighthouseResult {
  categories: Record<string, { score: number | null }>;
  audits: Record<string, Audit>;
}
type RunLighthouse = (url: string, flags: Record<string, unknown>, config: unknown) => Promise<{ lhr: LighthouseResult; artifacts?: { Trace?: unknown } } | undefined>;

async function loadLighthouse(): Promise<{ run: RunLighthouse; desktop: unknown }> {
  const dir = process.env.LIGHTHOUSE_DIR;
  if (!dir) throw new Error('set LIGHTHOUSE_DIR to a folder where lighthouse@12 is installed (npm i --prefix /tmp/lh lighthouse@12)');
  const require = createRequire(path.join(path.resolve(dir), 'package.json'));
  const main = await import(pathToFileURL(require.resolve('lighthouse')).href) as { default: RunLighthouse };
  const desktop = await import(pathToFileURL(require.resolve('lighthouse/core/config/desktop-config.js')).href) as { default: unknown };
  return { run: main.default, desktop: desktop.default };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** The desktop preset with its simulated CPU slowed down (the preset's is 1). */
function withCpuSlowdown(preset: unknown, multiplier: number): unknown {
  const config = preset as { settings: { throttling: Record<string, unknown> } };
  return { ...config, settings: { ...config.settings, throttling: { ...config.settings.throttling, cpuSlowdownMultiplier: multiplier } } };
}

const ms = (a: Audit | undefined): number => Math.round(a?.numericValue ?? NaN);

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, idle: { type: 'boolean', default: false }, 'cpu-slowdown': { type: 'string', default: '1' }, 'trace-dir': { type: 'string' } } });
  const runs = Number(values.runs);
  const idle = values.idle;
  const slowdown = Number(values['cpu-slowdown']);
  const { run, desktop: preset } = await loadLighthouse();
  const desktop = slowdown === 1 ? preset : withCpuSlowdown(preset, slowdown);
  const stack = await startStack();
  const player = await launchBrowser();
  const port = await freePort();
  // Lighthouse needs a debugging port and opens its tab in the browser's default context:
  // a persistent context is that one, so the member who joins through it is who is audited.
  const profile = mkdtempSync(path.join(os.tmpdir(), 'roomtone-lighthouse-'));
  const audited = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, ignoreHTTPSErrors: true, viewport: { width: 1350, height: 940 },
    args: [...CHROMIUM_ARGS, `--remote-debugging-port=${port}`, '--ignore-certificate-errors'],
  });
  const rows: Array<Record<string, number>> = [];
  const longTasks: Array<Array<{ url: string; startMs: number; durationMs: number }>> = [];
  try {
    const band = await joinThroughPage(player, stack, { name: 'Player' });
    await band.page.locator('[data-track-name]').first().waitFor();
    if (!idle) {
      await band.page.getByRole('button', { name: 'Play from start' }).click();
      for (const clip of (await band.page.locator('button[data-clip]').all()).slice(0, 4)) await clip.click();
      await band.page.locator('button[data-state="playing"]').first().waitFor({ timeout: 8_000 });
    }

    const page = audited.pages()[0] ?? await audited.newPage();
    await page.goto(`${stack.url}/?code=${encodeURIComponent(stack.joinCode)}`);
    await page.getByLabel('Your name').fill('Audited');
    await page.getByRole('button', { name: 'Join', exact: true }).click();
    await page.locator('rt-band[complete]').waitFor({ timeout: 15_000 });
    const url = page.url();
    await page.goto('about:blank'); // only Lighthouse's tab runs the page
    for (let i = 0; i < runs; i++) {
      const result = await run(url, { port, disableStorageReset: true, onlyCategories: ['performance', 'accessibility'], output: 'json', logLevel: 'error' }, desktop);
      if (!result) throw new Error('Lighthouse returned nothing');
      const traceDir = values['trace-dir'];
      if (traceDir && result.artifacts?.Trace) {
        mkdirSync(traceDir, { recursive: true });
        writeFileSync(path.join(traceDir, `lighthouse-band-${i + 1}.json`), JSON.stringify(result.artifacts.Trace));
      }
      const { audits, categories } = result.lhr;
      const row = {
        performance: Math.round((categories.performance?.score ?? NaN) * 100),
        accessibility: Math.round((categories.accessibility?.score ?? NaN) * 100),
        totalBlockingTimeMs: ms(audits['total-blocking-time']),
        largestContentfulPaintMs: ms(audits['largest-contentful-paint']),
        firstContentfulPaintMs: ms(audits['first-contentful-paint']),
        mainThreadWorkMs: ms(audits['mainthread-work-breakdown']),
        scriptEvaluationMs: ms(audits['bootup-time']),
        domElements: ms(audits['dom-size']),
        transferBytes: ms(audits['total-byte-weight']),
        loadAverage1m: Math.round(os.loadavg()[0]! * 10) / 10,
      };
      rows.push(row);
      const tasks = (audits['long-tasks']?.details?.items ?? []).map((t) => ({ url: typeof t.url === 'string' ? t.url : '', startMs: Math.round(Number(t.startTime ?? 0)), durationMs: Math.round(Number(t.duration ?? 0)) }));
      longTasks.push(tasks);
      console.log(`run ${i + 1}: ${JSON.stringify(row)}`);
      console.log(`  longest tasks: ${tasks.slice(0, 5).map((t) => `${t.durationMs} ms at ${t.startMs} ms (${path.basename(t.url) || 'page'})`).join(', ') || 'none'}`);
    }
    await band.close();
  } finally {
    await audited.close();
    rmSync(profile, { recursive: true, force: true });
    await player.close();
    await stack.stop();
  }
  const range = (k: string) => {
    const v = rows.map((r) => r[k]!);
    return `${Math.min(...v)}–${Math.max(...v)}`;
  };
  const presetName = slowdown === 1 ? 'desktop preset' : `desktop preset, CPU ${slowdown}× slower`;
  console.log(`band view${idle ? ' (set standing still)' : ' (set playing)'}, ${presetName}, ${rows.length} runs: total blocking time ${range('totalBlockingTimeMs')} ms, accessibility ${range('accessibility')}, performance ${range('performance')}, main-thread work ${range('mainThreadWorkMs')} ms, ${range('domElements')} DOM elements, ${range('transferBytes')} bytes transferred`);
  const out = path.join(ROOT, 'bench', 'results');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `${new Date().toISOString().slice(0, 19).replace(/:/g, '-')}-lighthouse-band${idle ? '-idle' : ''}${slowdown === 1 ? '' : `-cpu${slowdown}x`}.json`);
  writeFileSync(file, `${JSON.stringify({ what: `Lighthouse ${presetName}, band view of a member, demo set ${idle ? 'standing still' : 'playing'}`, chromium: CHROMIUM, runs: rows, longTasks }, null, 2)}\n`);
  console.log(`written to ${path.relative(ROOT, file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
