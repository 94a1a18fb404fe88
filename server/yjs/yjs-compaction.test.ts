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
import { SetMirror } from '../mirror/set-mirror.ts';
import { setChannel } from '../room/room.ts';
import type { EntityChange } from '../../protocol/index.ts';

const snapshot: EntityChange[] = [
  { kind: 'song', id: 'song', rev: 'E1.1', props: { tempo: 120 } },
  ...Array.from({ length: 8 }, (_, t): EntityChange => ({ kind: 'track', id: `t${t}`, rev: 'E1.1', props: { name: `Track ${t}`, volume: 0.85 } })),
];
const ROOTS = ['song', 'tracks', 'meta'];
const content = (doc: Y.Doc) => Object.fromEntries(ROOTS.map((r) => [r, doc.getMap(r).toJSON()]));
const until = (check: () => boolean, what = 'the condition'): Promise<boolean> => poll(check, what, 5_000);

interface RawClient { ws: WebSocket; doc: Y.Doc; closed: boolean; received: number }

describe('YjsServer across a compaction of set (M8)', () => {
  let server: http.Server;
  let yjs: YjsServer;
  let mirror: SetMirror;
  let base: string;
  const violations: string[] = [];
  const sockets: WebSocket[] = [];

  beforeEach(async () => {
    mirror = new SetMirror('first');
    mirror.applySnapshot('E1', snapshot);
    const channel = setChannel(mirror);
    violations.length = 0;
    yjs = new YjsServer({
      maxMessageBytes: 1024 * 1024,
      channel: (room, doc) => (room === 'studio' && doc === 'set' ? channel : undefined),
      authorize: () => ({ ok: true, owner: { sessionId: 's1', role: 'member', name: 'Ada' } }),
      onViolation: (_owner, ch, reason) => violations.push(`${ch}: ${reason}`),
    });
    server = http.createServer();
    server.on('upgrade', (req, socket, head) => { if (!yjs.handleUpgrade(req, socket, head)) socket.destroy(); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const s of sockets) s.terminate();
    yjs.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  /** A y-websocket client in a few lines: it merges whatever it is sent into one doc and never drops it. */
  async function connect(doc = new Y.Doc()): Promise<RawClient> {
    const ws = new WebSocket(`${base}/yjs/studio/set`);
    sockets.push(ws);
    const client: RawClient = { ws, doc, closed: false, received: 0 };
    ws.on('close', () => { client.closed = true; });
    ws.on('message', (data: Buffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (decoding.readVarUint(decoder) !== 0) return;
      const kind = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      client.received++;
      if (kind !== syncProtocol.messageYjsSyncStep1) Y.applyUpdate(doc, payload);
    });
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    send(client, (e) => syncProtocol.writeSyncStep1(e, doc));
    return client;
  }

  function send(client: RawClient, write: (encoder: encoding.Encoder) => void): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    write(encoder);
    client.ws.send(encoding.toUint8Array(encoder));
  }

  it('M8 a connection stays open and converges: the old doc’s last changes, then the whole new doc, then the new doc’s updates', async () => {
    const c = await connect();
    await until(() => c.doc.getMap('tracks').size === 8, 'the first sync');
    for (let i = 0; i < 500; i++) mirror.applyChanges('E1', [{ kind: 'track', id: `t${i % 8}`, rev: `E1.${i + 2}`, props: { volume: i / 500 } }]);
    const oldDoc = mirror.doc;
    const bloated = Y.encodeStateAsUpdate(oldDoc).byteLength;

    // In one turn: a deletion still pending for the old doc, then the rebuild.
    mirror.applyChanges('E1', [{ kind: 'track', id: 't7', removed: true }]);
    mirror.rebuild();
    const compacted = Y.encodeStateAsUpdate(mirror.doc).byteLength;
    console.log(`[measure] yjs server doc: ${bloated} B before, ${compacted} B after the rebuild`);
    expect(compacted).toBeLessThan(bloated / 3);
    expect(oldDoc.isDestroyed).toBe(true);

    await until(() => c.doc.getMap('meta').get('instance') === mirror.instance, 'the new doc at the client');
    expect(content(c.doc)).toEqual(content(mirror.doc));
    expect(c.doc.getMap('tracks').has('t7')).toBe(false);

    mirror.applyChanges('E1', [{ kind: 'track', id: 't3', rev: 'E1.9999', props: { volume: 0.321 } }, { kind: 'track', id: 't0', removed: true }]);
    await until(() => (c.doc.getMap<Y.Map<unknown>>('tracks').get('t3')?.get('volume')) === 0.321, 'a later change at the client');
    expect(content(c.doc)).toEqual(content(mirror.doc));
    expect(c.closed).toBe(false);
    expect(yjs.connectionCount).toBe(1);
  });

  it('M8 a client that connects after the compaction syncs only the small doc', async () => {
    const early = await connect();
    await until(() => early.doc.getMap('tracks').size === 8, 'the first sync');
    for (let i = 0; i < 500; i++) mirror.applyChanges('E1', [{ kind: 'song', id: 'song', rev: `E1.${i + 2}`, props: { tempo: 100 + i / 10 } }]);
    mirror.rebuild();
    const late = await connect();
    await until(() => late.doc.getMap('meta').get('instance') === mirror.instance, 'the late client synced');
    expect(content(late.doc)).toEqual(content(mirror.doc));
    expect(Y.encodeStateAsUpdate(late.doc).byteLength).toBe(Y.encodeStateAsUpdate(mirror.doc).byteLength);
  });

  it('M8 a stale sync step 2 or write after a compaction is dropped, and audited once per connection', async () => {
    const kept = await connect();
    await until(() => kept.doc.getMap('tracks').size === 8, 'the first sync');
    mirror.rebuild();
    await until(() => kept.doc.getMap('meta').get('instance') === mirror.instance, 'the new doc at the client');
    const before = content(mirror.doc);

    // What a reconnecting y-websocket client that kept its merged doc answers to sync step 1.
    const reconnected = await connect(kept.doc);
    const serverVector = Y.encodeStateVector(mirror.doc);
    for (let i = 0; i < 3; i++) send(reconnected, (e) => syncProtocol.writeSyncStep2(e, kept.doc, serverVector));
    const forged = new Y.Doc();
    forged.getMap('song').set('tempo', 1);
    for (let i = 0; i < 3; i++) send(reconnected, (e) => syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(forged)));
    // A probe after them: once it is answered, the six messages before it were read.
    const answered = reconnected.received;
    send(reconnected, (e) => syncProtocol.writeSyncStep1(e, reconnected.doc));
    await until(() => reconnected.received > answered, 'the probe answered');

    expect(violations).toEqual([
      'set: sync step 2 with content this doc does not have (dropped; a doc kept from an earlier server start or compaction, or forged)',
      'set: write to a read-only doc',
    ]);
    expect(content(mirror.doc)).toEqual(before);
    expect(reconnected.closed).toBe(false);
  });
});
