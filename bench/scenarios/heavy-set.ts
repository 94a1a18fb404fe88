import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { z } from 'zod';
import type { BenchContext } from '../lib/context.ts';
import { SimProcess } from '../../testkit/sim.ts';
import { cpuMs } from '../../testkit/proc-stats.ts';
import { nowMs, pause, round, summarize, type Summary } from '../lib/stats.ts';
import { openClients, closeAll, type BenchClient } from '../lib/room-clients.ts';
import { DEFAULTS, type ServerConfig } from '../../server/config.ts';
import { RoomtoneServer } from '../../server/roomtone-server.ts';
import readline from 'node:readline';
import { spawnTs, type ReadyProcess } from '../lib/proc.ts';
import { ROOT } from '../../testkit/root.ts';
import { until } from '../../testkit/poll.ts';
import { openDoc } from '../../testkit/clients.ts';
import { stopProcess } from '../../testkit/stack.ts';
import { ROOM_EVENTS } from '../../protocol/index.ts';

/** The Remote Script's own tick figures (instance.stats().tickMs[phase]), milliseconds of wall time. */
export interface TickFigures { ticks: number; maxMs: number; p50Ms: number; p99Ms: number; meanMs: number; gcMs: number; ticksWithGc: number; maxMsWithoutGc: number; p99MsWithoutGc: number; cpuMs: number; maxCpuMs: number }

/** The script's `stats().slowestTick`. */
export interface SlowestTick { cpuMs: number; ms?: number; gcMs?: number; phase?: string; commands?: number; changes?: number; jobSteps?: number }

export interface HeavySetResult {
  set: { tracks: number; devices: number; parameters: number; clipSlots: number; clips: number; browserItems: number };
  /** The simulator making the heavy set (Live loading the .als): not the script's work. */
  simulatorReadyMs: number;
  /** From create_instance to a mirror of the whole set (the script's own clock). */
  mirrorCompleteMs: number;
  /** Ticks while the mirror was being built (no agent yet). */
  building: TickFigures;
  ticksOverBudgetWhileBuilding: number;
  ticksOverBudgetWhileBuildingWithoutGc: number;
  /** The tick that cost the most CPU (collector apart) up to the complete mirror, and what it did. */
  slowestWhileBuilding: SlowestTick;
  /** Live's browser indexed after the mirror: ms from the mirror being complete. */
  browserIndexMs: number;
  browserIndexItems: number;
  firstSnapshot: { bytes: number; entities: number; scriptAssembleMs: number; scriptTicks: number; agentStartToServerMs: number };
  setDocBytes: number;
  /** Encoding the whole set doc (the server's part of a first sync) and applying it to an empty doc (a tablet's part). */
  setDocEncodeMs: number;
  setDocApplyMs: number;
  tablet: { firstSyncMs: number; firstSyncBytes: number };
  devicePanel: { device: string; paramCount: number; firstValuesMs: number; allValuesMs: number };
  search: Summary & { building: boolean };
  idle: TickFigures;
  load: {
    seconds: number;
    automated: number;
    browsers: number;
    movesSent: number;
    answers: Record<string, number>;
    firstErrors: Record<string, string>;
    /** Parameters of the 20 tracks' device panels, and the time from opening them until all were read. */
    panelParams: number;
    panelsReadMs: number;
    /** Command answer times the dragging browsers saw. */
    answerLatencyMs: { p50: number | null; p99: number | null; max: number | null };
    busy: TickFigures;
    idle: TickFigures;
    building: TickFigures;
    ticksOverBudget: number;
    slowestTick: SlowestTick;
    /** The simulator process (Live and the script together) over the window. */
    simulatorCpuPercent: number | null;
    scriptCpuMsPerSecond: number;
  };
}

/** The simulator's own counters, read as the bench's figures (not a wire between parts: nothing parses them further). */
async function evalSim<T>(sim: SimProcess, expr: string): Promise<T> {
  return sim.eval(expr, z.custom<T>(() => true));
}

async function tickFigures(sim: SimProcess, phase: string): Promise<TickFigures> {
  return evalSim<TickFigures>(sim, `instance.stats()['tickMs']['${phase}']`);
}

const QUERIES = ['warm pad', 'kick', 'dusty', 'bass', 'reverb', 'vintage keys', 'snare', 'glass', 'nebula', 'choir',
  'analog', 'tape', 'shaker', 'lead', 'operator', 'hall', 'clap', 'strings', 'pluck', 'drone'];

/**
 * The heavy set (`run.py --set heavy`: 114 tracks, 615 track devices, 68,000+ parameters,
 * a 20,000-item browser) through the real chain, the room server and host agent in this
 * process: how long the Remote Script takes to mirror it and what each tick costs Live's
 * main thread while building, idle, and with 200 automated parameters and 20 browsers
 * dragging faders; the first snapshot, the set doc, a new tablet's first sync, a
 * 1,000-parameter device panel and browser searches.
 */
export async function heavySet(ctx: BenchContext): Promise<HeavySetResult> {
  const t0 = nowMs();
  ctx.log('  simulator: building the heavy set…');
  const sim = await SimProcess.start({ tickHz: 100, args: ['--set', 'heavy'] });
  const simulatorReadyMs = round(nowMs() - t0, 0);
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-bench-heavy-'));
  let server: RoomtoneServer | null = null;
  let agent: ChildProcess | null = null;
  let dragLoad: ReadyProcess | null = null;
  const clients: BenchClient[] = [];
  try {
    const set = await evalSim<HeavySetResult['set']>(sim, `(lambda s, L: {
      'tracks': len(s.tracks), 'clipSlots': sum(len(t.clip_slots) for t in s.tracks),
      'clips': sum(1 for t in s.tracks for c in t.clip_slots if c.has_clip),
      'devices': sum(1 for o in world.song._owned() if hasattr(o, '_dspec')),
      'parameters': sum(1 for o in world.song._owned() if o._key == 'DeviceParameter.DeviceParameter'),
      'browserItems': sum(L.count(getattr(app.browser, c)) for c in ('instruments','audio_effects','midi_effects','drums','sounds','plugins'))})(song, __import__('livesim.library', fromlist=['x']))`);
    ctx.log(`  the set: ${set.tracks} tracks, ${set.devices} devices, ${set.parameters} parameters, ${set.clips} clips; browser ${set.browserItems} items`);
    await until(async () => evalSim<boolean>(sim, 'instance.mirror.complete_at is not None'), 'the script to mirror the whole set', 120_000, 100);
    const mirrorCompleteMs = await evalSim<number>(sim, "instance.stats()['builtMs']");
    const building = await tickFigures(sim, 'building');
    const over = await evalSim<[number, number]>(sim, '[instance.tick_stats.over_budget, instance.tick_stats.over_budget_nogc]');
    const slowestWhileBuilding = await evalSim<SlowestTick>(sim, "instance.stats()['slowestTick']");
    ctx.log(`  mirror complete after ${mirrorCompleteMs} ms; building ticks max ${building.maxMs} ms (without GC ${building.maxMsWithoutGc}), p99 ${building.p99Ms}`);
    await until(async () => evalSim<boolean>(sim, 'instance.browser_index.ready'), 'the browser index', 120_000, 100);
    const browserIndexMs = await evalSim<number>(sim, 'round((instance.browser_index.built_at - instance.mirror.complete_at) * 1000)');
    const browserIndexItems = await evalSim<number>(sim, 'len(instance.browser_index.items)');

    // The room server here (so the first snapshot can be timed); the host agent in its own
    // process, as the launcher runs it (its start includes Node's).
    const config: ServerConfig = {
      ...DEFAULTS, port: 0, httpPort: -1, host: '127.0.0.1', mdns: false, live: 'real',
      scriptPort: sim.port, dataDir, certsDir: path.join(dataDir, 'certs'), rateLimit: { perSecond: 1000, burst: 2000 },
    };
    server = await RoomtoneServer.start(config);
    const { started } = server;
    await sim.exec('instance._reset_stats()');
    const a0 = nowMs();
    agent = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'host-agent', 'main.ts'), '--server', `https://127.0.0.1:${started.port}`,
      '--token-file', started.deviceTokenPath, '--room', 'studio', '--script-host', '127.0.0.1', '--script-port', String(sim.port),
      '--ca-file', started.caCertPath, '--script-secret-file', sim.secretFile], { cwd: ROOT, stdio: ['pipe', 'ignore', 'ignore'] });
    const srv = server;
    await until(() => srv.parts.room.mirror.snapshots > 0, 'the first snapshot at the server', 60_000, 5);
    const agentStartToServerMs = round(nowMs() - a0, 0);
    const snap = await evalSim<{ bytes: number; entities: number; assembleMs: number; ticks: number }>(sim, "instance.stats()['lastSnapshot']");
    // What a first sync costs at each end: the server encodes the doc (sync step 2), a
    // tablet applies it. Both here in one process, so the tablet's figure below has both.
    const e0 = nowMs();
    const encoded = Y.encodeStateAsUpdate(srv.parts.room.mirror.doc);
    const setDocEncodeMs = round(nowMs() - e0, 1);
    const setDocBytes = encoded.byteLength;
    const p0 = nowMs();
    Y.applyUpdate(new Y.Doc(), encoded);
    const setDocApplyMs = round(nowMs() - p0, 1);
    ctx.log(`  first snapshot: ${Math.round(snap.bytes / 1024)} KB, ${snap.entities} entities, ${snap.assembleMs} ms in the script over ${snap.ticks} ticks, ${agentStartToServerMs} ms agent start → server; set doc ${Math.round(setDocBytes / 1024)} KB`);

    // Idle: connected, transport stopped, nobody doing anything.
    await sim.exec('instance._reset_stats()');
    await pause(5_000);
    const idle = await tickFigures(sim, 'idle');

    // A new tablet's first sync.
    const peer = { base: `https://127.0.0.1:${started.port}`, ca: readFileSync(started.caCertPath, 'utf8') };
    const [tabletLink] = await openClients(peer, started.joinCode, 1, { room: true, doc: false, prefix: 'tablet' });
    clients.push(tabletLink!);
    const s0 = nowMs();
    const tabletDoc = openDoc(peer, tabletLink!.cookie, 'set');
    const tablet = { socket: tabletLink!.socket, doc: tabletDoc };
    clients.push({ name: 'tablet-doc', cookie: tabletLink!.cookie, socket: null, doc: tabletDoc, close: () => tabletDoc.destroy() });
    const tracksWanted = set.tracks;
    await until(() => ((tabletDoc.doc.getMap('order').get('tracks') as string[] | undefined)?.length ?? 0) >= tracksWanted, 'the tablet to hold every track', 30_000, 2);
    const firstSyncMs = round(nowMs() - s0, 0);
    const firstSyncBytes = Y.encodeStateAsUpdate(tabletDoc.doc).byteLength;

    // A 1,000-parameter plug-in's panel opens on the tablet.
    const doc = tablet.doc.doc;
    const devices = doc.getMap<Y.Map<unknown>>('devices');
    const [pluginId, plugin] = [...devices.entries()].filter(([, d]) => Number(d.get('paramCount')) >= 900)
      .sort((x, y) => Number(y[1].get('paramCount')) - Number(x[1].get('paramCount')))[0]!;
    const paramCount = Number(plugin.get('paramCount'));
    const d0 = nowMs();
    tablet.socket!.emit(ROOM_EVENTS.observe, { devices: [pluginId] });
    const shown = (): number => ((plugin.get('params') as string[] | undefined) ?? []).filter((id) => doc.getMap('params').has(id)).length;
    await until(() => shown() >= 16, 'the panel\'s first values', 30_000, 2);
    const firstValuesMs = round(nowMs() - d0, 0);
    await until(() => shown() >= paramCount, 'all the panel\'s values', 60_000, 5);
    const allValuesMs = round(nowMs() - d0, 0);
    tablet.socket!.emit(ROOM_EVENTS.observe, { devices: [] });
    ctx.log(`  tablet: synced ${Math.round(firstSyncBytes / 1024)} KB in ${firstSyncMs} ms; ${paramCount}-parameter panel: first values ${firstValuesMs} ms, all ${allValuesMs} ms`);

    // Searches.
    const rtts: number[] = [];
    let searchBuilding = false;
    for (const query of QUERIES) {
      const q0 = nowMs();
      const answer = await tablet.socket!.timeout(10_000).emitWithAck('command', { id: `search-${rtts.length}-${Date.now()}`, action: 'browser.search', args: { query, limit: 50 } }) as { ok: boolean; value?: { building: boolean } };
      rtts.push(nowMs() - q0);
      if (!answer.ok) throw new Error(`browser.search failed: ${JSON.stringify(answer)}`);
      searchBuilding ||= answer.value!.building;
    }
    const search = { ...summarize(rtts), building: searchBuilding };

    // Load: 200 automated parameters while playing, 20 browsers each dragging a fader
    // (30 moves a second) with its track's device panels open. The browsers run in their
    // own process (bench/lib/drag-load.ts): in a room they are other devices. The tablet's
    // doc closes first, so this process is the room server and nothing else.
    const seconds = ctx.seconds;
    const browsers = await openClients(peer, started.joinCode, 20, { room: false, doc: false, prefix: 'drag' });
    const order = (doc.getMap('order').get('tracks') as string[]).filter((id) => doc.getMap<Y.Map<unknown>>('tracks').get(id)?.get('kind') !== 'group');
    const faders = order.slice(0, 20);
    const panels = faders.map((id) => (doc.getMap<Y.Map<unknown>>('tracks').get(id)?.get('devices') as string[] | undefined) ?? []);
    clients.splice(clients.findIndex((c) => c.name === 'tablet-doc'), 1);
    tabletDoc.destroy();
    const o0 = nowMs();
    dragLoad = await spawnTs(path.join(ROOT, 'bench', 'lib', 'drag-load.ts'), [], /^drag-load ready/, {
      stdin: JSON.stringify({ base: peer.base, caFile: started.caCertPath, cookies: browsers.map((b) => b.cookie), faders, devices: panels, seconds }) + '\n',
      timeoutMs: 60_000,
    });
    const automated = await evalSim<number>(sim, 'world.automate(200)');
    await sim.exec('song.start_playing()');
    // The 20 tracks' panels are read as a background job, a few milliseconds a tick; the
    // figures under load are taken once that is done (steady automation and dragging).
    await until(async () => evalSim<boolean>(sim, 'len(instance.jobs) == 0'), 'the panels\' parameters', 120_000, 50);
    const panelsReadMs = round(nowMs() - o0, 0);
    const panelParams = await evalSim<number>(sim, `(lambda m, ids: sum(len(m.get(d).props.get('params') or []) for d in ids if m.get(d)))(instance.mirror, ${JSON.stringify(panels.flat())})`);
    await pause(1_000);   // automation runs
    await sim.exec('instance._reset_stats()');
    const cpu0 = cpuMs(sim.pid);
    const w0 = nowMs();
    const resultLine = new Promise<string>((resolve) => {
      readline.createInterface({ input: dragLoad!.child.stdout! }).on('line', (line) => { if (line.startsWith('drag-load result ')) resolve(line); });
    });
    dragLoad.child.stdin!.write('go\n');
    const dragged = await Promise.race([resultLine, pause((seconds + 30) * 1000).then(() => null)]);
    if (!dragged) throw new Error(`drag-load gave no result:\n${dragLoad.output.join('\n')}`);
    const drags = JSON.parse(dragged.slice('drag-load result '.length)) as { seconds: number; movesSent: number; answers: Record<string, number>; firstErrors: Record<string, string>; latency: { p50: number | null; p99: number | null; max: number | null } };
    const windowMs = nowMs() - w0;
    const cpu1 = cpuMs(sim.pid);
    const stats = await evalSim<{ tickMs: Record<string, TickFigures>; ticksOverBudget: number; slowestTick: SlowestTick }>(sim, 'instance.stats()');
    await pause(1_000);
    const scriptCpu = (stats.tickMs.busy!.cpuMs + stats.tickMs.idle!.cpuMs + stats.tickMs.building!.cpuMs);
    await sim.exec('song.stop_playing()');
    return {
      set, simulatorReadyMs, mirrorCompleteMs, building,
      ticksOverBudgetWhileBuilding: over[0], ticksOverBudgetWhileBuildingWithoutGc: over[1], slowestWhileBuilding,
      browserIndexMs, browserIndexItems,
      firstSnapshot: { bytes: snap.bytes, entities: snap.entities, scriptAssembleMs: snap.assembleMs, scriptTicks: snap.ticks, agentStartToServerMs },
      setDocBytes, setDocEncodeMs, setDocApplyMs,
      tablet: { firstSyncMs, firstSyncBytes },
      devicePanel: { device: String(plugin.get('name')), paramCount, firstValuesMs, allValuesMs },
      search,
      idle,
      load: {
        seconds: drags.seconds, automated, browsers: browsers.length, panelParams, panelsReadMs, movesSent: drags.movesSent, answers: drags.answers, firstErrors: drags.firstErrors, answerLatencyMs: drags.latency,
        busy: stats.tickMs.busy!, idle: stats.tickMs.idle!, building: stats.tickMs.building!, ticksOverBudget: stats.ticksOverBudget, slowestTick: stats.slowestTick,
        simulatorCpuPercent: cpu0 !== null && cpu1 !== null ? round(((cpu1 - cpu0) / windowMs) * 100, 1) : null,
        scriptCpuMsPerSecond: round(scriptCpu / (windowMs / 1000), 1),
      },
    };
  } finally {
    closeAll(clients);
    await dragLoad?.stop();
    if (agent) await stopProcess(agent);
    await server?.stop();
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
