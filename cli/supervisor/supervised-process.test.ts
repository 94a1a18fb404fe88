import { describe, expect, it } from 'vitest';
import { until } from '../../testkit/poll.ts';
import type { ProcessReport } from '../../protocol/health.ts';
import { SupervisedProcess, type SupervisedOptions } from './supervised-process.ts';

function supervised(options: Partial<SupervisedOptions> & Pick<SupervisedOptions, 'command' | 'args'>): { proc: SupervisedProcess; reports: ProcessReport[]; lines: string[] } {
  const reports: ProcessReport[] = [];
  const lines: string[] = [];
  const proc = new SupervisedProcess({ name: 'child', minDelayMs: 20, maxDelayMs: 40, log: (_level, msg) => lines.push(msg), onChange: (r) => reports.push(r), ...options });
  return { proc, reports, lines };
}

describe('SupervisedProcess', () => {
  it('reports a command that cannot be spawned as failed, in words, without retrying, and stops at once', async () => {
    const { proc, reports, lines } = supervised({ command: 'roomtone-no-such-python3', args: () => [], explainSpawnError: (err) => `missing (${err.code})` });
    proc.start();
    await until(() => proc.report.phase === 'failed', 'the failed phase');
    expect(proc.report).toMatchObject({ phase: 'failed', running: false, restarts: 0, error: 'missing (ENOENT)' });
    expect(lines).toEqual(['[child] missing (ENOENT)']);
    await proc.stop();
    expect(reports.filter((r) => r.phase === 'restarting')).toEqual([]);
  });

  it('restarts a child that dies, counting it, and reports each phase', async () => {
    const { proc, reports } = supervised({ command: process.execPath, args: () => ['-e', 'setTimeout(() => process.exit(3), 30)'] });
    proc.start();
    await until(() => proc.report.restarts >= 2, 'two restarts');
    await proc.stop();
    expect(proc.report.lastExit).toBe('code 3');
    expect(reports.map((r) => r.phase)).toEqual(expect.arrayContaining(['running', 'restarting']));
    expect(proc.report.phase).toBe('stopped');
  });

  it('stop() ends a child that ignores SIGTERM with SIGKILL, bounded', async () => {
    let up = false;
    const { proc } = supervised({
      command: process.execPath, killAfterMs: 200, onLine: (l) => { up ||= l === 'up'; },
      args: () => ['-e', 'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)'],
    });
    proc.start();
    await until(() => up, 'the child ignoring SIGTERM');
    await proc.stop();
    expect(proc.report.lastExit).toBe('signal SIGKILL');
  });

  it('restart() starts it again with fresh arguments, not counted as a crash', async () => {
    let port = 1;
    const seen: string[] = [];
    const { proc } = supervised({ command: process.execPath, args: () => ['-e', `console.log("port ${port}"); setInterval(() => {}, 1000)`], onLine: (l) => seen.push(l) });
    proc.start();
    await until(() => seen.includes('port 1'), 'the first run');
    port = 2;
    proc.restart();
    await until(() => seen.includes('port 2'), 'the second run');
    expect(proc.report.restarts).toBe(0);
    await proc.stop();
  });
});
