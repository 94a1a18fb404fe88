import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../../testkit/poll.ts';
import { LOG_FILE, LOG_FILES_KEPT, cleanLine, createLogger } from './logger.ts';

const temps: string[] = [];
afterEach(() => { while (temps.length) rmSync(temps.pop()!, { recursive: true, force: true }); });

function terminal(tty: boolean): PassThrough & { isTTY: boolean; text(): string } {
  const out = Object.assign(new PassThrough(), { isTTY: tty });
  let text = '';
  out.on('data', (b: Buffer) => { text += b.toString(); });
  return Object.assign(out, { text: () => text });
}

describe('logger', () => {
  it('writes JSON lines with level and time to the file, and readable lines (colored on a terminal) to the console', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-log-'));
    temps.push(dir);
    const tty = terminal(true);
    const log = createLogger({ level: 'info', logDir: dir, service: false, console: tty });
    log.logger.info('the room is up');
    log.logger.debug('not at info');
    log.logger.warn('[sim] exited (code 1)');
    await log.close();
    const entries = readFileSync(path.join(dir, LOG_FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { level: number; time: string; msg: string });
    expect(entries.map((e) => [e.level, e.msg])).toEqual([[30, 'the room is up'], [40, '[sim] exited (code 1)']]);
    expect(Number.isNaN(Date.parse(entries[0]!.time))).toBe(false);
    expect(tty.text()).toMatch(/INFO.*the room is up/);
    expect(tty.text()).toContain('\u001b[');
  });

  it('shows only warnings on the terminal of a service, and no colors on a pipe', async () => {
    const pipe = terminal(false);
    const log = createLogger({ level: 'info', logDir: null, service: true, console: pipe });
    log.logger.info('routine');
    log.logger.warn('attention');
    expect(pipe.text()).not.toContain('routine');
    expect(pipe.text()).toMatch(/WARN: attention/);
    expect(pipe.text()).not.toContain('\u001b');
    await log.close();
  });

  it('rotates the file by size and keeps a bounded number of old ones', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-log-'));
    temps.push(dir);
    const log = createLogger({ level: 'info', logDir: dir, service: false, console: terminal(false), rotateSize: '1K' });
    for (let i = 0; i < 400; i++) log.logger.info(`line ${i} ${'x'.repeat(60)}`);
    await until(() => readdirSync(dir).includes(`roomtone.${LOG_FILES_KEPT}.log`), 'the oldest kept rotation');
    await log.close();
    // The stream shifts .6 to .7 before .1 exists again: on a busy machine the last shift may still be under way.
    const rotated = (): string[] => readdirSync(dir).filter((f) => /^roomtone\.\d+\.log$/.test(f));
    await until(() => rotated().length === LOG_FILES_KEPT, 'every kept rotation in place');
    const files = readdirSync(dir).sort();
    expect(files).toContain(LOG_FILE);
    expect(files.filter((f) => /^roomtone\.\d+\.log$/.test(f))).toHaveLength(LOG_FILES_KEPT);
    expect(readFileSync(path.join(dir, 'roomtone.1.log'), 'utf8').trim().split('\n').every((l) => JSON.parse(l))).toBeTruthy();
  });

  it('cleans a child\'s line of escape sequences and control characters', () => {
    expect(cleanLine('\u001b[31mred\u001b[0m and \u001b]0;title\u0007 bell\u0007')).toBe('red and  bell');
    expect(cleanLine('tab\tkept')).toBe('tab\tkept');
  });
});
