import { spawnSync } from 'node:child_process';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterEach, describe, expect, it } from 'vitest';
import { PersistenceError } from '../../server/persistence/persistence-error.ts';
import { openDoc, request, synced } from '../../testkit/clients.ts';
import { joinAs, startRoomServer } from '../helpers/room-server.ts';
import { ROOT } from '../../testkit/root.ts';
import { BIN } from '../../testkit/stack.ts';

/** A data dir whose notes for `studio` are a Yjs update cut short, as a torn write or a bad edit leaves it. */
async function dataDirWithCorruptNotes(): Promise<string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-h13-'));
  const first = await startRoomServer({ dataDir: dir });
  await first.stop();
  const doc = new Y.Doc();
  doc.getText('text').insert(0, 'Set list: intro, verse, chorus');
  const update = Y.encodeStateAsUpdate(doc);
  const file = path.join(dir, 'notes.json');
  const notes = JSON.parse(await fs.readFile(file, 'utf8')) as { docs: Record<string, string> };
  notes.docs.studio = Buffer.from(update.subarray(0, update.length - 4)).toString('base64');
  await fs.writeFile(file, JSON.stringify(notes));
  return dir;
}

/**
 * H13 (docs/security.md): a corrupt notes payload passed startup and ended the server at
 * the first notes connection, on every restart. The store now checks every doc when it
 * opens: a broken one stops the start with one clear line, or, with --reset-notes, is
 * kept as a copy and the room starts with empty notes.
 */
describe('H13 a corrupt notes payload passes startup and then crashes the server', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

  it('H13 refuses to start with one clear line naming the file, the room and --reset-notes, and leaves the file as it was', async () => {
    const dir = await dataDirWithCorruptNotes();
    dirs.push(dir);
    const before = await fs.readFile(path.join(dir, 'notes.json'), 'utf8');
    const err = await startRoomServer({ dataDir: dir }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PersistenceError);
    expect((err as Error).message).toMatch(/notes\.json is invalid: the notes of room "studio" are not a Yjs update.*--reset-notes/);
    expect(await fs.readFile(path.join(dir, 'notes.json'), 'utf8')).toBe(before);

    const logDir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-h13-logs-'));
    dirs.push(logDir);
    const cli = spawnSync(process.execPath, [BIN, 'start', '--port', '0', '--http-port', '-1', '--host', '127.0.0.1', '--no-mdns', '--live', 'sim', '--data-dir', dir, '--certs-dir', path.join(os.tmpdir(), 'roomtone-test-certs'), '--log-dir', logDir], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(cli.status).toBe(1);
    const lines = cli.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/ERROR: Data file .*notes\.json is invalid: the notes of room "studio".*--reset-notes/);
    expect(cli.stdout).toBe('');
  });

  it('H13 with --reset-notes keeps a copy, starts with empty notes for the room, and serves notes connections', async () => {
    const dir = await dataDirWithCorruptNotes();
    dirs.push(dir);
    const broken = await fs.readFile(path.join(dir, 'notes.json'), 'utf8');
    const rs = await startRoomServer({ dataDir: dir, config: { resetNotes: true } });
    try {
      const copies = (await fs.readdir(dir)).filter((f) => f.startsWith('notes.json.corrupt-'));
      expect(copies).toHaveLength(1);
      expect(await fs.readFile(path.join(dir, copies[0]!), 'utf8')).toBe(broken);
      expect(((await fs.stat(path.join(dir, copies[0]!))).mode & 0o777).toString(8)).toBe('600');
      const { cookie } = await joinAs(rs, 'Ada');
      const notes = openDoc(rs.peer, cookie, 'notes');
      await synced(notes);
      expect(notes.doc.getText('text').toString()).toBe('');
      notes.doc.getText('text').insert(0, 'fresh start');
      notes.destroy();
      expect((await request(rs.peer, 'GET', '/healthz')).status).toBe(200);
      expect(rs.server.parts.audit.query({ kind: 'notes_reset' })).toHaveLength(1);
    } finally {
      await rs.stop();
    }
  });
});
