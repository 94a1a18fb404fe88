import { META, type AgentStatus, type MetaProps } from '../../protocol/index.ts';

/**
 * The `meta` props the server writes about the link to Live, with when each side last
 * changed, so a page can say "Live is not connected since 20:14" (and a page that
 * connects later knows since when, not only since it looked).
 */
export class LinkMeta {
  private agent: boolean | null = null;
  private live: boolean | null = null;
  private agentChangedAt = 0;
  private liveChangedAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  props(status: AgentStatus & { agentConnected: boolean }): Partial<MetaProps> {
    const live = status.agentConnected && status.liveConnected;
    if (status.agentConnected !== this.agent) {
      this.agent = status.agentConnected;
      this.agentChangedAt = this.now();
    }
    if (live !== this.live) {
      this.live = live;
      this.liveChangedAt = this.now();
    }
    return {
      [META.agentConnected]: status.agentConnected,
      [META.liveConnected]: live,
      [META.simulated]: status.live?.simulated ?? null,
      [META.liveVersion]: status.live?.version ?? null,
      [META.agentChangedAt]: this.agentChangedAt,
      [META.liveChangedAt]: this.liveChangedAt,
      // What the last Live that was here was, kept after it went: a real one that goes
      // away is "Live is closed", not the simulator's absence (docs/protocol.md).
      ...(status.live ? { [META.liveKind]: status.live.simulated ? 'sim' : 'real' } : {}),
    };
  }
}
