import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { promises as fs } from 'node:fs';
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { DataStore } from './data-store.ts';
import { AuditLog } from './audit-log.ts';
import { PersistenceError } from './persistence-error.ts';

let dir: string;
beforeEach(async () => { dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roomtone-data-')); });
afterEach(async () => { await fs.rm(dir, { recursive: true, force: true }); });

const session = (id: string) => ({
  id, tokenHash: 'a'.repeat(64), room: 'studio', name: `n-${id}`, role: 'member' as const, layout: 'band' as const,
  ip: '127.0.0.1', createdAt: 1, lastActiveAt: 2, canControl: true, assignedTracks: ['t1'],
});

describe('DataStore', () => {
  it('batches a burst of changes into one write and keeps them across a reopen', async () => {
    const store = await DataStore.open({ dir, flushDelayMs: 60_000 });
    const before = store.state.writeCount;
    for (let i = 0; i < 500; i++) store.state.change((s) => { s.sessions[`s${i}`] = session(`s${i}`); });
    expect(store.state.writeCount).toBe(before);
    await store.flush();
    expect(store.state.writeCount).toBe(before + 1);
    const again = await DataStore.open({ dir });
    expect(Object.keys(again.state.data.sessions)).toHaveLength(500);
    expect(again.state.data.sessions.s7?.assignedTracks).toEqual(['t1']);
    expect(again.existed).toBe(true);
  });

  it('writes on its own after the flush delay', async () => {
    const store = await DataStore.open({ dir, flushDelayMs: 5 });
    store.state.change((s) => { s.devices.d = { id: 'd', tokenHash: 'b'.repeat(64), label: 'agent', createdAt: 1 }; });
    await expect.poll(async () => (await fs.readFile(path.join(dir, 'state.json'), 'utf8')).includes('"agent"'), { timeout: 2000 }).toBe(true);
  });

  it('stops with a typed error on a corrupt state file and leaves it untouched', async () => {
    await (await DataStore.open({ dir })).flush();
    await fs.writeFile(path.join(dir, 'state.json'), '{"version":1, "rooms": {');
    const err = await DataStore.open({ dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PersistenceError);
    expect((err as PersistenceError).reason).toBe('corrupt');
    expect((err as Error).message).toContain('state.json');
    expect(await fs.readFile(path.join(dir, 'state.json'), 'utf8')).toBe('{"version":1, "rooms": {');
  });

  it('refuses a state file that parses but breaks the schema', async () => {
    await (await DataStore.open({ dir })).flush();
    await fs.writeFile(path.join(dir, 'state.json'), JSON.stringify({ version: 1, rooms: 'nope' }));
    await expect(DataStore.open({ dir })).rejects.toMatchObject({ name: 'PersistenceError', reason: 'invalid' });
  });

  it('reports a missing notes file instead of making an empty one', async () => {
    await (await DataStore.open({ dir })).flush();
    await fs.rm(path.join(dir, 'notes.json'));
    await expect(DataStore.open({ dir })).rejects.toMatchObject({ reason: 'missing', file: path.join(dir, 'notes.json') });
    await expect(fs.access(path.join(dir, 'notes.json'))).rejects.toThrow();
  });

  it('reports a missing state file when the rest of the data dir exists', async () => {
    await (await DataStore.open({ dir })).flush();
    await fs.rm(path.join(dir, 'state.json'));
    await expect(DataStore.open({ dir })).rejects.toMatchObject({ reason: 'missing', file: path.join(dir, 'state.json') });
  });

  it('reports a missing audit log', async () => {
    await (await DataStore.open({ dir })).flush();
    await fs.rm(path.join(dir, 'audit'), { recursive: true });
    await expect(DataStore.open({ dir })).rejects.toMatchObject({ reason: 'missing' });
  });

  it('keeps the notes doc as a Yjs update and encodes it once per write', async () => {
    const store = await DataStore.open({ dir, flushDelayMs: 60_000 });
    const doc = new Y.Doc();
    store.notes.bind('studio', doc);
    const writes = store.notes.writeCount;
    for (const ch of 'Verse, chorus, bridge') doc.getText('text').insert(doc.getText('text').length, ch);
    await store.flush();
    expect(store.notes.writeCount).toBe(writes + 1);
    const reopened = await DataStore.open({ dir });
    const copy = new Y.Doc();
    reopened.notes.bind('studio', copy);
    expect(copy.getText('text').toString()).toBe('Verse, chorus, bridge');
  });

  it('flushes everything on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/shutdown-child.ts', import.meta.url)), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => { if (b.toString().includes('ready')) resolve(); });
      child.on('exit', (code) => reject(new Error(`child exited early: ${code}`)));
    });
    child.removeAllListeners('exit');
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const store = await DataStore.open({ dir });
    expect(store.state.data.rooms.studio?.joinCode).toBe('CHILD-1');
    expect(store.audit.query({ kind: 'leave' })).toHaveLength(1);
  }, 20_000);
});

describe('AuditLog', () => {
  it('rotates into bounded files and deletes the oldest', async () => {
    const log = await AuditLog.open({ dir, maxEntriesPerFile: 10, maxFiles: 3, flushDelayMs: 60_000 });
    for (let i = 0; i < 45; i++) { log.record({ at: i, kind: 'command', ok: i % 5 !== 0, ...(i % 5 === 0 ? { code: 'FORBIDDEN' } : {}), sessionId: i % 2 ? 'odd' : 'even' }); await log.flush(); }
    await log.flush();
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.json'));
    expect(files.filter((f) => f.startsWith('audit-')).length).toBeLessThanOrEqual(3);
    expect(log.fileCount).toBe(files.length);
    const newest = log.query({ limit: 5 });
    expect(newest.map((e) => e.at)).toEqual([44, 43, 42, 41, 40]);
    expect(log.query({ limit: 1000 }).every((e) => e.at >= 20)).toBe(true);
  });

  it('rotates by size as well as by count', async () => {
    const log = await AuditLog.open({ dir, maxEntriesPerFile: 10_000, maxBytesPerFile: 1000, maxFiles: 50 });
    for (let i = 0; i < 40; i++) { log.record({ at: i, kind: 'join', detail: 'y'.repeat(100) }); await log.flush(); }
    for (const f of await fs.readdir(dir)) expect((await fs.stat(path.join(dir, f))).size).toBeLessThan(2000);
    expect(log.fileCount).toBeGreaterThan(3);
  });

  it('filters by kind, session and errors', async () => {
    const log = await AuditLog.open({ dir });
    log.record({ at: 1, kind: 'join', sessionId: 'a' });
    log.record({ at: 2, kind: 'command', sessionId: 'a', ok: true });
    log.record({ at: 3, kind: 'command', sessionId: 'b', ok: false, code: 'FORBIDDEN' });
    log.record({ at: 4, kind: 'ip_mismatch', sessionId: 'a', code: 'UNAUTHENTICATED' });
    expect(log.query({ kind: 'command' }).map((e) => e.at)).toEqual([3, 2]);
    expect(log.query({ sessionId: 'a' }).map((e) => e.at)).toEqual([4, 2, 1]);
    expect(log.query({ onlyErrors: true }).map((e) => e.at)).toEqual([4, 3]);
    expect(log.query({ since: 3 }).map((e) => e.at)).toEqual([4, 3]);
  });
});

describe('BatchedFile write failures', () => {
  it('reports a failed background write and retries it instead of crashing', async () => {
    const { BatchedFile } = await import('./batched-file.ts');
    const { z } = await import('zod');
    const file = path.join(dir, 'sub', 'x.json');
    await fs.mkdir(path.dirname(file));
    const errors: Error[] = [];
    const f = await BatchedFile.open({ file, schema: z.object({ n: z.number() }), initial: () => ({ n: 0 }), flushDelayMs: 10, onWriteError: (e) => errors.push(e) });
    // A directory where the file should be: the rename onto it fails (we run as root, so
    // permissions would not stop us).
    await fs.rm(file);
    await fs.mkdir(file);
    try {
      f.change((d) => { d.n = 1; });
      await expect.poll(() => errors.length, { timeout: 2000 }).toBeGreaterThan(0);
      expect(errors[0]).toBeInstanceOf(PersistenceError);
      expect(errors[0]!.message).toContain('unwritable');
    } finally {
      await fs.rmdir(file);
    }
    await expect.poll(async () => z.object({ n: z.number() }).parse(JSON.parse(await fs.readFile(file, 'utf8'))).n, { timeout: 2000 }).toBe(1);
  });
});
