import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { FILE_ROUTES, ROOM_EVENTS, type FileLimits, type UploadAnswer, FilesListingSchema, HttpErrorSchema } from '../../protocol/index.ts';
import { hostCall, joinAs, roomSocket, startRoomServer, type RoomServer } from '../helpers/room-server.ts';
import { request } from '../../testkit/clients.ts';
import { until } from '../../testkit/poll.ts';
import { executableBytes, fixture, wavBytes } from '../../testkit/audio.ts';
import { UploadRefused, sha256, startAndCut, tusUpload } from '../../testkit/uploads.ts';

/** Every regular file under a folder, relative paths. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.relative(dir, path.join(d.parentPath, d.name)));
}

async function refusal(run: Promise<unknown>): Promise<UploadRefused> {
  const err = await run.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(UploadRefused);
  return err as UploadRefused;
}

describe('uploads: resumable, checked from their bytes, stored once (docs/files.md)', { timeout: 120_000 }, () => {
  let rs: RoomServer;
  let host: { cookie: string; id: string };
  let hostSocket: Socket;
  let ada: { cookie: string; id: string };

  const settings = (change: Partial<FileLimits>) => hostCall(hostSocket, ROOM_EVENTS.hostFilesSettings, change);
  const uploadsDir = () => path.join(rs.dataDir, 'uploads');
  const dropsDir = () => path.join(rs.dataDir, 'drops');

  beforeAll(async () => {
    rs = await startRoomServer({ config: { uploadGraceMs: 1_500 } });
    host = await joinAs(rs, 'Teacher', 'host');
    hostSocket = await roomSocket(rs.peer, host.cookie);
    ada = await joinAs(rs, 'Ada');
  });
  afterAll(async () => {
    hostSocket?.close();
    await rs?.stop();
  });

  it('F1 an upload cut off halfway and resumed lands whole and byte-identical', async () => {
    const data = wavBytes(6, { seed: 1 }); // ~1 MB
    const run = tusUpload(rs.peer, ada.cookie, data, { filename: 'riff take 1.wav', chunkSize: 128 * 1024 });
    await startAndCut(run, data.length / 2);
    const url = run.upload.url!;
    const head = await request(rs.peer, 'HEAD', new URL(url).pathname, { cookie: ada.cookie, headers: { 'tus-resumable': '1.0.0' } });
    const offset = Number(head.headers['upload-offset']);
    expect(offset).toBeGreaterThan(data.length / 2);
    expect(offset).toBeLessThan(data.length);
    run.upload.start(); // resumes from the server's offset (HEAD), never from zero
    const answer = await run.done;
    expect(answer.duplicate).toBe(false);
    expect(answer.file).toMatchObject({ id: sha256(data), name: 'riff take 1.wav', format: 'wav', bytes: data.length, channels: 2, sampleRate: 44_100, mine: true, where: 'drops' });
    expect(answer.file.seconds).toBeCloseTo(6, 3);
    const stored = path.join(dropsDir(), 'Ada', 'riff take 1.wav');
    expect(sha256(readFileSync(stored))).toBe(sha256(data));
    expect(filesUnder(uploadsDir())).toEqual([]); // the partial copy is gone once stored
  });

  it('F2 a server restart in the middle of an upload is survived', async () => {
    const data = wavBytes(5, { seed: 2 });
    const run = tusUpload(rs.peer, ada.cookie, data, { filename: 'after the restart.wav', chunkSize: 100 * 1024 });
    await startAndCut(run, data.length / 3);
    const url = run.upload.url!;
    hostSocket.close();
    rs = await rs.restart();
    hostSocket = await roomSocket(rs.peer, host.cookie);
    // The session and the partial upload both came back from the data dir.
    const resumed = tusUpload(rs.peer, ada.cookie, data, { filename: 'after the restart.wav', chunkSize: 100 * 1024, uploadUrl: url.replace(/:\d+\//, `:${rs.httpsPort}/`) });
    let firstOffset = -1;
    resumed.upload.options.onChunkComplete = (size, accepted) => { if (firstOffset < 0) firstOffset = accepted - size; };
    resumed.upload.start();
    const answer = await resumed.done;
    expect(firstOffset).toBeGreaterThan(data.length / 3); // it went on from where it stopped
    expect(answer.file.id).toBe(sha256(data));
    expect(sha256(readFileSync(path.join(dropsDir(), 'Ada', 'after the restart.wav')))).toBe(sha256(data));
  });

  it('F3 a renamed executable, a truncated WAV and a file over the cap are refused with their codes and leave nothing on disk', async () => {
    const before = filesUnder(dropsDir());
    const exe = await refusal(tusUpload(rs.peer, ada.cookie, executableBytes(), { filename: 'song.wav', retryDelays: null }).start().done);
    expect(exe.error?.code).toBe('NOT_AUDIO');
    expect(exe.status).toBe(415);

    const whole = wavBytes(2, { seed: 3 });
    const truncated = whole.subarray(0, Math.floor(whole.length * 0.6));
    const cut = await refusal(tusUpload(rs.peer, ada.cookie, truncated, { filename: 'cut.wav', retryDelays: null }).start().done);
    expect(cut.error?.code).toBe('BAD_AUDIO');

    expect((await settings({ maxFileBytes: 256 * 1024 })).ok).toBe(true);
    const big = await refusal(tusUpload(rs.peer, ada.cookie, wavBytes(3, { seed: 4 }), { filename: 'big.wav', retryDelays: null }).start().done);
    expect(big.error).toMatchObject({ code: 'FILE_TOO_LARGE', limit: 256 * 1024 });
    expect(big.status).toBe(413);
    await settings({ maxFileBytes: 512 * 1024 * 1024 });

    expect(filesUnder(uploadsDir())).toEqual([]);
    expect(filesUnder(dropsDir())).toEqual(before);
    const listing = FilesListingSchema.parse((await request(rs.peer, 'GET', FILE_ROUTES.files, { cookie: ada.cookie })).body);
    expect(listing.files.map((f) => f.name).sort()).toEqual(['after the restart.wav', 'riff take 1.wav']);
    expect(listing.allowance.unfinished).toBe(0);
    const audit = rs.server.parts.audit.query({ kind: 'file_upload', onlyErrors: true, limit: 50 }).map((e) => e.code);
    expect(audit).toEqual(expect.arrayContaining(['NOT_AUDIO', 'BAD_AUDIO', 'FILE_TOO_LARGE']));
  });

  it('F4 identical content is stored once; another file with a taken name gets a new one, nothing is overwritten', async () => {
    const data = wavBytes(1, { seed: 5 });
    const first = await tusUpload(rs.peer, ada.cookie, data, { filename: 'loop.wav' }).start().done;
    const bob = await joinAs(rs, 'Bob');
    const again: UploadAnswer = await tusUpload(rs.peer, bob.cookie, data, { filename: 'other name.wav' }).start().done;
    expect(again).toMatchObject({ duplicate: true, file: { id: first.file.id, name: 'loop.wav', mine: true } });
    const other = wavBytes(1, { seed: 6 });
    const second = await tusUpload(rs.peer, ada.cookie, other, { filename: 'loop.wav' }).start().done;
    expect(second.file.name).toBe('loop 2.wav');
    expect(sha256(readFileSync(path.join(dropsDir(), 'Ada', 'loop.wav')))).toBe(sha256(data));
    expect(sha256(readFileSync(path.join(dropsDir(), 'Ada', 'loop 2.wav')))).toBe(sha256(other));
    expect(filesUnder(dropsDir()).filter((f) => f.startsWith('Bob'))).toEqual([]);
  });

  it('F5 every format Live reads is accepted, judged and described from its bytes', async () => {
    const names = ['tone.wav', 'tone.aiff', 'tone.flac', 'tone.mp3', 'tone.ogg', 'tone.opus', 'tone.m4a'] as const;
    for (const name of names) {
      // The name the device gives says nothing: every file is sent as "clip.bin".
      const answer = await tusUpload(rs.peer, host.cookie, fixture(name), { filename: `${name}.bin` }).start().done;
      const format = name === 'tone.opus' ? 'ogg' : name.slice(5).replace('aiff', 'aiff');
      expect(answer.file.format, name).toBe(format);
      expect(answer.file.seconds, name).toBeGreaterThan(0.45);
      expect(answer.file.seconds, name).toBeLessThan(0.6);
      expect(answer.file.fromHost).toBe(true);
    }
  });

  it('F6 caps, quota, disk floor, drops off, observers and a locked room each refuse with their own code', async () => {
    const carl = await joinAs(rs, 'Carl');
    const file = wavBytes(1, { seed: 7 });
    expect((await settings({ dailyQuotaBytes: file.length - 1 })).ok).toBe(true);
    expect((await refusal(tusUpload(rs.peer, carl.cookie, file, { filename: 'q.wav', retryDelays: null }).start().done)).error).toMatchObject({ code: 'QUOTA_EXCEEDED', limit: file.length - 1 });
    await settings({ dailyQuotaBytes: 2 * 1024 ** 3, diskFloorBytes: 1024 * 1024 ** 3 });
    expect((await refusal(tusUpload(rs.peer, carl.cookie, file, { filename: 'q.wav', retryDelays: null }).start().done)).error?.code).toBe('DISK_FULL');
    await settings({ diskFloorBytes: 0, dropsEnabled: false });
    expect((await refusal(tusUpload(rs.peer, carl.cookie, file, { filename: 'q.wav', retryDelays: null }).start().done)).error?.code).toBe('DROPS_OFF');
    // The host still may: a teacher hands out samples with drops off.
    expect((await tusUpload(rs.peer, host.cookie, file, { filename: 'handout.wav' }).start().done).file.fromHost).toBe(true);
    await settings({ dropsEnabled: true });
    const eve = await joinAs(rs, 'Eve', 'observer');
    expect((await refusal(tusUpload(rs.peer, eve.cookie, wavBytes(1, { seed: 8 }), { filename: 'o.wav', retryDelays: null }).start().done)).error?.code).toBe('FORBIDDEN');
    expect((await hostCall(hostSocket, ROOM_EVENTS.hostLock, { locked: true })).ok).toBe(true);
    expect((await refusal(tusUpload(rs.peer, carl.cookie, wavBytes(1, { seed: 9 }), { filename: 'l.wav', retryDelays: null }).start().done)).error?.code).toBe('ROOM_LOCKED');
    await hostCall(hostSocket, ROOM_EVENTS.hostLock, { locked: false });
    const listing = FilesListingSchema.parse((await request(rs.peer, 'GET', FILE_ROUTES.files, { cookie: carl.cookie })).body);
    expect(listing.allowance).toMatchObject({ usedTodayBytes: 0, unfinished: 0, dropsEnabled: true });
    expect(filesUnder(uploadsDir())).toEqual([]);
  });

  it('F7 another session cannot see, resume or cancel my upload', async () => {
    const data = wavBytes(2, { seed: 10 });
    const run = tusUpload(rs.peer, ada.cookie, data, { filename: 'mine.wav', chunkSize: 64 * 1024 });
    await startAndCut(run, 0);
    const where = new URL(run.upload.url!).pathname;
    const bob = await joinAs(rs, 'Bob2');
    const tus = { 'tus-resumable': '1.0.0' };
    expect((await request(rs.peer, 'HEAD', where, { cookie: bob.cookie, headers: tus })).status).toBe(404);
    expect((await request(rs.peer, 'DELETE', where, { cookie: bob.cookie, origin: rs.peer.base, headers: tus })).status).toBe(404);
    const patch = await request(rs.peer, 'PATCH', where, { cookie: bob.cookie, origin: rs.peer.base, body: 'x'.repeat(10), headers: { ...tus, 'upload-offset': '65536', 'content-type': 'application/offset+octet-stream' } });
    expect(patch.status).toBe(404);
    expect(HttpErrorSchema.parse(patch.body).error.code).toBe('NOT_FOUND');
    // The owner cancels: the reservation and the bytes go.
    expect((await request(rs.peer, 'DELETE', where, { cookie: ada.cookie, origin: rs.peer.base, headers: tus })).status).toBe(204);
    expect(filesUnder(uploadsDir())).toEqual([]);
  });

  it('F8 an abandoned upload is removed after the grace period and its quota given back', async () => {
    const dora = await joinAs(rs, 'Dora');
    const data = wavBytes(2, { seed: 11 });
    const run = tusUpload(rs.peer, dora.cookie, data, { filename: 'left behind.wav', chunkSize: 64 * 1024 });
    await startAndCut(run, 0);
    const allowance = async () => FilesListingSchema.parse((await request(rs.peer, 'GET', FILE_ROUTES.files, { cookie: dora.cookie })).body).allowance;
    expect(await allowance()).toMatchObject({ usedTodayBytes: data.length, unfinished: 1 });
    expect(filesUnder(uploadsDir()).length).toBe(2); // the bytes and tus's metadata
    await until(() => filesUnder(uploadsDir()).length === 0, 'the abandoned upload swept', 20_000, 100);
    expect(await allowance()).toMatchObject({ usedTodayBytes: 0, unfinished: 0 });
    const head = await request(rs.peer, 'HEAD', new URL(run.upload.url!).pathname, { cookie: dora.cookie, headers: { 'tus-resumable': '1.0.0' } });
    expect(head.status).toBe(404);
  });
});
