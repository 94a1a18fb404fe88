import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { until as poll } from '../../testkit/poll.ts';
import { YjsServer } from './yjs-server.ts';
import type { DocChannel } from './doc-channel.ts';

describe('YjsServer', () => {
  let server: http.Server;
  let yjs: YjsServer;
  let setDoc: Y.Doc;
  let base: string;
  const violations: string[] = [];
  const tooSlow: number[] = [];
  const sockets: WebSocket[] = [];

  beforeEach(async () => {
    setDoc = new Y.Doc();
    setDoc.getMap('song').set('tempo', 120);
    const channel: DocChannel = { name: 'set', doc: setDoc, awareness: null, canWrite: () => false };
    yjs = new YjsServer({
      maxMessageBytes: 64 * 1024,
      channel: (room, doc) => (room === 'studio' && doc === 'set' ? channel : undefined),
      authorize: (req) => (req.headers.cookie === 'ok'
        ? { ok: true, owner: { sessionId: 's1', role: 'member', name: 'Ada' } }
        : { ok: false, status: 401, error: { code: 'UNAUTHENTICATED', message: 'no' } }),
      onViolation: (_owner, ch, reason) => violations.push(`${ch}: ${reason}`),
      onTooSlow: (_owner, _ch, bytes) => tooSlow.push(bytes),
      maxBufferedBytes: 1024 * 1024,
    });
    server = http.createServer();
    server.on('upgrade', (req, socket, head) => { if (!yjs.handleUpgrade(req, socket, head)) socket.destroy(); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
    violations.length = 0;
    tooSlow.length = 0;
  });
  afterEach(async () => {
    for (const s of sockets) s.terminate();
    yjs.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** A raw y-websocket client that records every sync message it receives. */
  async function client(cookie = 'ok'): Promise<{ ws: WebSocket; doc: Y.Doc; updates: number }> {
    const ws = new WebSocket(`${base}/yjs/studio/set`, { headers: { cookie } });
    sockets.push(ws);
    const state = { ws, doc: new Y.Doc(), updates: 0 };
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== 0) return;
      const kind = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (kind === syncProtocol.messageYjsUpdate) state.updates++;
      if (kind !== syncProtocol.messageYjsSyncStep1) Y.applyUpdate(state.doc, payload);
    });
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    // Ask for the doc (sync step 1 with an empty state vector).
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeSyncStep1(encoder, state.doc);
    ws.send(encoding.toUint8Array(encoder));
    return state;
  }
  const until = (check: () => boolean): Promise<boolean> => poll(check, 'the condition', 5_000);

  it('refuses an upgrade without a session and serves a doc to one with', async () => {
    const refused = new WebSocket(`${base}/yjs/studio/set`);
    sockets.push(refused);
    await expect(new Promise((_, reject) => refused.once('error', reject))).rejects.toThrow(/401/);
    const c = await client();
    await until(() => c.doc.getMap('song').get('tempo') === 120);
  });

  it('sends a big first sync in fragments that arrive whole, with later updates after it in order', async () => {
    const big = 'x'.repeat(200 * 1024);
    setDoc.getMap('song').set('notes', big);
    const c = await client();
    setDoc.getMap('song').set('tempo', 99); // sent while the fragments are still going out
    await until(() => c.doc.getMap('song').get('notes') === big && c.doc.getMap('song').get('tempo') === 99);
    expect(c.doc.getMap('song').get('tempo')).toBe(99);
  });

  it('merges the updates of one event-loop turn into one message per connection', async () => {
    const c = await client();
    await until(() => c.doc.getMap('song').get('tempo') === 120);
    const before = c.updates;
    for (let i = 0; i < 100; i++) setDoc.transact(() => setDoc.getMap('song').set('tempo', 121 + i));
    await until(() => c.doc.getMap('song').get('tempo') === 220);
    expect(c.updates - before).toBe(1);
  });

  it('drops and flags a write to a read-only doc', async () => {
    const c = await client();
    await until(() => c.doc.getMap('song').get('tempo') === 120);
    const forged = new Y.Doc();
    forged.getMap('song').set('tempo', 1);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(forged));
    c.ws.send(encoding.toUint8Array(encoder));
    await until(() => violations.length > 0);
    expect(violations[0]).toBe('set: write to a read-only doc');
    expect(setDoc.getMap('song').get('tempo')).toBe(120);
  });

  it('does not flag a reconnecting reader whose sync step 2 only repeats what the doc already holds (deletions included)', async () => {
    // A value overwritten leaves a deletion behind; a reader's step 2 carries its whole delete
    // set, which is routine after every reconnect (a role change makes the page reconnect).
    for (let i = 0; i < 5; i++) setDoc.getMap('song').set('tempo', 121 + i);
    const c = await client();
    await until(() => c.doc.getMap('song').get('tempo') === 125);
    const step2 = Y.encodeStateAsUpdate(c.doc, Y.encodeStateVector(setDoc));
    expect(Y.decodeUpdate(step2).ds.clients.size).toBeGreaterThan(0);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, step2);
    c.ws.send(encoding.toUint8Array(encoder));
    // A later write that is real must still be flagged, so the routine one had its turn.
    const forged = new Y.Doc();
    forged.getMap('song').set('tempo', 1);
    const again = encoding.createEncoder();
    encoding.writeVarUint(again, 0);
    syncProtocol.writeUpdate(again, Y.encodeStateAsUpdate(forged));
    c.ws.send(encoding.toUint8Array(again));
    await until(() => violations.length > 0);
    expect(violations).toEqual(['set: write to a read-only doc']);
  });

  it('flags a deletion of content the doc still holds', async () => {
    setDoc.getMap('song').set('name', 'keep');
    const c = await client();
    await until(() => c.doc.getMap('song').get('name') === 'keep');
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(setDoc));
    local.getMap('song').delete('name');
    const deletion = Y.encodeStateAsUpdate(local, Y.encodeStateVector(setDoc));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, deletion);
    c.ws.send(encoding.toUint8Array(encoder));
    await until(() => violations.length > 0);
    expect(setDoc.getMap('song').get('name')).toBe('keep');
  });

  it('closes a connection that sends more than the message cap', async () => {
    const c = await client();
    const closed = new Promise<number>((resolve) => c.ws.once('close', resolve));
    c.ws.send(Buffer.alloc(65 * 1024));
    expect(await closed).toBe(1009);
  });

  it('drops a connection that stopped reading once 1 MiB waits for it, and keeps serving the others', async () => {
    const stuck = await client();
    const fine = await client();
    await poll(() => stuck.doc.getMap('song').get('tempo') === 120 && fine.doc.getMap('song').get('tempo') === 120, 'both synced');
    (stuck.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 400 && tooSlow.length === 0; i++) {
      setDoc.getMap('bulk').set(`k${i % 50}`, `${i}${big}`);
      // Let each update leave on its own, as Live's ticks do.
      await new Promise((resolve) => setImmediate(resolve));
      if (i % 10 === 9) await poll(() => fine.doc.getMap('bulk').get(`k${i % 50}`) === `${i}${big}`, 'the reading client keeps up');
    }
    await poll(() => tooSlow.length === 1 && yjs.connectionCount === 1, 'the stuck connection dropped');
    expect(tooSlow[0]).toBeGreaterThan(1024 * 1024);
    setDoc.getMap('song').set('tempo', 121);
    await poll(() => fine.doc.getMap('song').get('tempo') === 121, 'the other client still served');
  });
});
