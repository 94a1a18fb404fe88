import { ROOMTONE_VERSION } from '../../protocol/version.ts';
import type { HealthReport, LiveMode, ProcessReport } from '../../protocol/health.ts';

export interface AgentView {
  connected: boolean;
  liveConnected: boolean;
  live: { simulated: boolean; version: string } | null;
}

/**
 * The parts of a running Roomtone as /healthz and /readyz report them. The server knows
 * its agent link; the launcher reports what it supervises and which Live it chose.
 */
export class HealthState {
  processes: ProcessReport[] = [];
  /** The launcher's choice; what the agent reports wins once Live answers. */
  liveMode: LiveMode = 'none';
  stopping = false;

  constructor(private readonly agent: () => AgentView | null) {}

  report(): HealthReport {
    const agent = this.agent();
    const connected = agent?.connected ?? false;
    const liveConnected = connected && (agent?.liveConnected ?? false);
    const live = liveConnected ? agent?.live ?? null : null;
    const mode: LiveMode = live ? (live.simulated ? 'sim' : 'real') : this.liveMode;
    // A process stopped on purpose (the simulator once real Live took over) is not a fault.
    const processesUp = this.processes.every((p) => p.phase === 'running' || p.phase === 'stopped');
    return {
      ok: connected && liveConnected && processesUp && !this.stopping,
      version: ROOMTONE_VERSION,
      stopping: this.stopping,
      agent: { connected },
      live: { mode, connected: liveConnected, version: live?.version ?? null },
      processes: this.processes,
    };
  }

  /** Ready to take commands: the agent and Live answer, and the server is not stopping. */
  ready(): boolean {
    const report = this.report();
    return report.agent.connected && report.live.connected && !report.stopping;
  }
}
