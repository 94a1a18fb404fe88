import { describe, expect, it } from 'vitest';
import { LinkMeta } from './link-meta.ts';

const status = (agentConnected: boolean, liveConnected: boolean) => ({ agentConnected, liveConnected, live: null, epoch: null, latencyMs: null });

describe('LinkMeta', () => {
  it('stamps each side of the link when it changes, and only then', () => {
    let t = 1_000;
    const meta = new LinkMeta(() => t);
    expect(meta.props(status(true, true))).toMatchObject({ agentConnected: true, liveConnected: true, agentChangedAt: 1_000, liveChangedAt: 1_000 });
    t = 2_000;
    expect(meta.props(status(true, true))).toMatchObject({ agentChangedAt: 1_000, liveChangedAt: 1_000 });
    t = 3_000;
    expect(meta.props(status(true, false))).toMatchObject({ liveConnected: false, agentChangedAt: 1_000, liveChangedAt: 3_000 });
    t = 4_000;
    // The agent going means Live is unreachable too; Live's stamp stays from when it went.
    expect(meta.props(status(false, false))).toMatchObject({ agentConnected: false, liveConnected: false, agentChangedAt: 4_000, liveChangedAt: 3_000 });
  });
});
