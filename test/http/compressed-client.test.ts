import https from 'node:https';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoomServer, type RoomServer } from '../helpers/room-server.ts';

interface Raw { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }

function get(room: RoomServer, path: string, acceptEncoding: string): Promise<Raw> {
  return new Promise((resolve, reject) => {
    https.get(new URL(path, room.peer.base), { ca: room.peer.ca, headers: { 'accept-encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('the page is served compressed', () => {
  let room: RoomServer;
  let script = '';

  beforeAll(async () => {
    room = await startRoomServer();
    const index = await get(room, '/', 'identity');
    script = /src="(\/assets\/index-[^"]+\.js)"/.exec(index.body.toString('utf8'))?.[1] ?? '';
  });
  afterAll(async () => {
    await room?.stop();
  });

  it('hands out the build’s brotli copy to a browser that accepts it, and gzip to one that only takes gzip', async () => {
    expect(script).not.toBe('');
    const plain = await get(room, script, 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();

    const br = await get(room, script, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/Accept-Encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gz = await get(room, script, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
  });

  it('keeps the shell uncached and the SPA fallback working', async () => {
    const sw = await get(room, '/sw.js', 'br');
    expect(sw.headers['cache-control']).toBe('no-cache');
    const deep = await get(room, '/some/deep/link', 'br');
    expect(deep.status).toBe(200);
    expect(deep.headers['cache-control']).toBe('no-cache');
  });
});
