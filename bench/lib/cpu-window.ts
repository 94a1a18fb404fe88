import os from 'node:os';
import { readFileSync } from 'node:fs';
import { cpuMs } from '../../testkit/proc-stats.ts';
import { round } from './stats.ts';

/** CPU time (ms) the whole machine spent busy (all cores, everything but idle and iowait), from /proc/stat. */
export function machineBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest is already in user)
    const busy = f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!;
    return (busy * 1000) / 100;
  } catch {
    return null;
  }
}

export interface LoadAverage { one: number; five: number; fifteen: number }

export function loadAverage(): LoadAverage {
  const [one, five, fifteen] = os.loadavg().map((v) => round(v, 2));
  return { one: one!, five: five!, fifteen: fifteen! };
}

export interface CpuWindowResult {
  elapsedMs: number;
  /** CPU ms each named process used in the window (null: not measurable). */
  cpuMs: Record<string, number | null>;
  /** The same as % of one core. */
  percent: Record<string, number | null>;
  /** The whole machine's busy time as % of one core (200 = both cores of a 2-core machine). */
  machinePercent: number | null;
  /** What processes not named here (other people's work on a shared machine) used, % of one core. */
  othersPercent: number | null;
  cores: number;
  loadAtStart: LoadAverage;
  loadAtEnd: LoadAverage;
}

/**
 * The CPU every process of a measurement used over one window, read from /proc: the
 * server's cost per command is its CPU time divided by what it did, which stays
 * meaningful on a shared machine where wall-clock latency does not. `self` is this
 * process (the load generator).
 */
export class CpuWindow {
  private readonly start: Record<string, number | null>;
  private readonly selfStart = process.cpuUsage();
  private readonly machineStart = machineBusyMs();
  private readonly t0 = performance.now();
  private readonly loadAtStart = loadAverage();

  constructor(private readonly pids: Record<string, number | null>) {
    this.start = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, pid === null ? null : cpuMs(pid)]));
  }

  stop(): CpuWindowResult {
    const elapsedMs = performance.now() - this.t0;
    const used: Record<string, number | null> = {};
    for (const [name, pid] of Object.entries(this.pids)) {
      const a = this.start[name];
      const b = pid === null ? null : cpuMs(pid);
      used[name] = a === null || a === undefined || b === null ? null : b - a;
    }
    const self = process.cpuUsage(this.selfStart);
    used.self = (self.user + self.system) / 1000;
    const machineEnd = machineBusyMs();
    const machine = this.machineStart === null || machineEnd === null ? null : machineEnd - this.machineStart;
    const ours = Object.values(used).reduce<number>((s, v) => s + (v ?? 0), 0);
    const pct = (ms: number | null): number | null => (ms === null ? null : round((ms / elapsedMs) * 100, 0));
    return {
      elapsedMs: round(elapsedMs, 0),
      cpuMs: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, v === null ? null : round(v, 0)])),
      percent: Object.fromEntries(Object.entries(used).map(([k, v]) => [k, pct(v)])),
      machinePercent: pct(machine),
      othersPercent: machine === null ? null : pct(Math.max(0, machine - ours)),
      cores: os.availableParallelism(),
      loadAtStart: this.loadAtStart,
      loadAtEnd: loadAverage(),
    };
  }
}

/** Microseconds of a process's CPU per unit of work (null when either is unknown or zero). */
export function microsPer(cpuMsUsed: number | null | undefined, units: number): number | null {
  if (cpuMsUsed === null || cpuMsUsed === undefined || units <= 0) return null;
  return round((cpuMsUsed * 1000) / units, 1);
}
