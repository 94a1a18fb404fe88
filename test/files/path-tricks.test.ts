import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ROOM_EVENTS, fileDownloadPath, type UploadAnswer } from '../../protocol/index.ts';
import { joinAs, roomSocket, startRoomServer, type RoomServer } from '../helpers/room-server.ts';

import { wavBytes } from '../../testkit/audio.ts';
import { rawRequest, tusUpload } from '../../testkit/uploads.ts';

type HttpResult = Awaited<ReturnType<typeof rawRequest>>;

/**
 * Security regression: no request reaches a file the room did not store or the set does
 * not reference. Downloads take ids, never paths; upload ids are the server's own; names
 * from devices are cleaned before they name anything; links in the drops folder are not
 * followed. Each trick must be refused and serve no byte of the secret.
 */
describe('path tricks against the files routes are refused (docs/security.md, "Files")', { timeout: 120_000 }, () => {
  let rs: RoomServer;
  let ada: { cookie: string; id: string };
  let stored: UploadAnswer;
  let secret: string;
  const SECRET = 'roomtone-secret-do-not-serve';

  const tus = { 'tus-resumable': '1.0.0' };
  const get = (p: string): Promise<HttpResult> => rawRequest(rs.peer, 'GET', p, { cookie: ada.cookie });
  const refused = (r: HttpResult): void => {
    expect(r.status, r.text).toBeGreaterThanOrEqual(400);
    expect(r.text).not.toContain(SECRET);
    expect(r.text).not.toContain('tokenHash');
  };

  beforeAll(async () => {
    rs = await startRoomServer();
    ada = await joinAs(rs, 'Ada');
    stored = await tusUpload(rs.peer, ada.cookie, wavBytes(1, { seed: 1 }), { filename: 'riff.wav' }).start().done;
    secret = path.join(rs.dataDir, 'secret.txt');
    writeFileSync(secret, SECRET);
  });
  afterAll(async () => { await rs?.stop(); });

  it('SEC-F1 the stored drop itself downloads (the control case)', async () => {
    const r = await get(fileDownloadPath(stored.file.id));
    expect(r.status).toBe(200);
  });

  const downloadTricks: Array<[string, string]> = [
    ['dot-dot segments', '/api/files/../state.json/download'],
    ['encoded dot-dot and slash', '/api/files/..%2F..%2Fstate.json/download'],
    ['encoded dots', '/api/files/%2e%2e%2fstate.json/download'],
    ['double-encoded separators', '/api/files/..%252F..%252Fstate.json/download'],
    ['encoded absolute path', '/api/files/%2Fetc%2Fpasswd/download'],
    ['absolute path in the route', '/api/files//etc/passwd/download'],
    ['encoded backslashes', '/api/files/..%5C..%5Cstate.json/download'],
    ['NUL byte after a real id', `/api/files/${'a'.repeat(64)}%00.wav/download`],
    ['fullwidth dots and solidus', '/api/files/%EF%BC%8E%EF%BC%8E%EF%BC%8Fstate.json/download'],
    ['a path in the query', '/api/files/download?path=/etc/passwd'],
    ['a well-formed id the room never stored', `/api/files/${'0'.repeat(64)}/download`],
    ['a take id carrying a path', '/api/files/takes/..%2F..%2F..%2Fetc%2Fpasswd/download'],
    ['a take id that is an absolute path', '/api/files/takes/%2Fetc%2Fpasswd/download'],
  ];
  for (const [what, route] of downloadTricks) {
    it(`SEC-F2 a download with ${what} is refused`, async () => refused(await get(route)));
  }

  const uploadTricks: Array<[string, string, string]> = [
    ['HEAD', 'dot-dot as an upload id', '/api/files/uploads/..'],
    ['HEAD', 'an encoded path as an upload id', '/api/files/uploads/..%2F..%2Fstate.json'],
    ['PATCH', 'PATCH into the data dir through an encoded path', '/api/files/uploads/%2e%2e%2f%2e%2e%2fsecret.txt'],
    ['DELETE', 'DELETE through an encoded path', '/api/files/uploads/..%2Fstate'],
  ];
  for (const [method, what, route] of uploadTricks) {
    it(`SEC-F3 ${what} is refused and changes nothing`, async () => {
      const before = readFileSync(path.join(rs.dataDir, 'state.json'), 'utf8').length;
      const r = await rawRequest(rs.peer, method, route, {
        cookie: ada.cookie, origin: rs.peer.base, body: method === 'PATCH' ? 'overwritten' : undefined,
        headers: { ...tus, ...(method === 'PATCH' ? { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' } : {}) },
      });
      expect(r.status).toBe(404);
      expect(readFileSync(secret, 'utf8')).toBe(SECRET);
      expect(existsSync(path.join(rs.dataDir, 'state.json'))).toBe(true);
      expect(readFileSync(path.join(rs.dataDir, 'state.json'), 'utf8').length).toBeGreaterThan(before / 2);
    });
  }

  it('SEC-F4 a sender’s file name with separators and dot-dots names nothing outside its folder', async () => {
    const answer = await tusUpload(rs.peer, ada.cookie, wavBytes(1, { seed: 2 }), { filename: '../../../../etc/cron.d/..\\evil.wav' }).start().done;
    expect(answer.file.name).toBe('evil.wav');
    expect(existsSync(path.join(rs.dataDir, 'drops', 'Ada', 'evil.wav'))).toBe(true);
    const abs = await tusUpload(rs.peer, ada.cookie, wavBytes(1, { seed: 3 }), { filename: '/etc/passwd' }).start().done;
    expect(abs.file.name).toBe('passwd.wav');
    expect(existsSync(path.join(rs.dataDir, 'drops', 'Ada', 'passwd.wav'))).toBe(true);
  });

  it('SEC-F5 a display name made of dot-dots and slashes becomes one harmless folder', async () => {
    const sneaky = await joinAs(rs, '../../..');
    const answer = await tusUpload(rs.peer, sneaky.cookie, wavBytes(1, { seed: 4 }), { filename: '.hidden.wav' }).start().done;
    expect(answer.file.name).toBe('hidden.wav');
    expect(existsSync(path.join(rs.dataDir, 'drops', 'guest', 'hidden.wav'))).toBe(true);
  });

  it('SEC-F6 a stored drop replaced by a symlink to a secret is not served', async () => {
    const file = path.join(rs.dataDir, 'drops', 'Ada', 'riff.wav');
    renameSync(file, `${file}.kept`);
    symlinkSync(secret, file);
    try {
      const r = await get(fileDownloadPath(stored.file.id));
      refused(r);
      expect(r.status).toBe(403);
    } finally {
      rmSync(file);
      renameSync(`${file}.kept`, file);
    }
  });

  it('SEC-F7 a drops folder replaced by a symlink to another folder is not followed', async () => {
    const outside = path.join(rs.dataDir, 'outside');
    mkdirSync(outside, { recursive: true });
    writeFileSync(path.join(outside, 'riff.wav'), wavBytes(1, { seed: 1 })); // even real audio
    const folder = path.join(rs.dataDir, 'drops', 'Ada');
    renameSync(folder, `${folder}.kept`);
    symlinkSync(outside, folder);
    try {
      refused(await get(fileDownloadPath(stored.file.id)));
    } finally {
      rmSync(folder);
      renameSync(`${folder}.kept`, folder);
    }
  });

  it('SEC-F8 a stored drop swapped for a non-audio file of the same name is not served', async () => {
    const file = path.join(rs.dataDir, 'drops', 'Ada', 'riff.wav');
    const kept = readFileSync(file);
    writeFileSync(file, SECRET.repeat(200));
    try {
      refused(await get(fileDownloadPath(stored.file.id)));
    } finally {
      writeFileSync(file, kept);
    }
    expect((await get(fileDownloadPath(stored.file.id))).status).toBe(200);
  });

  it('SEC-F9 placing a file: a path instead of a file id is INVALID, an unknown id NOT_FOUND', async () => {
    const socket: Socket = await roomSocket(rs.peer, ada.cookie);
    try {
      const send = (args: unknown) => socket.timeout(5_000).emitWithAck(ROOM_EVENTS.command, { id: `trick-${Math.random().toString(36).slice(2)}`, action: 'clip_slot.create_audio_clip', target: 'cs1', args });
      expect(await send({ path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      expect(await send({ file: stored.file.id, path: '/etc/passwd' })).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      expect(await send({ file: '../../etc/passwd' })).toMatchObject({ ok: false, error: { code: 'INVALID' } });
      expect(await send({ file: '0'.repeat(64) })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    } finally {
      socket.close();
    }
  });
});
