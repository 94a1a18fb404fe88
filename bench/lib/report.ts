import type { Machine } from './machine.ts';

export interface BenchResults {
  at: string;
  machine: Machine;
  /** 1-minute load average when the run ended (machine.loadAvg1m is at the start). */
  loadAvgAtEnd: number | null;
  settings: Record<string, unknown>;
  scenarios: Record<string, unknown>;
}

type Row = [figure: string, value: string, goal: string, verdict: string];

const get = (obj: unknown, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
const num = (v: unknown, unit = '', digits = 1): string => (typeof v === 'number' && Number.isFinite(v) ? `${Number(v.toFixed(digits))}${unit}` : '—');
const verdict = (ok: boolean | null): string => (ok === null ? '—' : ok ? 'met' : 'MISSED');
const kb = (v: unknown): string => (typeof v === 'number' ? `${(v / 1024).toFixed(0)} KB` : '—');
const mb = (v: unknown): string => (typeof v === 'number' ? `${(v / 1024 / 1024).toFixed(1)} MB` : '—');

function windowLoad(s: Record<string, unknown>, name: string): string {
  const start = get(s, `${name}.cpu.loadAtStart.one`);
  const end = get(s, `${name}.cpu.loadAtEnd.one`);
  return `${num(start, '', 2)} → ${num(end, '', 2)}, ${num(get(s, `${name}.cpu.othersPercent`), ' % of a core', 0)} (${num(get(s, `${name}.cpu.cores`), ' cores', 0)})`;
}

/** The short table the bench prints and docs/benchmarks.md carries. */
export function renderTable(r: BenchResults): string {
  const s = r.scenarios;
  const rows: Row[] = [];
  const failed = (name: string): boolean => {
    const e = get(s, `${name}.error`);
    if (typeof e === 'string') rows.push([name, `failed: ${e.split('\n')[0]!.slice(0, 80)}`, '', 'MISSED']);
    return typeof e === 'string' || s[name] === undefined;
  };
  if (!failed('throughput')) {
    const cps = get(s, 'throughput.commandsPerSecond') as number;
    const p99 = get(s, 'throughput.p99Ms') as number;
    const lost = get(s, 'throughput.lost') as number;
    rows.push(['throughput: acked commands/s (50 clients, offered ' + num(get(s, 'throughput.offeredPerSecond'), '/s', 0) + ')', num(cps, '', 0), '≥ 5000', verdict(cps >= 5000)]);
    rows.push(['throughput: p50 / p99 latency', `${num(get(s, 'throughput.p50Ms'), ' ms')} / ${num(p99, ' ms')}`, 'p99 ≤ 50 ms', verdict(p99 <= 50)]);
    rows.push(['throughput: lost (no answer)', num(lost, '', 0), '0', verdict(lost === 0)]);
    const errors = get(s, 'throughput.errors') as Record<string, number> | undefined;
    if (errors && Object.keys(errors).length) rows.push(['throughput: refused answers', Object.entries(errors).map(([k, v]) => `${k} ${v}`).join(', '), '', '']);
    const cpu = get(s, 'throughput.cpuPercent') as Record<string, number | null> | undefined;
    if (cpu) rows.push(['throughput: CPU % server / agent / sim / clients (sockets / docs)', `${cpu.server} / ${cpu.agent} / ${cpu.simulator} / ${cpu.bench} / ${cpu.docs}`, '', '']);
    rows.push(['throughput: the load generator\'s own event-loop delay p99', num(get(s, 'throughput.benchLoopDelayMs.p99'), ' ms'), '', '']);
    const us = get(s, 'throughput.cpuUsPerCommand.server') as number | null;
    rows.push(['throughput: server CPU per command answered (agent)', `${num(us, ' µs', 0)} (${num(get(s, 'throughput.cpuUsPerCommand.agent'), ' µs', 0)})`, '≤ 50 µs', verdict(typeof us === 'number' ? us <= 50 : null)]);
    rows.push(['throughput: machine during the window: load avg start → end, others\' CPU', windowLoad(s, 'throughput'), '', '']);
  }
  if (!failed('throughputBare')) {
    rows.push(['bare pass-through chain at the same rate: CPU per command, server (relay)', `${num(get(s, 'throughputBare.cpuUsPerCommand.server'), ' µs', 0)} (${num(get(s, 'throughputBare.cpuUsPerCommand.agent'), ' µs', 0)})`, '', '']);
    rows.push(['bare pass-through chain: acked/s, p50 / p99', `${num(get(s, 'throughputBare.commandsPerSecond'), '', 0)}, ${num(get(s, 'throughputBare.p50Ms'), ' ms')} / ${num(get(s, 'throughputBare.p99Ms'), ' ms')}`, '', '']);
  }
  if (!failed('throughputLow')) {
    rows.push([`throughput at ${num(get(s, 'throughputLow.offeredPerSecond'), '/s', 0)} offered: acked/s, p50 / p99, lost`, `${num(get(s, 'throughputLow.commandsPerSecond'), '', 0)}, ${num(get(s, 'throughputLow.p50Ms'), ' ms')} / ${num(get(s, 'throughputLow.p99Ms'), ' ms')}, ${num(get(s, 'throughputLow.lost'), '', 0)}`, '', '']);
    rows.push([`throughput at ${num(get(s, 'throughputLow.offeredPerSecond'), '/s', 0)}: server CPU per command (agent)`, `${num(get(s, 'throughputLow.cpuUsPerCommand.server'), ' µs', 0)} (${num(get(s, 'throughputLow.cpuUsPerCommand.agent'), ' µs', 0)})`, '', '']);
  }
  if (!failed('overhead')) {
    const ratio = get(s, 'overhead.ratio') as number;
    rows.push(['overhead: system.ping median, whole chain', num(get(s, 'overhead.wholeChain.p50'), ' ms', 2), '', '']);
    rows.push(['overhead: same, bare pass-through chain', num(get(s, 'overhead.bareChain.p50'), ' ms', 2), '', '']);
    rows.push(['overhead: ratio', num(ratio, '×', 2), '≤ 1.5', verdict(ratio <= 1.5)]);
    rows.push(['overhead: a read on Live’s main thread (parameter.get) median / bare chain answering on a tick', `${num(get(s, 'overhead.liveRead.p50'), ' ms', 2)} / ${num(get(s, 'overhead.bareChainTicked.p50'), ' ms', 2)}`, '', '']);
    rows.push(['overhead: ratio of those two (the tick is in both)', num(get(s, 'overhead.ratioTickMatched'), '×', 2), '', '']);
  }
  if (!failed('fanout')) {
    const ratio = get(s, 'fanout.ratioVsReference') as number;
    rows.push(['fan-out to 100 set docs: p50 / p99', `${num(get(s, 'fanout.p50Ms'), ' ms')} / ${num(get(s, 'fanout.p99Ms'), ' ms')}`, '', '']);
    rows.push(['fan-out: reference y-websocket over wss (same transport) p50 / p99', `${num(get(s, 'fanout.reference.docs.p50'), ' ms')} / ${num(get(s, 'fanout.reference.docs.p99'), ' ms')}`, '', '']);
    rows.push(['fan-out: ratio vs reference (p50)', num(ratio, '×', 2), '≤ 1.2', verdict(ratio <= 1.2)]);
    rows.push(['fan-out: reference over plain ws p50 / p99, ratio', `${num(get(s, 'fanout.referencePlainWs.docs.p50'), ' ms')} / ${num(get(s, 'fanout.referencePlainWs.docs.p99'), ' ms')}, ${num(get(s, 'fanout.ratioVsPlainWs'), '×', 2)}`, '', '']);
    rows.push(['fan-out: 1 doc (chain fixed cost) p50', num(get(s, 'fanout.roomtone.oneDoc.p50'), ' ms'), '', '']);
    rows.push(['fan-out: spread after first doc p99, ours / reference', `${num(get(s, 'fanout.roomtone.spread.p99'), ' ms')} / ${num(get(s, 'fanout.reference.spread.p99'), ' ms')}`, '', '']);
    rows.push(['fan-out: server CPU per change to 100 docs, ours / reference (idle % of a core before, ours / reference)', `${num(get(s, 'fanout.roomtone.cpuUsPerChange'), ' µs', 0)} / ${num(get(s, 'fanout.reference.cpuUsPerChange'), ' µs', 0)} (${num(get(s, 'fanout.roomtone.idleCpuPercent'), '')} / ${num(get(s, 'fanout.reference.idleCpuPercent'), '')})`, '', '']);
  }
  if (!failed('contended')) {
    const goal = get(s, 'contended.goalMs') as number;
    const p99 = get(s, 'contended.all.p99') as number;
    const docP99 = get(s, 'contended.docs.latency.p99') as number;
    const lost = get(s, 'contended.lost') as number;
    rows.push(['contended (30 faders at 60 Hz + 10 launchers, one core busy): command → answer p50 / p99', `${num(get(s, 'contended.all.p50'), ' ms')} / ${num(p99, ' ms')}`, `p99 ≤ ${num(goal, ' ms')}`, verdict(p99 <= goal)]);
    rows.push(['contended: moves p99 / launches p99', `${num(get(s, 'contended.moves.p99'), ' ms')} / ${num(get(s, 'contended.launches.p99'), ' ms')}`, '', '']);
    rows.push(['contended: a hand\'s value → in Live (ok answer for it or a later value) p50 / p99; frames that waited (G6)', `${num(get(s, 'contended.handToLive.p50'), ' ms')} / ${num(get(s, 'contended.handToLive.p99'), ' ms')}; ${num(get(s, 'contended.frames.waited'), '', 0)} of ${num(get(s, 'contended.frames.made'), '', 0)}`, '', '']);
    rows.push(['contended: change in Live → the set doc of every 8th browser p50 / p99', `${num(get(s, 'contended.docs.latency.p50'), ' ms')} / ${num(docP99, ' ms')}`, `p99 ≤ ${num(goal, ' ms')}`, verdict(docP99 <= goal)]);
    rows.push(['contended: lost; refused (with retryAfterMs), refusal p99', `${num(lost, '', 0)}; ${num(get(s, 'contended.refusals.n'), '', 0)} (${num(get(s, 'contended.refusals.withRetryAfter'), '', 0)}), ${num(get(s, 'contended.refusals.latency.p99'), ' ms')}`, '0 lost', verdict(lost === 0)]);
    rows.push(['contended: server CPU per command; CPU % server / hog / timed docs / other docs (nice 19)', `${num(get(s, 'contended.cpuUsPerCommand.server'), ' µs', 0)}; ${num(get(s, 'contended.cpu.percent.server'), '', 0)} / ${num(get(s, 'contended.hogCpuPercent'), '', 0)} / ${num(get(s, 'contended.cpu.percent.docs'), '', 0)} / ${num(get(s, 'contended.cpu.percent.docLoad'), '', 0)}`, '', '']);
    rows.push(['contended: machine during the window: load avg start → end, others\' CPU', windowLoad(s, 'contended'), '', '']);
  }
  if (!failed('coalescing')) {
    const w = get(s, 'coalescing.maxWritesPerControlPerTick') as number;
    const landed = get(s, 'coalescing.finalValuesLanded') as boolean;
    rows.push(['coalescing: max writes per control per tick (20 clients × 60 Hz, 8 faders)', num(w, '', 0), '≤ 1', verdict(w <= 1)]);
    rows.push(['coalescing: every release value landed', landed ? 'yes' : 'no', 'yes', verdict(landed)]);
  }
  if (!failed('uploads')) {
    const runs = (get(s, 'uploads.throughput.runs') as Array<{ mbPerSecond: number; serverCpuMsPerMiB: number | null; serverRssGrowthMiB: number | null }> | undefined) ?? [];
    const list = (f: (r: (typeof runs)[number]) => number | null, unit: string): string => runs.map((r) => num(f(r), unit)).join(' / ');
    rows.push([`upload ${num(get(s, 'uploads.throughput.mib'), ' MiB', 0)} over loopback HTTPS (tus): MiB/s per run`, list((r) => r.mbPerSecond, ''), '', '']);
    rows.push(['upload: server CPU ms per MiB / server RSS growth during it', `${list((r) => r.serverCpuMsPerMiB, ' ms')} / ${list((r) => r.serverRssGrowthMiB, ' MiB')}`, '', '']);
    const without = (get(s, 'uploads.faders.without') as Array<{ p99: number }> | undefined) ?? [];
    const withUploads = (get(s, 'uploads.faders.withUploads') as Array<{ p99: number }> | undefined) ?? [];
    const ratio = get(s, 'uploads.faders.p99RatioMedian') as number;
    rows.push([`fader p99, ${num(get(s, 'uploads.faders.clients'), '', 0)} dragging browsers: without / with two large uploads, per pair`, without.map((w, i) => `${num(w.p99, '')}/${num(withUploads[i]?.p99, '')}`).join(', ') + ' ms', '', '']);
    rows.push(['fader p99 with uploads ÷ without (median of pairs)', num(ratio, '×', 2), '≤ 1.10×', verdict(ratio <= 1.1)]);
  }
  if (!failed('memory')) {
    const per = get(s, 'memory.bytesPerClient') as number;
    rows.push(['memory: server RSS with 0 / 100 / 200 idle clients', `${mb(get(s, 'memory.points.0.rssBytes'))} / ${mb(get(s, 'memory.points.1.rssBytes'))} / ${mb(get(s, 'memory.points.2.rssBytes'))}`, '', '']);
    rows.push(['memory: per idle client (socket.io + set doc), RSS 0→200', kb(per), '≤ 150 KB', verdict(per <= 150 * 1024)]);
    rows.push(['memory: per idle client, RSS 100→200 / V8 heap after GC 0→200', `${kb(get(s, 'memory.bytesPerClientSecondHundred'))} / ${kb(get(s, 'memory.heapBytesPerClient'))}`, '', '']);
  }
  if (!failed('startup')) {
    rows.push(['startup: npm start to ready, first / warm', `${num(get(s, 'startup.firstStart.ms'), ' ms', 0)} / ${num(get(s, 'startup.warmStart.ms'), ' ms', 0)}`, '', '']);
  }
  if (!failed('script')) {
    rows.push(['Remote Script alone (sim, TCP direct): commands/s, events/s', `${num(get(s, 'script.commandsPerSecond'), '', 0)}, ${num(get(s, 'script.eventsPerSecond'), '', 0)}`, '', '']);
    rows.push(['Remote Script alone: commands / events per tick, ticks/s', `${num(get(s, 'script.commandsPerTick'))} / ${num(get(s, 'script.eventsPerTick'))}, ${num(get(s, 'script.ticksPerSecond'))}`, '', '']);
  }
  const m = r.machine;
  const head = `Measured ${r.at} on ${m.cores} cores (${m.cpuModel}), Node ${m.node}, Python ${m.python}, ${m.platform}; simulator at ${String(r.settings.tickHz)} Hz, ${String(r.settings.seconds)} s windows; load average ${m.loadAvg1m} at the start, ${String(r.loadAvgAtEnd)} at the end${m.loadAvg1m > m.cores ? ' (the machine was busy with other work: read the figures as a floor)' : ''}.`;
  const table = ['| Figure | Value | Goal | |', '|---|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)];
  return [head, '', ...table].join('\n');
}
