import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exitWithin } from '../../test/helpers/processes.ts';
import { until } from '../../testkit/poll.ts';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';

const temps: string[] = [];
afterEach(() => { while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true }); });
function dataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-lock-'));
  temps.push(dir);
  return dir;
}

describe('one Roomtone per data folder', () => {
  it('refuses a second lock, naming the holder\'s pid, and allows it again once released', async () => {
    const dir = dataDir();
    const first = await lockDataDir(dir);
    const refused = await lockDataDir(dir).then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toBe(`another Roomtone (pid ${process.pid}) is already running with the data folder ${dir}; stop it first, or give this one its own --data-dir`);
    await first.release();
    const again = await lockDataDir(dir);
    await again.release();
  });

  it.runIf(process.platform !== 'win32')('takes over the socket file a killed holder left behind', async () => {
    const dir = dataDir();
    const socket = path.join(dir, 'roomtone.lock');
    const holder = spawn(process.execPath, ['-e', `require('node:net').createServer().listen(${JSON.stringify(socket)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let up = false;
    holder.stdout.on('data', () => { up = true; });
    await until(() => up, 'the holder listening');
    holder.kill('SIGKILL');
    await exitWithin(holder, 5_000);
    expect(existsSync(socket)).toBe(true);
    const lock = await lockDataDir(dir);
    await lock.release();
  });
});
