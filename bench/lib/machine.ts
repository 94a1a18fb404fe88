import os from 'node:os';
import { execFileSync } from 'node:child_process';

export interface Machine { cores: number; cpuModel: string; node: string; python: string | null; platform: string; totalMemBytes: number; loadAvg1m: number }

/** What every figure is measured on: the bench prints this beside each table. */
export function machine(): Machine {
  let python: string | null = null;
  try {
    python = execFileSync(process.env.ROOMTONE_PYTHON ?? 'python3', ['--version'], { encoding: 'utf8' }).trim().replace(/^Python /, '');
  } catch { /* no python */ }
  return {
    cores: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    python,
    platform: `${os.platform()} ${os.release()}`,
    totalMemBytes: os.totalmem(),
    loadAvg1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}
