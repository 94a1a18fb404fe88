import type { BenchContext } from '../lib/context.ts';
import { SimProcess } from '../../testkit/sim.ts';
import { ScriptLineClient } from '../../testkit/script-line-client.ts';
import { pause, round, nowMs } from '../lib/stats.ts';
import { Prng } from '../../testkit/prng.ts';

export interface ScriptThroughputResult {
  tickHz: number;
  seconds: number;
  commandsPerSecond: number;
  eventsPerSecond: number;
  commandsPerTick: number;
  eventsPerTick: number;
  ticksPerSecond: number;
  maxTickMs: number;
  maxWritesPerControlPerTick: number;
  resultsOk: number;
  resultsError: Record<string, number>;
}

/**
 * The Remote Script alone on the simulator: this bench is its one TCP client and keeps
 * its inbound queue full of command lines (volume, pan, mute on every track), so the
 * figure is what one Live tick can execute, not what the chain can deliver.
 */
export async function scriptThroughput(ctx: BenchContext): Promise<ScriptThroughputResult> {
  const sim = await SimProcess.start({ tickHz: ctx.tickHz });
  const client = await ScriptLineClient.connect(sim.port, '127.0.0.1', true, sim.secretFile);
  try {
    client.send({ type: 'snapshot_request' });
    const snapshot = await client.next<{ entities: Array<{ kind: string; id: string }> }>((l) => l.type === 'snapshot');
    const tracks = snapshot.entities.filter((e) => e.kind === 'track').map((e) => e.id);
    const prng = new Prng(ctx.seed).fork('script-throughput');
    let ok = 0;
    const errors: Record<string, number> = {};
    let events = 0;
    let outstanding = 0;
    let counter = 0;
    const LINE = 50;
    const WINDOW = 600; // commands queued in the script at any time: enough to fill every tick
    client.on((line) => {
      if (line.type === 'results') {
        for (const r of line.results as Array<{ ok: boolean; error?: { code: string } }>) {
          outstanding--;
          if (r.ok) ok++;
          else errors[r.error!.code] = (errors[r.error!.code] ?? 0) + 1;
        }
        pump();
      } else if (line.type === 'events') {
        events += (line.changes as unknown[]).length;
      }
    });
    const makeCommand = (): Record<string, unknown> => {
      const target = prng.pick(tracks);
      const roll = prng.next();
      const base = { id: `s${(counter++).toString(36)}`, target, deadline: Date.now() + 60_000 };
      if (roll < 0.7) return { ...base, action: 'track.set_volume', args: { value: round(prng.next(), 4) } };
      if (roll < 0.9) return { ...base, action: 'track.set_pan', args: { value: round(prng.next() * 2 - 1, 4) } };
      return { ...base, action: 'track.set_mute', args: { value: prng.bool() } };
    };
    let running = true;
    const pump = (): void => {
      while (running && outstanding + LINE <= WINDOW) {
        const commands = Array.from({ length: LINE }, makeCommand);
        outstanding += commands.length;
        client.send({ type: 'commands', commands });
      }
    };
    // Warm up one second, then measure a clean window.
    pump();
    await pause(1_000);
    client.send({ type: 'stats_request', reset: true });
    await client.next((l) => l.type === 'stats');
    const okBefore = ok;
    const eventsBefore = events;
    const t0 = nowMs();
    const seconds = Math.max(3, Math.min(ctx.seconds, 10));
    await pause(seconds * 1000);
    client.send({ type: 'stats_request', reset: false });
    const stats = (await client.next<{ stats: Record<string, number> }>((l) => l.type === 'stats')).stats;
    const elapsed = (nowMs() - t0) / 1000;
    running = false;
    const okN = ok - okBefore;
    const evN = events - eventsBefore;
    return {
      tickHz: ctx.tickHz,
      seconds: round(elapsed),
      commandsPerSecond: round(okN / elapsed, 0),
      eventsPerSecond: round(evN / elapsed, 0),
      commandsPerTick: round(stats.commandsExecuted! / Math.max(1, stats.ticks!), 1),
      eventsPerTick: round(stats.eventsSent! / Math.max(1, stats.ticks!), 1),
      ticksPerSecond: round(stats.ticks! / elapsed, 1),
      maxTickMs: stats.maxTickMs!,
      maxWritesPerControlPerTick: stats.maxWritesPerControlPerTick!,
      resultsOk: okN,
      resultsError: errors,
    };
  } finally {
    client.close();
    await sim.stop();
  }
}
