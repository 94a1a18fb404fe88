import { describe, expect, it, vi } from 'vitest';
import { LiveWatch, type LiveWatchOptions } from './live-watch.ts';
import type { ProbeResult } from './live-probe.ts';

function harness(mode: LiveWatchOptions['mode'], answers: ProbeResult[]) {
  const calls: string[] = [];
  let live = false;
  const options: LiveWatchOptions = {
    mode,
    scriptPort: 47800,
    startSimulator: () => calls.push('startSimulator'),
    stopSimulator: () => { calls.push('stopSimulator'); return Promise.resolve(); },
    useScriptPort: (port) => calls.push(`useScriptPort ${port}`),
    liveConnected: () => live,
    log: (m) => calls.push(`log ${m}`),
    probe: () => Promise.resolve(answers.shift() ?? 'absent'),
    intervalMs: 500,
  };
  return { watch: new LiveWatch(options), calls, setLive: (v: boolean) => { live = v; } };
}

const actions = (calls: string[]): string[] => calls.filter((c) => !c.startsWith('log '));

describe('LiveWatch (--live auto)', () => {
  it('starts on the simulator when Live is absent and moves to Live as soon as its script answers', async () => {
    vi.useFakeTimers();
    try {
      const { watch, calls } = harness('auto', ['absent', 'absent', 'busy', 'script']);
      await watch.start();
      expect(watch.state).toBe('sim');
      expect(actions(calls)).toEqual(['startSimulator']);
      await vi.advanceTimersByTimeAsync(500);   // absent
      await vi.advanceTimersByTimeAsync(500);   // busy: another agent holds Live
      expect(watch.state).toBe('sim');
      expect(calls.filter((c) => c.includes('serves another agent'))).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(500);   // the script answers
      expect(watch.state).toBe('real');
      // the agent moves first, then the simulator stops (no moment without a Live to talk to)
      expect(actions(calls)).toEqual(['startSimulator', 'useScriptPort 47800', 'stopSimulator']);
      watch.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('uses Live at once when its script answers at start, and never starts the simulator', async () => {
    vi.useFakeTimers();
    try {
      const { watch, calls } = harness('auto', ['script']);
      await watch.start();
      expect(watch.state).toBe('real');
      expect(actions(calls)).toEqual(['useScriptPort 47800']);
      watch.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says Live is closed when it goes, waits, and never falls back to the simulator', async () => {
    vi.useFakeTimers();
    try {
      const { watch, calls, setLive } = harness('auto', ['script']);
      await watch.start();
      setLive(true);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(watch.state).toBe('real');
      setLive(false);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(watch.state).toBe('closed');
      expect(calls.some((c) => c.startsWith('log Live is closed'))).toBe(true);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(actions(calls)).toEqual(['useScriptPort 47800']);   // no simulator, ever
      setLive(true);
      await vi.advanceTimersByTimeAsync(1_000);
      expect(watch.state).toBe('real');
      watch.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it('sim and real modes do what they say and never probe', async () => {
    const sim = harness('sim', ['script']);
    await sim.watch.start();
    expect(actions(sim.calls)).toEqual(['startSimulator']);
    sim.watch.stop();
    const real = harness('real', []);
    await real.watch.start();
    expect(actions(real.calls)).toEqual(['useScriptPort 47800']);
    real.watch.stop();
  });
});
