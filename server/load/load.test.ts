import { describe, it, expect } from 'vitest';
import { anonymizedLoad, identifiedLoad, type LoadSnapshot } from './load-message.ts';
import { CommandRate } from './command-rate.ts';

const snapshot: LoadSnapshot = {
  online: [
    { id: 's_ada', name: 'Ada', role: 'member' },
    { id: 's_bob', name: 'Bob', role: 'member' },
    { id: 's_tea', name: 'Teacher', role: 'host' },
  ],
  inFlightBySession: new Map([['s_ada', 2], ['s_bob', 3]]),
  inFlightTotal: 5,
  queueDepth: 4,
  agentLatencyMs: 12.4,
  agentConnected: true,
  liveConnected: true,
  simulated: true,
  commandsPerMinute: (id) => (id === 's_bob' ? 42 : 0),
  pinGuessing: () => ({ failures: 3, addresses: 2, windowMs: 600_000, pausedForMs: 0 }),
  transfersBySession: new Map([['s_ada', { uploads: 1, downloads: 0 }], ['s_bob', { uploads: 2, downloads: 1 }]]),
};

describe('load messages', () => {
  it('counts others, not the receiver', () => {
    expect(anonymizedLoad(snapshot, 's_ada')).toEqual({
      othersActive: 2, othersTasksInFlight: 3, queueDepth: 4, agentLatencyMs: 12,
      agentConnected: true, liveConnected: true, simulated: true, othersUploads: 2, othersDownloads: 1,
    });
  });

  it('never carries a name or an id', () => {
    const text = JSON.stringify(anonymizedLoad(snapshot, 's_ada'));
    for (const leak of ['Ada', 'Bob', 'Teacher', 's_bob', 's_tea', 's_ada']) expect(text).not.toContain(leak);
  });

  it('gives the host who is doing what', () => {
    const host = identifiedLoad(snapshot, 's_tea');
    expect(host.othersActive).toBe(2);
    expect(host.sessions).toContainEqual({ id: 's_bob', name: 'Bob', role: 'member', tasksInFlight: 3, commandsPerMinute: 42, uploads: 2, downloads: 1 });
  });
});

describe('CommandRate', () => {
  it('counts the last minute only', () => {
    let now = 0;
    const rate = new CommandRate(() => now);
    for (let i = 0; i < 10; i++) { rate.record('a'); now += 1000; }
    expect(rate.perMinute('a')).toBe(10);
    now += 55_000;
    expect(rate.perMinute('a')).toBe(4); // at 65 s the minute holds seconds 6..9
    now += 60_000;
    expect(rate.perMinute('a')).toBe(0);
  });
});
