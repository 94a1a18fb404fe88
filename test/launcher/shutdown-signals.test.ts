import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitWithin } from '../helpers/processes.ts';
import { until } from '../../testkit/poll.ts';
import { ROOT } from '../../testkit/root.ts';

const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'shutdown-child.ts');
const children: ChildProcess[] = [];

interface Child { process: ChildProcess; stdout: () => string; stderr: () => string }

async function start(env: Record<string, string> = {}): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => { out += b.toString(); });
  child.stderr.on('data', (b: Buffer) => { err += b.toString(); });
  await until(() => out.includes('ready\n'), 'the child ready', 30_000);
  return { process: child, stdout: () => out, stderr: () => err };
}

afterEach(() => {
  while (children.length) children.pop()!.kill('SIGKILL');
});

describe('Ctrl-C and the service manager\'s signals (cli/supervisor/shutdown.ts)', () => {
  it('a second Ctrl-C while the first stop still runs exits at once (130), killing what is left', async () => {
    const child = await start();
    child.process.kill('SIGINT');
    await until(() => child.stderr().includes('Roomtone stopping (SIGINT)'), 'the first stop under way');
    expect(child.stdout()).not.toContain('immediate');
    child.process.kill('SIGINT');
    await expect(exitWithin(child.process, 5_000)).resolves.toMatchObject({ code: 130 });
    expect(child.stdout()).toContain('immediate');
    expect(child.stderr()).toContain('SIGINT again: stopping now');
  });

  it('a stop that outlasts its deadline becomes an immediate one (exit 1)', async () => {
    const child = await start({ SHUTDOWN_DEADLINE_MS: '300' });
    child.process.kill('SIGTERM');
    await expect(exitWithin(child.process, 5_000)).resolves.toMatchObject({ code: 1 });
    expect(child.stdout()).toContain('immediate');
    expect(child.stderr()).toMatch(/stopping took longer than 300 ms/);
  });

  it('a graceful stop that finishes exits 0', async () => {
    const child = await start({ SHUTDOWN_GRACEFUL: 'resolve' });
    child.process.kill('SIGTERM');
    await expect(exitWithin(child.process, 5_000)).resolves.toMatchObject({ code: 0 });
    expect(child.stderr()).toContain('Roomtone stopping (SIGTERM)');
  });
});
