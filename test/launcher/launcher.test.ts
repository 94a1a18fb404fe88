import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { HealthReport } from '../../protocol/health.ts';
import { request } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { descendants, exitWithin, runToEnd, running } from '../helpers/processes.ts';
import { ROOT } from '../../testkit/root.ts';
import { BIN, randomCode, startStack, type Stack } from '../../testkit/stack.ts';
import { joinThroughPage, launchBrowser, type Joined } from '../browser/harness.ts';

/**
 * This file's own certificate folder, made by its first start: a CA the current code
 * made, so no start here warns about an older one (H8) beside the line a test counts.
 */
const CERTS = mkdtempSync(path.join(os.tmpdir(), 'roomtone-launcher-certs-'));
afterAll(() => rmSync(CERTS, { recursive: true, force: true }));
const temps: string[] = [];
const stacks: Stack[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-launcher-'));
  temps.push(dir);
  return dir;
}
afterEach(async () => {
  while (stacks.length) await stacks.pop()!.stop();
  while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true });
});

/** `roomtone start` to its end, on loopback, with its own folders. */
function startArgs(dir: string, extra: string[] = []): string[] {
  return [BIN, 'start', '--host', '127.0.0.1', '--no-mdns', '--live', 'sim', '--data-dir', path.join(dir, 'data'), '--certs-dir', CERTS, '--log-dir', path.join(dir, 'logs'), ...extra];
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function health(stack: Stack, route = '/healthz'): Promise<{ status: number; body: HealthReport & { error?: { code: string } } }> {
  const res = await request({ base: stack.url, ca: stack.ca }, 'GET', route);
  return { status: res.status, body: res.body as HealthReport & { error?: { code: string } } };
}

describe.runIf(process.platform === 'linux')('the launcher leaves nothing behind', () => {
  it('SIGKILL of the launcher: the agent and the simulator are gone within 5 s', async () => {
    const stack = await startStack();
    stacks.push(stack);
    const children = descendants(stack.process.pid!);
    expect(children.some((c) => c.cmd.includes('run.py')), 'the simulator runs').toBe(true);
    expect(children.some((c) => c.cmd.includes('host-agent')), 'the agent runs').toBe(true);
    stack.process.kill('SIGKILL');
    await until(() => children.every((c) => !running(c.pid)), 'every child of the killed launcher gone', 5_000);
  });
});

describe('stopping with browsers connected', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser?.close(); });

  it('SIGINT with three browsers in the room exits within 5 s, frees the port, and each page says the server is stopping', async () => {
    const stack = await startStack();
    stacks.push(stack);
    const pages: Joined[] = [];
    try {
      for (const name of ['Ada', 'Grace', 'Lin']) pages.push(await joinThroughPage(browser, stack, { name }));
      stack.process.kill('SIGINT');
      await exitWithin(stack.process, 5_000);
      expect(await portIsFree(stack.port)).toBe(true);
      for (const { page } of pages) {
        await page.locator('[data-testid="conn"][data-status="stopped"]').waitFor({ timeout: 5_000 });
        await expect(page.locator('[data-banner="stopped"]').textContent()).resolves.toMatch(/stopping on the studio computer \(Ctrl-C\)/);
      }
    } finally {
      for (const p of pages) await p.close();
    }
  });

  it('without Python: the room starts with Live not connected, says why in one line, in /healthz and on the host\'s page, and exits within 5 s of SIGTERM', async () => {
    const emptyPath = tempDir();
    const stack = await startStack({ env: { PATH: emptyPath, ROOMTONE_PYTHON: '' } });
    stacks.push(stack);
    const pythonLines = stack.output.filter((l) => /Python 3 was not found/.test(l));
    expect(pythonLines).toHaveLength(1);
    expect(pythonLines[0]).toMatch(/--python \/ ROOMTONE_PYTHON/);
    expect(stack.output.find((l) => l.startsWith('Roomtone ready:'))).toMatch(/Live: not connected \(sim failed/);
    const { body } = await until(async () => {
      const h = await health(stack);
      return h.body.agent.connected ? h : null;
      // The agent compiles and starts after the ready line: seconds on a loaded machine.
    }, 'the agent connected', 30_000);
    expect(body.ok).toBe(false);
    expect(body.live).toMatchObject({ connected: false });
    expect(body.processes.find((p) => p.name === 'sim')).toMatchObject({ phase: 'failed', running: false, error: expect.stringMatching(/Python 3 was not found/) });
    const ready = await health(stack, '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.error?.code).toBe('LIVE_OFFLINE');
    const host = await joinThroughPage(browser, stack, { name: 'Teacher', role: 'host' });
    try {
      await expect(host.page.locator('[data-banner="process-sim"]').textContent({ timeout: 10_000 })).resolves.toMatch(/simulator could not start.*Python 3 was not found/);
      await expect(host.page.locator('[data-banner="live"]').count()).resolves.toBe(1);
    } finally {
      await host.close();
    }
    stack.process.kill('SIGTERM');
    await expect(exitWithin(stack.process, 5_000)).resolves.toMatchObject({ code: 0 });
  });
});

describe('health that tells the truth', () => {
  it('/readyz answers 200 once the agent and the simulator answer; /healthz names each part', async () => {
    const stack = await startStack();
    stacks.push(stack);
    const ready = await until(async () => {
      const r = await health(stack, '/readyz');
      return r.status === 200 ? r : null;
    }, '/readyz 200');
    expect(ready.body).toMatchObject({ ok: true, stopping: false, agent: { connected: true }, live: { mode: 'sim', connected: true } });
    expect(ready.body.processes.map((p) => [p.name, p.phase]).sort()).toEqual([['agent', 'running'], ['sim', 'running']]);
  });
});

describe('started at login, before Live', () => {
  it('as a service with --live auto and no Live yet it waits for Live, not the simulator, and finds Live when it opens', async () => {
    const dir = tempDir();
    const free = net.createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', () => resolve()));
    const scriptPort = (free.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const secretFile = path.join(dir, 'agent.secret');
    const stack = await startStack({ args: ['--service', '--live', 'auto', '--script-port', String(scriptPort), '--script-secret-file', secretFile] });
    stacks.push(stack);
    expect(stack.output.find((l) => l.startsWith('Roomtone ready:'))).toMatch(/Live: not connected yet \(waiting for Live\)/);
    const before = await health(stack);
    expect(before.body.live).toMatchObject({ mode: 'real', connected: false });
    expect(before.body.processes.map((p) => p.name)).toEqual(['agent']);

    // "Live opens": the real Remote Script (driven by the fake Live) on the script port.
    const live = spawn('python3', [path.join(ROOT, 'remote-script', 'sim', 'run.py'), '--port', String(scriptPort), '--secret-file', secretFile, '--exit-on-stdin-eof'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      const ready = await until(async () => {
        const r = await health(stack, '/readyz');
        return r.status === 200 ? r : null;
      }, 'Live found after it opened', 30_000);
      // Once Live answers, /healthz says what answered: here the fake Live, which says it is simulated.
      expect(ready.body).toMatchObject({ ok: true, agent: { connected: true }, live: { mode: 'sim', connected: true } });
      // The launcher itself started no simulator: the agent found the script that opened.
      expect(ready.body.processes.map((p) => p.name)).toEqual(['agent']);
    } finally {
      live.kill('SIGTERM');
      await exitWithin(live, 5_000).catch(() => live.kill('SIGKILL'));
    }
  });
});

describe('refusals at start: one line', () => {
  it('a port in use: one line that says what to do, exit 1', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const res = await runToEnd(process.execPath, startArgs(tempDir(), ['--port', String(port), '--http-port', '-1']), { cwd: ROOT });
      expect(res.code).toBe(1);
      const lines = res.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`port ${port} is in use .* --port ${port + 1}`));
      expect(res.stdout).toBe('');
    } finally {
      busy.close();
    }
  });

  it('a second Roomtone on the same data folder: refused in one line naming the first, which keeps running', async () => {
    const stack = await startStack();
    stacks.push(stack);
    const res = await runToEnd(process.execPath, [BIN, 'start', '--host', '127.0.0.1', '--no-mdns', '--live', 'sim', '--port', '0', '--http-port', '-1',
      '--data-dir', stack.dataDir, '--certs-dir', CERTS, '--log-dir', tempDir()], { cwd: ROOT });
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`another Roomtone (pid ${stack.process.pid}) is already running with the data folder ${stack.dataDir}`);
    expect((await health(stack)).status).toBe(200);
  });

  it('a join code or admin PIN too short or too obvious: refused before anything starts, exit 2', async () => {
    for (const bad of [['--admin-pin', '1234'], ['--admin-pin', 'k7q2m9x4'], ['--join-code', '123456']]) {
      const dir = tempDir();
      const res = await runToEnd(process.execPath, startArgs(dir, ['--port', '0', ...bad]), { cwd: ROOT });
      expect(res.code).toBe(2);
      expect(res.stderr.trim().split('\n')[0]).toMatch(new RegExp(`^roomtone start: ${bad[0]} (must be 6 to 32|is among the first|is refused: the admin PIN (needs at least 6 digits|must be digits only))`));
      expect(readdirSync(dir)).toEqual([]);
    }
    const same = randomCode();
    const res = await runToEnd(process.execPath, startArgs(tempDir(), ['--port', '0', '--join-code', same, '--admin-pin', same]), { cwd: ROOT });
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/the admin PIN must differ from the join code/);
  });
});

describe('logs', () => {
  it('the log file holds JSON lines with the run\'s events and never the admin PIN, the join code or an escape sequence', async () => {
    const stack = await startStack({ logDir: tempDir() });
    await stack.stop();
    const files = readdirSync(stack.logDir).filter((f) => /^roomtone(\.\d+)?\.log$/.test(f));
    expect(files.length).toBeGreaterThan(0);
    const text = files.map((f) => readFileSync(path.join(stack.logDir, f), 'utf8')).join('');
    const entries = text.trim().split('\n').map((line) => JSON.parse(line) as { level: number; time: string; msg: string });
    expect(entries.some((e) => e.msg.startsWith('ready: https://127.0.0.1:'))).toBe(true);
    expect(entries.some((e) => /\[sim\] roomtone-sim ready/.test(e.msg))).toBe(true);
    expect(entries.some((e) => /Roomtone stopping \(SIGTERM\)/.test(e.msg))).toBe(true);
    expect(text).not.toContain(stack.adminPin);
    expect(text).not.toContain(stack.joinCode);
    expect(text).not.toContain('\u001b');
  });
});

describe.runIf(process.platform === 'linux')('an interactive terminal', () => {
  it('gets the join code, the admin PIN and the QR code; the log file of the same run does not', async () => {
    const dir = tempDir();
    const joinCode = randomCode();
    const adminPin = randomCode();
    const command = [process.execPath, ...startArgs(dir, ['--port', '0', '--http-port', '-1'])].map((a) => `'${a}'`).join(' ');
    // util-linux `script` runs the command on a pseudo-terminal, as a person's terminal would.
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd: ROOT, detached: true, stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ROOMTONE_JOIN_CODE: joinCode, ROOMTONE_ADMIN_PIN: adminPin, TERM: 'xterm' },
    });
    let screen = '';
    child.stdout.on('data', (b: Buffer) => { screen += b.toString(); });
    try {
      await until(() => /Scan to join/.test(screen) && /[█▀▄]/.test(screen), 'the banner with its QR code on the terminal', 60_000);
      expect(screen).toMatch(new RegExp(`Roomtone ready: https://127\\.0\\.0\\.1:\\d+/ · join code ${joinCode} · admin PIN ${adminPin} · Live: `));
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exitWithin(child, 10_000);
    }
    const logs = readdirSync(path.join(dir, 'logs')).filter((f) => f.endsWith('.log')).map((f) => readFileSync(path.join(dir, 'logs', f), 'utf8')).join('');
    expect(logs).toMatch(/"msg":"ready: https:\/\/127\.0\.0\.1:/);
    expect(logs).not.toContain(adminPin);
    expect(logs).not.toContain(joinCode);
    for (const mark of ['\u001b', '█', '▀', '▄']) expect(logs).not.toContain(mark);
  });
});

describe('per-user folders', () => {
  it('moves an existing ./data into the per-user data folder once, and says so', async () => {
    const before = await startStack({ dataDir: tempDir() });
    await before.stop();
    const cwd = tempDir();
    const home = tempDir();
    renameSync(before.dataDir, path.join(cwd, 'data'));
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('XDG_') && !k.startsWith('ROOMTONE_'))), HOME: home };
    const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--http-port', '-1', '--host', '127.0.0.1', '--no-mdns', '--live', 'sim', '--certs-dir', CERTS, '--log-dir', path.join(home, 'logs')], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => { output += b.toString(); });
    child.stderr.on('data', (b: Buffer) => { output += b.toString(); });
    const target = path.join(home, '.local', 'share', 'roomtone', 'data');
    try {
      await until(() => output.includes('Roomtone ready:'), 'the ready line', 60_000);
      expect(output).toContain(`moved the room's data from ${path.join(cwd, 'data')} to ${target}`);
      expect(readdirSync(target)).toEqual(expect.arrayContaining(['state.json', 'agent.token']));
      expect(readdirSync(cwd)).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await exitWithin(child, 10_000);
    }
  });
});

describe('roomtone service status', () => {
  it('shows a running Roomtone\'s addresses; the join code and admin PIN only on its owner\'s terminal', async () => {
    const stack = await startStack();
    stacks.push(stack);
    const args = [BIN, 'service', 'status', '--data-dir', stack.dataDir];
    const piped = await runToEnd(process.execPath, args, { cwd: ROOT });
    expect(piped.code).toBe(0);
    expect(piped.stdout).toContain(`running: pid ${stack.process.pid}`);
    expect(piped.stdout).toContain(`on this machine: ${stack.url}/`);
    expect(piped.stdout).not.toContain(stack.adminPin);
    expect(piped.stdout).not.toContain(stack.joinCode);
    if (process.platform !== 'linux') return;
    const command = [process.execPath, ...args].map((a) => `'${a}'`).join(' ');
    const tty = await runToEnd('script', ['-qec', command, '/dev/null'], { cwd: ROOT });
    expect(tty.stdout).toContain(`join code ${stack.joinCode} · admin PIN ${stack.adminPin}`);
    expect(tty.stdout).toMatch(/Scan to join/);
    const gone = await runToEnd(process.execPath, [BIN, 'service', 'status', '--data-dir', tempDir()], { cwd: ROOT });
    expect(gone.code).toBe(3);
    expect(gone.stdout).toMatch(/Roomtone is not running/);
  });
});
