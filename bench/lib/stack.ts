import { readFileSync } from 'node:fs';
import { startStack, type Stack } from '../../testkit/stack.ts';
import path from 'node:path';
import { ROOT } from '../../testkit/root.ts';
import { SimProcess } from '../../testkit/sim.ts';

export interface BenchStack {
  stack: Stack;
  sim: SimProcess;
  /** The `npm start` process: the room server runs in it, in-process. */
  serverPid: number;
  agentPid(): number | null;
  rate: { perSecond: number; burst: number };
  /**
   * With BENCH_CPU_PROF: cuts the server's and the agent's CPU profiles (SIGWINCH, see
   * cpu-profile-hook.mjs), so a window's own profile is the file its close writes.
   * False (and nothing done) without BENCH_CPU_PROF.
   */
  cutProfiles(): boolean;
  stop(): Promise<void>;
}

export interface BenchStackOptions {
  tickHz: number;
  rate?: { perSecond: number; burst: number };
  env?: NodeJS.ProcessEnv;
  log?: (msg: string) => void;
}

/**
 * The real chain as `npm start` runs it (cli/start.ts: the server in-process plus the
 * supervised host agent), pointed at a simulator this bench starts itself so that it
 * holds the simulator's control channel. `--live real --script-port <p>` is the only
 * difference from a plain `npm start`: the agent, the server and the Remote Script
 * code are the same.
 */
export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const sim = await SimProcess.start({ tickHz: options.tickHz });
  const rate = options.rate ?? { perSecond: 30, burst: 60 };
  const args = ['--live', 'real', '--script-port', String(sim.port),
    '--rate-per-second', String(rate.perSecond), '--rate-burst', String(rate.burst)];
  options.log?.(`  server: cli/start.ts ${args.join(' ')} (per-session rate limits set through the server's own flags)`);
  let stack: Stack;
  try {
    // BENCH_CPU_PROF=1: the server and the agent write V8 CPU profiles into bench/results on exit.
    const prof: { NODE_OPTIONS?: string; BENCH_CPU_PROF_DIR?: string } = process.env.BENCH_CPU_PROF ? {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${path.join(ROOT, 'bench', 'lib', 'cpu-profile-hook.mjs')}`.trim(),
      BENCH_CPU_PROF_DIR: path.join(ROOT, 'bench', 'results'),
    } : {};
    const hooks = [prof.NODE_OPTIONS, options.env?.NODE_OPTIONS].filter(Boolean).join(' ');
    stack = await startStack({ args, env: { ROOMTONE_SIM_TICK_HZ: String(options.tickHz), ROOMTONE_SCRIPT_SECRET_FILE: sim.secretFile, ...prof, ...options.env, ...(hooks ? { NODE_OPTIONS: hooks } : {}) } });
  } catch (err) {
    await sim.stop();
    throw err;
  }
  const serverPid = stack.process.pid!;
  return {
    stack,
    sim,
    serverPid,
    agentPid: () => childPids(serverPid)[0] ?? null,
    rate,
    cutProfiles: () => {
      if (!process.env.BENCH_CPU_PROF) return false;
      for (const pid of [serverPid, ...childPids(serverPid)]) {
        try { process.kill(pid, 'SIGWINCH'); } catch { /* gone */ }
      }
      return true;
    },
    stop: async () => {
      await stack.stop();
      await sim.stop();
    },
  };
}

/** Direct children of a process (Linux /proc). */
export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
