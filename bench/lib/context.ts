/** What every scenario gets from bench/run.ts. */
export interface BenchContext {
  /** Duration of the timed part of long scenarios (BENCH_SECONDS; 30 for the recorded run). */
  seconds: number;
  /** Simulator tick rate (ROOMTONE_SIM_TICK_HZ; 60 for the recorded run). */
  tickHz: number;
  seed: number;
  log(msg: string): void;
}

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new Error(`${name} must be a number, got ${JSON.stringify(raw)}`);
  return v;
}
