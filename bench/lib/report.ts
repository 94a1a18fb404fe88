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
  if (!failed('intent')) {
    const p99 = get(s, 'intent.demo.ms.p99') as number;
    rows.push([`words: intent.parse over the corpus (${num(get(s, 'intent.demo.phrases'), '', 0)} phrasings, demo set) p50 / p99`, `${num(get(s, 'intent.demo.ms.p50'), ' ms', 3)} / ${num(p99, ' ms', 3)}`, 'p99 < 100 ms', verdict(p99 < 100)]);
    rows.push(['words: CPU per parse, demo set / a command\'s schema step (baseline)', `${num(get(s, 'intent.demo.cpuUsPerParse'), ' µs')} / ${num(get(s, 'intent.commandSchemaStep.cpuUsPerParse'), ' µs')}`, '', '']);
    rows.push([`words: heavy set (${num(get(s, 'intent.heavy.tracks'), '', 0)} tracks, ${num(get(s, 'intent.heavy.params'), '', 0)} parameters) p50 / p99, CPU per parse`, `${num(get(s, 'intent.heavy.ms.p50'), ' ms', 3)} / ${num(get(s, 'intent.heavy.ms.p99'), ' ms', 3)}, ${num(get(s, 'intent.heavy.cpuUsPerParse'), ' µs')}`, '', '']);
    rows.push(['words: building the name index, demo / heavy (after a rename), p50', `${num(get(s, 'intent.indexBuildMs.demo.p50'), ' ms', 2)} / ${num(get(s, 'intent.indexBuildMs.heavy.p50'), ' ms', 2)}`, '', '']);
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
  if (!failed('heavySet')) {
    const h = 'heavySet';
    const g = (p: string): unknown => get(s, `${h}.${p}`);
    const n = (p: string, unit = ' ms', d = 1): string => num(g(p), unit, d);
    const maxBuild = g('building.maxMs') as number;
    const loadMax = Math.max(g('load.busy.maxMs') as number, g('load.idle.maxMs') as number, g('load.building.maxMs') as number);
    const loadP99 = g('load.busy.p99Ms') as number;
    rows.push(['heavy set: tracks / devices / parameters / browser items', `${n('set.tracks', '', 0)} / ${n('set.devices', '', 0)} / ${n('set.parameters', '', 0)} / ${n('set.browserItems', '', 0)}`, '', '']);
    rows.push(['heavy set: script start → complete mirror', n('mirrorCompleteMs', ' ms', 0), '≤ 5000 ms', verdict((g('mirrorCompleteMs') as number) <= 5000)]);
    rows.push(['heavy set: tick while building max / p99 / median (without GC pauses: max / p99)', `${n('building.maxMs')} / ${n('building.p99Ms')} / ${n('building.p50Ms')} (${n('building.maxMsWithoutGc')} / ${n('building.p99MsWithoutGc')})`, 'max ≤ 8 ms', verdict(maxBuild <= 8)]);
    rows.push(['heavy set: tick idle max / p99 / median / mean', `${n('idle.maxMs', ' ms', 3)} / ${n('idle.p99Ms', ' ms', 3)} / ${n('idle.p50Ms', ' ms', 3)} / ${n('idle.meanMs', ' ms', 3)}`, '≤ 0.3 ms', verdict((g('idle.p50Ms') as number) <= 0.3)]);
    rows.push(['heavy set: tick with 200 automated params + 20 dragging: max / p99 / median', `${num(loadMax, ' ms')} / ${n('load.busy.p99Ms')} / ${n('load.busy.p50Ms')}`, 'p99 ≤ 3 ms, max ≤ 8', verdict(loadP99 <= 3 && loadMax <= 8)]);
    rows.push(['heavy set: the script\'s own CPU per tick (thread time, GC excluded): building max / p99, under load max / p99', `${n('building.maxCpuMsWithoutGc')} / ${n('building.p99CpuMsWithoutGc')}, ${n('load.busy.maxCpuMsWithoutGc')} / ${n('load.busy.p99CpuMsWithoutGc')}`, '≤ 8 ms', verdict(Math.max(g('building.maxCpuMsWithoutGc') as number, g('load.busy.maxCpuMsWithoutGc') as number) <= 8)]);
    rows.push(['heavy set: idle tick CPU median / p99 / max', `${n('idle.p50CpuMs', ' ms', 3)} / ${n('idle.p99CpuMs', ' ms', 3)} / ${n('idle.maxCpuMs', ' ms', 3)}`, '≤ 0.3 ms', verdict((g('idle.p50CpuMs') as number) <= 0.3)]);
    const slow = g('load.slowestTick') as { cpuMs: number; ms?: number; commands?: number; changes?: number; jobSteps?: number } | undefined;
    if (slow) rows.push(['heavy set: under load, the tick that cost most CPU: CPU / wall, what it did', `${num(slow.cpuMs, ' ms')} / ${num(slow.ms, ' ms')}: ${String(slow.commands)} commands, ${String(slow.changes)} changes, ${String(slow.jobSteps)} job steps`, '', '']);
    rows.push(['heavy set: the script\'s CPU under that load', n('load.scriptCpuMsPerSecond', ' ms/s'), '', '']);
    const answers = g('load.answers') as Record<string, number> | undefined;
    if (answers) rows.push(['heavy set: answers to the drags; their p50 / p99', `${Object.entries(answers).map(([k, v]) => `${k} ${v}`).join(', ')}; ${n('load.answerLatencyMs.p50')} / ${n('load.answerLatencyMs.p99')}`, '', '']);
    rows.push(['heavy set: 20 tracks\' device panels opened: parameters, all read after', `${n('load.panelParams', '', 0)}, ${n('load.panelsReadMs', ' ms', 0)}`, '', '']);
    rows.push(['heavy set: first snapshot bytes, script assembly, agent start → server', `${kb(g('firstSnapshot.bytes'))}, ${n('firstSnapshot.scriptAssembleMs', ' ms', 0)} (${n('firstSnapshot.scriptTicks', ' ticks', 0)}), ${n('firstSnapshot.agentStartToServerMs', ' ms', 0)}`, '', '']);
    rows.push(['heavy set: set doc on the server; encoding it / applying it to an empty doc', `${kb(g('setDocBytes'))}; ${n('setDocEncodeMs', ' ms', 0)} / ${n('setDocApplyMs', ' ms', 0)}`, '', '']);
    rows.push(['heavy set: a new tablet\'s first sync', `${kb(g('tablet.firstSyncBytes'))} in ${n('tablet.firstSyncMs', ' ms', 0)}`, '≤ 1000 ms', verdict((g('tablet.firstSyncMs') as number) <= 1000)]);
    rows.push([`heavy set: ${n('devicePanel.paramCount', '', 0)}-parameter panel: first values / all`, `${n('devicePanel.firstValuesMs', ' ms', 0)} / ${n('devicePanel.allValuesMs', ' ms', 0)}`, '≤ 300 ms', verdict((g('devicePanel.firstValuesMs') as number) <= 300)]);
    rows.push(['heavy set: browser search p50 / max (index built)', `${n('search.p50')} / ${n('search.max')}`, '≤ 100 ms', verdict((g('search.max') as number) <= 100)]);
  }
  const m = r.machine;
  const head = `Measured ${r.at} on ${m.cores} cores (${m.cpuModel}), Node ${m.node}, Python ${m.python}, ${m.platform}; simulator at ${String(r.settings.tickHz)} Hz, ${String(r.settings.seconds)} s windows; load average ${m.loadAvg1m} at the start, ${String(r.loadAvgAtEnd)} at the end${m.loadAvg1m > m.cores ? ' (the machine was busy with other work: read the figures as a floor)' : ''}.`;
  const table = ['| Figure | Value | Goal | |', '|---|---|---|---|', ...rows.map((row) => `| ${row.join(' | ')} |`)];
  return [head, '', ...table].join('\n');
}
