import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDoc, synced, type DocClient } from '../../testkit/clients.ts';
import { joinAs, startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { until } from '../../testkit/poll.ts';

const CLOSE_NOTES_REFUSED = 4413;

/** A notes client that, like the editor, takes its own change back when the server refuses it. */
function editor(rs: RoomServer, cookie: string): DocClient & { closes: Array<{ code: number; reason: string }> } {
  const client = openDoc(rs.peer, cookie, 'notes');
  const closes: Array<{ code: number; reason: string }> = [];
  const undo = new Y.UndoManager(client.doc.getText('text'), { trackedOrigins: new Set(['me']), captureTimeout: 0 });
  client.provider.on('connection-close', (event: { code: number; reason: string } | null) => {
    if (!event) return;
    closes.push({ code: event.code, reason: event.reason });
    if (event.code === CLOSE_NOTES_REFUSED) undo.undo();
  });
  return Object.assign(client, { closes });
}

const type = (c: DocClient, at: number, text: string): void => c.doc.transact(() => c.doc.getText('text').insert(at, text), 'me');

/**
 * H7 (docs/security.md): one member grew the notes to 23 MB in seconds; past 8 MiB no
 * new member could sync (the first sync counted against the slow-reader cap), and it
 * survived a restart. Updates and the doc have a size cap with a typed refusal the
 * editor shows, and the first sync never counts against the slow-reader cap.
 */
describe('H7 notes size unbounded', () => {
  let rs: RoomServer;
  beforeAll(async () => { rs = await startRoomServer(); });
  afterAll(async () => { await rs?.stop(); });

  it('H7 a paste over 256 KB and growth past 2 MB are refused with a typed close; the doc stays within its cap; deleting still works', async () => {
    const { cookie } = await joinAs(rs, 'Mallory');
    const notes = rs.server.parts.room.notes;
    const m = editor(rs, cookie);
    try {
      await synced(m);
      type(m, 0, 'x'.repeat(300 * 1024));
      await until(() => m.closes.length > 0, 'the refusal');
      expect(m.closes[0]).toMatchObject({ code: CLOSE_NOTES_REFUSED, reason: expect.stringMatching(/^TOO_LARGE: /) });
      expect(notes.doc.getText('text').length).toBe(0);

      // The undone change re-syncs as deletions only; then grow the notes 200 KB at a time.
      await until(() => m.provider.synced && m.provider.wsconnected, 'reconnected after the refusal');
      for (let i = 0; i < 12 && m.closes.length < 2; i++) {
        type(m, 0, String(i % 10).repeat(200 * 1024));
        await until(() => notes.doc.getText('text').length === (i + 1) * 200 * 1024 || m.closes.length >= 2, 'the paste applied or refused');
      }
      expect(m.closes[1]).toMatchObject({ code: CLOSE_NOTES_REFUSED, reason: expect.stringMatching(/^NOTES_FULL: /) });
      expect(Y.encodeStateAsUpdate(notes.doc).byteLength).toBeLessThanOrEqual(2 * 1024 * 1024);
      const full = notes.doc.getText('text').length;
      expect(full).toBeGreaterThan(1.5 * 1024 * 1024);

      await until(() => m.provider.synced && m.provider.wsconnected, 'reconnected after the second refusal');
      await until(() => m.doc.getText('text').length === full, 'the editor back in step with the server');
      m.doc.transact(() => m.doc.getText('text').delete(0, 200 * 1024), 'me');
      await until(() => notes.doc.getText('text').length === full - 200 * 1024, 'the deletion applied on the full doc');
      expect(rs.server.parts.store.audit.query({ kind: 'notes_refused' }).length).toBeGreaterThanOrEqual(1);
    } finally {
      m.destroy();
    }
  });
});

describe('H7 a notes doc saved bigger than the slow-reader cap', () => {
  let rs: RoomServer;
  let dir: string;
  const text = 'la '.repeat(3 * 1024 * 1024); // 9 MiB of lyrics, saved by an older version
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-h7-'));
    await (await startRoomServer({ dataDir: dir })).stop();
    const doc = new Y.Doc();
    doc.getText('text').insert(0, text);
    const file = path.join(dir, 'notes.json');
    const saved = JSON.parse(await fs.readFile(file, 'utf8')) as { docs: Record<string, string> };
    saved.docs.studio = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
    await fs.writeFile(file, JSON.stringify(saved));
    rs = await startRoomServer({ dataDir: dir });
  });
  afterAll(async () => {
    await rs?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('H7 a new member still gets its first sync of a 9 MiB doc, and edits on it are refused as full, not dropped as slow', async () => {
    const { cookie } = await joinAs(rs, 'Newcomer');
    const reader = editor(rs, cookie);
    try {
      await synced(reader, 30_000);
      expect(reader.doc.getText('text').length).toBe(text.length);
      expect(rs.server.parts.store.audit.query({ kind: 'yjs_too_slow' })).toEqual([]);
      type(reader, 0, 'one more verse');
      await until(() => reader.closes.length > 0, 'the refusal');
      expect(reader.closes[0]!.reason).toMatch(/^NOTES_FULL: /);
    } finally {
      reader.destroy();
    }
  });
});
