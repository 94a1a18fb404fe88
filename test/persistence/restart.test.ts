import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOM_EVENTS } from '../../protocol/index.ts';
import { openDoc, synced } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { ROOT } from '../../testkit/root.ts';
import { hostCall, joinAs, roomSocket, session, startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { PersistenceError } from '../../server/persistence/persistence-error.ts';

describe('persistence across a restart', () => {
  let rs: RoomServer | undefined;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'roomtone-restart-'));
  afterAll(async () => {
    await rs?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps sessions, roles, assignments, room switches, join code, notes and audit', async () => {
    rs = await startRoomServer({ dataDir });
    const teacher = await joinAs(rs, 'Teacher', 'host');
    const ada = await joinAs(rs, 'Ada');
    const host = await roomSocket(rs.peer, teacher.cookie);
    await hostCall(host, ROOM_EVENTS.hostAssignTracks, { sessionId: ada.id, trackIds: ['t1', 't2'] });
    await hostCall(host, ROOM_EVENTS.hostLock, { locked: true });
    host.close();
    const notes = openDoc(rs.peer, ada.cookie, 'notes');
    await synced(notes);
    notes.doc.getText('text').insert(0, 'Verse – Chorus – Bridge');
    // A second reader proves the edit reached the server before the restart.
    const reader = openDoc(rs.peer, teacher.cookie, 'notes');
    await until(() => reader.doc.getText('text').toString() === 'Verse – Chorus – Bridge', 'the notes edit on the server');
    reader.destroy();
    notes.destroy();
    const code = rs.joinCode;

    rs = await rs.restart();

    expect(rs.joinCode).toBe(code);
    expect(rs.server.parts.room.locked).toBe(true);
    const back = await session(rs.peer, ada.cookie);
    expect(back.status).toBe(200);
    expect(back.body).toMatchObject({ session: { id: ada.id, name: 'Ada', role: 'member', assignedTracks: ['t1', 't2'] } });
    expect((await session(rs.peer, teacher.cookie)).body).toMatchObject({ session: { role: 'host' } });
    const again = openDoc(rs.peer, ada.cookie, 'notes');
    await synced(again);
    expect(again.doc.getText('text').toString()).toBe('Verse – Chorus – Bridge');
    again.destroy();
    expect(rs.server.parts.store.audit.query({ kind: 'join' }).map((e) => e.name)).toEqual(expect.arrayContaining(['Teacher', 'Ada']));
  });

  it('batches writes: a burst of commands does not write state.json once per command', async () => {
    const file = rs!.server.parts.store.state;
    const before = file.writeCount;
    const { cookie } = await joinAs(rs!, 'Burst');
    const socket = await roomSocket(rs!.peer, cookie);
    await Promise.all(Array.from({ length: 50 }, (_, i) => socket.timeout(5_000).emitWithAck(ROOM_EVENTS.command, { id: `burst-${i}`, action: 'song.set_tempo', args: { bpm: 100 } })));
    socket.close();
    expect(file.writeCount - before).toBeLessThan(5);
  });

  it('refuses to start on a corrupt state file and leaves it as it was', async () => {
    await rs!.stop();
    rs = undefined;
    const stateFile = path.join(dataDir, 'state.json');
    writeFileSync(stateFile, '{ "version": 1, "sessions": ');
    const err = await startRoomServer({ dataDir }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(PersistenceError);
    expect(readFileSync(stateFile, 'utf8')).toBe('{ "version": 1, "sessions": ');
  });

  it('roomtone start exits with one clear line, not a stack trace, on that file', async () => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'roomtone.mjs'), 'start',
      '--port', '0', '--http-port', '-1', '--host', '127.0.0.1', '--no-mdns', '--live', 'sim', '--data-dir', dataDir,
      '--certs-dir', path.join(os.tmpdir(), 'roomtone-test-certs'), '--log-dir', path.join(dataDir, 'logs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => { stderr += b.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/ERROR: Data file .*state\.json is corrupt: .*will not replace it/);
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
