/**
 * What `GET /healthz` and `GET /readyz` answer, and what the set doc's `meta.processes`
 * holds: the parts of a running Roomtone and the state of each, so a monitor, the join
 * page and the console can say which part is down instead of a blanket "ok".
 */

/** A process the launcher supervises (the host agent, the simulator). */
export type ProcessPhase = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';

export interface ProcessReport {
  name: string;
  phase: ProcessPhase;
  /** Kept for older readers: true while the process runs. */
  running: boolean;
  restarts: number;
  /** "code 1", "signal SIGKILL", or null before the first exit. */
  lastExit: string | null;
  /** Why it is not running, in words (a spawn failure: "python3 was not found"). */
  error: string | null;
}

/** Which Live the launcher drives: real Live's Remote Script, the simulator, or not decided yet. */
export type LiveMode = 'real' | 'sim' | 'none';

export interface HealthReport {
  /** True only when every part below is up: the agent, Live and every supervised process. */
  ok: boolean;
  version: string;
  /** True from the first stop signal on; clients are being sent away with SERVER_STOPPING. */
  stopping: boolean;
  agent: { connected: boolean };
  live: { mode: LiveMode; connected: boolean; version: string | null };
  processes: ProcessReport[];
}
