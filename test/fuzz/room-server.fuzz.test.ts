import { readFileSync } from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_SOCKET_PATH, AGENT_TOKEN_HEADER, ERROR_CODES, ROOM_EVENTS, PROTOCOL_VERSION } from '../../protocol/index.ts';
import { startStack, type Stack } from '../helpers/stack.ts';
import { connectRoom, connected, join, openDoc, request, synced, type Peer } from '../helpers/clients.ts';
import { until } from '../helpers/poll.ts';
import { rssBytes } from '../../bench/lib/machine.ts';
import { Prng } from './prng.ts';
import { awarenessFrame, fuzzSeed, nearCommand, randomJson, yjsFrame } from './generators.ts';

const SEED = fuzzSeed(0xf022);
const typed = (e: unknown): boolean => typeof e === 'object' && e !== null && ERROR_CODES.includes((e as { code: never }).code) && typeof (e as { message?: unknown }).message === 'string';
const typedAnswer = (a: unknown): boolean => typeof a === 'object' && a !== null && ((a as { ok?: unknown }).ok === true || ((a as { ok?: unknown }).ok === false && typed((a as { error?: unknown }).error)));
/** Host events the server answers through an acknowledgement (host:load is pushed, not asked). */
const HOST_EVENTS = Object.values(ROOM_EVENTS).filter((e) => e.startsWith('host:') && e !== ROOM_EVENTS.hostLoad);

/**
 * Random and malformed input on every channel of a running room server (HTTP bodies,
 * socket.io events, y-websocket frames, the /agent namespace with and without the
 * device token), seeded and bounded. The process stays up, its memory stays bounded,
 * and every input that is due a reply gets a typed error.
 */
describe(`fuzz: the room server's channels (seed ${SEED}; replay with FUZZ_SEED=${SEED})`, () => {
  let stack: Stack;
  let peer: Peer;
  let rssStart: number | null = null;
  let tracks: string[] = [];
  let member: { cookie: string };
  let observer: { cookie: string };
  let host: { cookie: string };
  let remote: { cookie: string };
  const remotePeer = (): Peer => ({ ...peer, localAddress: '127.0.0.2' });

  beforeAll(async () => {
    stack = await startStack();
    peer = { base: stack.url, ca: stack.ca };
    // Every session is made before the fuzz: the fuzz may rotate the join code or throttle an address.
    member = await join(peer, { name: 'fuzz-member', code: stack.joinCode });
    observer = await join(peer, { name: 'fuzz-observer', code: stack.joinCode, role: 'observer' });
    host = await join(peer, { name: 'fuzz-host', code: stack.joinCode, role: 'host', pin: stack.adminPin });
    remote = await join(remotePeer(), { name: 'fuzz-remote', code: stack.joinCode });
    const doc = openDoc(peer, member.cookie, 'set');
    await synced(doc);
    await until(() => ((doc.doc.getMap('order').get('tracks') as string[] | undefined)?.length ?? 0) > 0, 'tracks');
    tracks = doc.doc.getMap('order').get('tracks') as string[];
    doc.destroy();
    rssStart = rssBytes(stack.process.pid!);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function stillUp(): Promise<void> {
    const res = await request(peer, 'GET', '/healthz');
    expect(res.status).toBe(200);
    expect(stack.process.exitCode).toBeNull();
  }

  it('HTTP: random methods, paths, bodies, cookies and origins get a typed 4xx on /api, never a 5xx', async () => {
    const prng = new Prng(SEED).fork('http');
    const paths = ['/api/join', '/api/leave', '/api/session', '/api/session/refresh', '/api/audit', '/api/nope', '/healthz', '/', '/index.html', '/yjs/studio/set'];
    for (let i = 0; i < 120; i++) {
      const method = prng.pick(['GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
      const p = prng.bool(0.8) ? prng.pick(paths)
        : prng.bool() ? `/api/${encodeURIComponent(prng.string(prng.int(1, 12)).replace(/[\ud800-\udfff]/g, 'x'))}`
          : prng.pick(['/api/%ZZ', '/%E0%A4%A', '/api/join%00', '/api/session/..%2f..%2fetc', '/assets/%c0%ae%c0%ae/x.js']);
      const bodyKind = prng.int(0, 5);
      const body = bodyKind === 0 ? undefined
        : bodyKind === 1 ? JSON.stringify(randomJson(prng, 3))
          : bodyKind === 2 ? prng.string(prng.int(0, 80))
            : bodyKind === 3 ? JSON.stringify({ name: prng.string(prng.int(0, 60)), code: prng.string(prng.int(0, 40)), role: prng.pick(['host', 'member', 'observer', 'admin', 3]), pin: randomJson(prng, 0) })
              : bodyKind === 4 ? `{"name":"${'a'.repeat(70_000)}"}`
                : '{"name": "x", "code": ';
      const junk = Array.from({ length: prng.int(0, 70) }, () => String.fromCharCode(prng.int(0x21, 0x7e))).join('');
      const cookie = prng.pick([undefined, remote.cookie, member.cookie /* from another address */, `roomtone_session=${junk}`, 'roomtone_session=' + 'A'.repeat(43), junk]);
      const headers: Record<string, string> = {};
      if (body !== undefined) headers['content-type'] = prng.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']);
      if (prng.bool(0.2)) headers.origin = prng.pick(['https://evil.example', 'null', `https://127.0.0.1:${stack.port}`]);
      const where = `seed ${SEED} http #${i}: ${method} ${p} ${String(body).slice(0, 80)}`;
      const res = await request(remotePeer(), method, p, { body, ...(cookie ? { cookie } : {}), headers });
      expect(res.status, where).toBeGreaterThanOrEqual(200);
      expect(res.status, `${where} → ${res.text.slice(0, 200)}`).toBeLessThan(500);
      if (p.startsWith('/api') && res.status >= 400) expect(typed((res.body as { error?: unknown }).error), `${where} → ${res.text.slice(0, 200)}`).toBe(true);
    }
    await stillUp();
  });

  // Seeds that once failed, kept as named regressions.
  it('regression (seed 61474, http #4): a JSON body in a charset body-parser does not support was a 500 INTERNAL', async () => {
    for (const [method, p] of [['PUT', '/api/session'], ['POST', '/api/join'], ['POST', '/api/leave']] as const) {
      const res = await request(remotePeer(), method, p, { body: '{"name": "x", "code": ', headers: { 'content-type': 'application/json; charset=latin1' } });
      expect(res.status).toBe(400);
      expect((res.body as { error: { code: string } }).error.code).toBe('INVALID');
    }
  });

  it('regression (seeds 61474 http #48, 7, 8, 9): a malformed %-escape in the session cookie was a 500, and through the socket.io handshake or the y-websocket upgrade it crashed the server', async () => {
    const bad = 'roomtone_session=%E0%A4%A';
    const res = await request(remotePeer(), 'GET', '/api/session', { cookie: bad });
    expect(res.status).toBe(401);
    expect((res.body as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    const socket = io(`${stack.url}/room`, { transports: ['websocket'], ca: stack.ca, extraHeaders: { cookie: bad }, reconnection: false, forceNew: true } as Parameters<typeof io>[1]);
    const refusal = await new Promise<unknown>((resolve) => {
      socket.once('connect', () => resolve({ connected: true }));
      socket.once('connect_error', (err: Error & { data?: unknown }) => resolve(err.data));
    });
    socket.close();
    expect(refusal).toMatchObject({ code: 'UNAUTHENTICATED' });
    const ws = new WebSocket(`${stack.url.replace(/^https/, 'wss')}/yjs/studio/set`, { ca: stack.ca, headers: { cookie: bad } });
    const status = await new Promise<unknown>((resolve) => {
      ws.once('unexpected-response', (_req, r) => resolve(r.statusCode));
      ws.once('open', () => resolve('open'));
      ws.once('error', (err) => resolve(err.message));
    });
    ws.terminate();
    expect(status).toBe(401);
    await stillUp();
  });

  it('socket.io: every command and host event with an acknowledgement gets a typed answer', async () => {
    const prng = new Prng(SEED).fork('socket');
    const sockets: Record<string, Socket> = {
      member: connectRoom(peer, member.cookie),
      observer: connectRoom(peer, observer.cookie),
      host: connectRoom(peer, host.cookie),
    };
    try {
      await Promise.all(Object.values(sockets).map(connected));
      for (let i = 0; i < 240; i++) {
        const who = prng.pick(['member', 'member', 'observer', 'host'] as const);
        const socket = sockets[who]!;
        const kind = prng.int(0, 9);
        const where = (payload: unknown): string => `seed ${SEED} socket #${i} as ${who}: ${JSON.stringify(payload)?.slice(0, 200)}`;
        if (kind <= 5) {
          const payload = kind <= 3 ? nearCommand(prng, tracks) : randomJson(prng, 3);
          const answer = await socket.timeout(10_000).emitWithAck(ROOM_EVENTS.command, payload).catch((err: Error) => ({ noAnswer: err.message }));
          expect(typedAnswer(answer), `${where(payload)} → ${JSON.stringify(answer)}`).toBe(true);
        } else if (kind <= 7) {
          const event = prng.pick(HOST_EVENTS);
          // Never lock, freeze or rotate for real: the rest of the fuzz needs a working room.
          let payload = prng.bool() ? randomJson(prng, 2) : { sessionId: prng.string(prng.int(0, 70)), allowed: prng.bool(), trackIds: [prng.string(3)], role: prng.pick(['host', 'x']), limit: prng.int(-5, 5000) };
          if (who === 'host' && (event === ROOM_EVENTS.hostLock || event === ROOM_EVENTS.hostFreeze || event === ROOM_EVENTS.hostRotateCode)) payload = { locked: false, frozen: false, junk: 1 };
          const answer = await socket.timeout(10_000).emitWithAck(event, payload).catch((err: Error) => ({ noAnswer: err.message }));
          expect(typedAnswer(answer), `${where({ event, payload })} → ${JSON.stringify(answer)}`).toBe(true);
        } else if (kind === 8) {
          socket.emit(prng.string(prng.int(1, 10)), randomJson(prng, 2)); // no reply due
        } else {
          socket.emit(ROOM_EVENTS.command, Buffer.from(prng.bytes(prng.int(0, 64))), randomJson(prng, 1)); // binary, no ack
        }
      }
      // Raw engine.io/socket.io frames that no client library would send close only their own socket.
      for (let i = 0; i < 40; i++) {
        const raw = new WebSocket(`${stack.url.replace(/^https/, 'wss')}/socket.io/?EIO=4&transport=websocket`, { ca: stack.ca, headers: { cookie: member.cookie } });
        await new Promise<void>((resolve) => { raw.once('open', () => resolve()); raw.once('error', () => resolve()); });
        if (raw.readyState === WebSocket.OPEN) {
          raw.send(prng.pick(['40/room,', `40/room,${JSON.stringify(randomJson(prng, 1))}`, `42/room,${prng.int(0, 99)}${JSON.stringify(['command', randomJson(prng, 2)])}`, '451-/room,["command",{"_placeholder":true,"num":7}]', `4${prng.string(prng.int(0, 12))}`, prng.string(prng.int(0, 30)), '2probe', '6', '1']));
          if (prng.bool()) raw.send(Buffer.from(prng.bytes(prng.int(0, 40))));
        }
        raw.terminate();
      }
      // A message past socket.io's size cap closes that socket only.
      const big = connectRoom(peer, member.cookie);
      await connected(big);
      const closed = new Promise<string>((resolve) => big.once('disconnect', (reason) => resolve(reason)));
      big.emit(ROOM_EVENTS.command, { id: 'toolarge-0001', action: 'clip.add_notes', args: { notes: 'n'.repeat(600 * 1024) } });
      expect(await closed).toBeTypeOf('string');
      big.close();
      expect(sockets.member!.connected).toBe(true);
    } finally {
      for (const s of Object.values(sockets)) s.close();
    }
    await stillUp();
  });

  it('y-websocket: junk frames close only the sender; writes to the read-only set doc and an observer\'s to notes are dropped; refused upgrades say why', async () => {
    const prng = new Prng(SEED).fork('yjs');
    const wsUrl = (doc: string): string => `${stack.url.replace(/^https/, 'wss')}/yjs/studio/${doc}`;
    const open = (doc: string, cookie?: string): WebSocket => new WebSocket(wsUrl(doc), { ca: stack.ca, headers: cookie ? { cookie } : {} });
    const opened = (ws: WebSocket): Promise<void> => new Promise((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); });
    let ws: WebSocket | null = null;
    for (let i = 0; i < 150; i++) {
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        ws?.terminate();
        ws = open(prng.pick(['set', 'notes']), prng.pick([member.cookie, observer.cookie]));
        await opened(ws);
      }
      if (prng.bool(0.1)) ws.send(prng.string(prng.int(0, 20))); // text frame
      else ws.send(yjsFrame(prng));
    }
    ws?.terminate();

    // A well-formed update to `set` from a browser is dropped, not applied.
    const writer = new Y.Doc();
    writer.getMap('tracks').set('fuzz-ghost', 1);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, Y.encodeStateAsUpdate(writer));
    const w = open('set', member.cookie);
    await opened(w);
    w.send(encoding.toUint8Array(encoder));
    w.send(Uint8Array.from([0, 0, 0])); // then a sync step 1: the answer comes after the dropped update
    await new Promise<void>((resolve) => w.once('message', () => resolve()));
    w.terminate();
    const fresh = openDoc(peer, member.cookie, 'set');
    try {
      await synced(fresh);
      expect(fresh.doc.getMap('tracks').has('fuzz-ghost')).toBe(false);
      expect(fresh.doc.getMap('tracks').size).toBeGreaterThan(0);
    } finally {
      fresh.destroy();
    }
    // An observer's write to `notes` is dropped; a member's lands.
    const writeNotes = async (cookie: string, key: string): Promise<void> => {
      const d = new Y.Doc();
      d.getMap('fuzz').set(key, true);
      const enc = encoding.createEncoder();
      encoding.writeVarUint(enc, 0);
      syncProtocol.writeUpdate(enc, Y.encodeStateAsUpdate(d));
      const n = open('notes', cookie);
      await opened(n);
      n.send(encoding.toUint8Array(enc));
      n.send(Uint8Array.from([0, 0, 0]));
      await new Promise<void>((resolve) => n.once('message', () => resolve()));
      n.terminate();
    };
    await writeNotes(observer.cookie, 'from-observer');
    await writeNotes(member.cookie, 'from-member');
    const notes = openDoc(peer, member.cookie, 'notes');
    try {
      await synced(notes);
      expect(notes.doc.getMap('fuzz').get('from-member')).toBe(true);
      expect(notes.doc.getMap('fuzz').has('from-observer')).toBe(false);
    } finally {
      notes.destroy();
    }

    // Refused upgrades answer with a status and a typed JSON body.
    const refusal = (ws: WebSocket): Promise<{ status: number; body: unknown }> => new Promise((resolve, reject) => {
      ws.once('unexpected-response', (_req, res) => {
        let text = '';
        res.on('data', (c: Buffer) => { text += c.toString(); });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      });
      ws.once('open', () => reject(new Error('upgrade was accepted')));
      ws.once('error', () => { /* unexpected-response comes first */ });
    });
    const noCookie = await refusal(open('set'));
    expect(noCookie.status).toBe(401);
    expect(typed((noCookie.body as { error: unknown }).error)).toBe(true);
    const noDoc = await refusal(open('nope', member.cookie));
    expect(noDoc.status).toBe(404);
    expect(typed((noDoc.body as { error: unknown }).error)).toBe(true);
    await stillUp();
  });

  /** A session's socket answers, its cookie works and its notes still sync: nothing the fuzz sent ended it. */
  async function sessionIntact(cookie: string, from: Peer = peer): Promise<void> {
    expect((await request(from, 'GET', '/api/session', { cookie })).status).toBe(200);
    const socket = connectRoom(from, cookie);
    const notes = openDoc(from, cookie, 'notes');
    try {
      await connected(socket);
      const answer = await socket.timeout(10_000).emitWithAck(ROOM_EVENTS.command, { id: `intact-${Math.random().toString(36).slice(2, 10)}`, action: 'system.ping', args: {} });
      expect(typedAnswer(answer)).toBe(true);
      await synced(notes);
    } finally {
      socket.close();
      notes.destroy();
    }
  }

  it('engine.io long-polling (H1): the handshake GET and the GET with a sid, 400 times with random sids, paths and query strings, leave the server up and every session intact', async () => {
    const prng = new Prng(SEED).fork('polling');
    const held = connectRoom(peer, member.cookie);
    await connected(held);
    try {
      const sids = ['dxwkXoafi__4XZzLAAAA', '', 'x'];
      const paths = ['/socket.io/', AGENT_SOCKET_PATH, '/socket.io', '/socket.io/x/y', '/agent.io/../socket.io/', '//socket.io/', '/Socket.IO/', '/socket.io/?', '/%73ocket.io/', '/socket.io/%ZZ', '/yjs/studio/notes', '/'];
      const statuses = new Map<number, number>();
      for (let batch = 0; batch < 20; batch++) {
        await Promise.all(Array.from({ length: 20 }, async () => {
          const handshake = prng.bool(0.5);
          const query = [
            prng.bool(0.9) ? `EIO=${prng.pick(['4', '3', '5', '', prng.string(3)])}` : '',
            prng.bool(0.9) ? `transport=${prng.pick(['polling', 'polling', 'websocket', 'webtransport', '', prng.string(4)])}` : '',
            handshake ? '' : `sid=${encodeURIComponent((prng.bool(0.5) ? prng.pick(sids) : prng.string(prng.int(0, 40))).replace(/[\ud800-\udfff]/g, 'x'))}`,
            prng.bool(0.3) ? `t=${prng.string(7)}` : '',
            prng.bool(0.1) ? `${prng.string(4)}=${prng.string(prng.int(0, 200))}` : '',
          ].filter(Boolean).map((q) => q.replace(/[#\s]/g, '_')).join('&');
          const p = `${prng.pick(paths)}?${query}`;
          const method = prng.pick(['GET', 'GET', 'GET', 'POST']);
          const res = await request(remotePeer(), method, p, method === 'POST' ? { body: prng.pick(['40/room,', '1', '6', prng.string(10)]), headers: { 'content-type': 'text/plain;charset=UTF-8' } } : {}).catch(() => null);
          if (res) {
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            expect(res.status, `seed ${SEED} polling ${method} ${p} → ${res.text.slice(0, 120)}`).toBeLessThan(500);
            const sid = /"sid":"([^"]+)"/.exec(res.text)?.[1];
            if (sid) sids.push(sid); // there should be none: no path serves long-polling
          }
        }));
      }
      expect(sids).toEqual(['dxwkXoafi__4XZzLAAAA', '', 'x']);
      expect(held.connected).toBe(true);
    } finally {
      held.close();
    }
    await stillUp();
    for (const s of [member, observer, host]) await sessionIntact(s.cookie);
    await sessionIntact(remote.cookie, remotePeer());
  }, 180_000); // 400 TLS handshakes: on a machine shared with Live (or eight test runs) they take minutes, not seconds

  it('oversized headers: a huge header, hundreds of headers or a huge URL on every path get a 4xx or a closed connection, and the server stays up', async () => {
    const prng = new Prng(SEED).fork('headers');
    const shapes: Array<() => { path: string; headers: Record<string, string> }> = [
      () => ({ path: '/', headers: { 'x-pad': 'x'.repeat(prng.int(17_000, 80_000)) } }),
      () => ({ path: '/api/session', headers: Object.fromEntries(Array.from({ length: prng.int(200, 2_000) }, (_, i) => [`x-h${i}`, prng.string(8).replace(/[^\x21-\x7e]/g, 'y')])) }),
      () => ({ path: `/${'a'.repeat(prng.int(17_000, 70_000))}`, headers: {} }),
      () => ({ path: '/yjs/studio/notes', headers: { cookie: `${member.cookie}; ${'c'.repeat(prng.int(17_000, 40_000))}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } }),
      () => ({ path: '/socket.io/?EIO=4&transport=websocket', headers: { origin: `https://${'o'.repeat(prng.int(17_000, 40_000))}`, connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-version': '13' } }),
      () => ({ path: '/api/join', headers: { origin: `https://${'o'.repeat(15 * 1024)}.example`, 'content-type': 'application/json' } }),
    ];
    for (let i = 0; i < 60; i++) {
      const { path: p, headers } = prng.pick(shapes)();
      const res = await request(remotePeer(), p === '/api/join' ? 'POST' : 'GET', p, { headers, ...(p === '/api/join' ? { body: { name: 'x', code: '1' } } : {}) }).catch((err: Error) => ({ status: 0, text: err.message }));
      expect(res.status, `seed ${SEED} headers #${i} ${p.slice(0, 40)} → ${res.text.slice(0, 120)}`).toBeLessThan(500);
    }
    await stillUp();
    await sessionIntact(member.cookie);
  });

  it('awareness updates (H10): hostile frames on notes close or are ignored; other people’s carets keep their names and cursors', async () => {
    const prng = new Prng(SEED).fork('awareness');
    const victim = openDoc(peer, member.cookie, 'notes');
    const watcher = openDoc(peer, host.cookie, 'notes');
    try {
      await Promise.all([synced(victim), synced(watcher)]);
      const victimId = victim.doc.clientID;
      victim.provider.awareness.setLocalStateField('cursor', null);
      await until(() => (watcher.provider.awareness.getStates().get(victimId)?.user as { name?: string } | undefined)?.name === 'fuzz-member', 'the victim’s caret at the host');
      const wsUrl = `${stack.url.replace(/^https/, 'wss')}/yjs/studio/notes`;
      let ws: WebSocket | null = null;
      for (let i = 0; i < 200; i++) {
        if (!ws || ws.readyState !== WebSocket.OPEN) {
          ws?.terminate();
          ws = new WebSocket(wsUrl, { ca: stack.ca, headers: { cookie: prng.pick([remote.cookie, observer.cookie]) }, localAddress: prng.pick(['127.0.0.2', '127.0.0.1']) });
          await new Promise<void>((resolve) => { ws!.once('open', () => resolve()); ws!.once('error', () => resolve()); ws!.once('unexpected-response', () => resolve()); });
          if (ws.readyState !== WebSocket.OPEN) continue;
        }
        ws.send(awarenessFrame(prng, [victimId, watcher.doc.clientID]));
      }
      ws?.terminate();
      // A round trip through the victim's own connection: everything before it was handled.
      victim.provider.awareness.setLocalStateField('cursor', { anchor: { type: null, tname: 'text', item: null, assoc: 0 }, head: { type: null, tname: 'text', item: null, assoc: 0 } });
      await until(() => watcher.provider.awareness.getStates().get(victimId)?.cursor != null, 'the victim’s new cursor at the host');
      expect(watcher.provider.awareness.getStates().get(victimId)?.user).toMatchObject({ name: 'fuzz-member', role: 'member' });
    } finally {
      victim.destroy();
      watcher.destroy();
    }
    await stillUp();
  });

  it('/agent: handshakes without the device token are refused with a typed reason; junk from an agent with it does not take the server down', async () => {
    const prng = new Prng(SEED).fork('agent');
    const agentSocket = (auth: unknown, header?: string): Socket => io(`${stack.url}/agent`, {
      path: AGENT_SOCKET_PATH, transports: ['websocket'], ca: stack.ca, auth: auth as Record<string, unknown>, reconnection: false, forceNew: true,
      ...(header !== undefined ? { extraHeaders: { [AGENT_TOKEN_HEADER]: header } } : {}),
    } as Parameters<typeof io>[1]);
    const refusedWith = (socket: Socket): Promise<unknown> => new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ noOutcome: 'neither connected nor refused in 10 s' }), 10_000);
      socket.once('connect', () => { clearTimeout(timer); resolve({ connected: true }); });
      socket.once('connect_error', (err: Error & { data?: unknown }) => { clearTimeout(timer); resolve(err.data ?? { transport: err.message }); });
      // socket.io itself drops a CONNECT whose auth is not an object: no reply, the connection closes.
      // (A refused CONNECT also closes the manager, just before connect_error: let that win.)
      socket.io.once('close', (reason: string) => queueMicrotask(() => { clearTimeout(timer); resolve({ closed: reason }); }));
    });
    const token = readFileSync(path.join(stack.dataDir, 'agent.token'), 'utf8').trim();
    // Without the device token header the upgrade itself is refused, before any message is read.
    for (let i = 0; i < 8; i++) {
      const header = prng.pick([undefined, '', prng.string(prng.int(1, 40)).replace(/[^\x21-\x7e]/g, 'x'), token.slice(1), 'x'.repeat(300)]);
      const socket = agentSocket({ token, protocol: PROTOCOL_VERSION }, header);
      const outcome = await refusedWith(socket);
      socket.close();
      expect(outcome, `seed ${SEED} agent header #${i}: ${String(header).slice(0, 40)}`).toHaveProperty('transport');
    }
    // With it, the /agent namespace refuses a bad handshake with a typed reason.
    for (let i = 0; i < 24; i++) {
      const auth = prng.pick([
        () => randomJson(prng, 2),
        () => ({ token: prng.string(prng.int(0, 300)), protocol: PROTOCOL_VERSION }),
        () => ({ token: token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'), protocol: PROTOCOL_VERSION }),
        () => ({ token, protocol: PROTOCOL_VERSION + 1 }),
        () => ({ token, protocol: PROTOCOL_VERSION }), // the real agent holds the room: AGENT_CONFLICT
        () => ({ token, protocol: String(PROTOCOL_VERSION), room: randomJson(prng, 0) }),
      ])();
      const socket = agentSocket(auth, token);
      const data = await refusedWith(socket);
      socket.close();
      const where = `seed ${SEED} agent #${i}: ${JSON.stringify(auth)?.slice(0, 120)} → ${JSON.stringify(data)}`;
      if (typeof auth === 'object' && auth !== null && !Array.isArray(auth)) expect(typed(data), where).toBe(true);
      else expect(typed(data) || (typeof data === 'object' && data !== null && 'closed' in data), where).toBe(true);
    }

    // With the token and takeover, an agent may send anything; the server must stay up.
    // (This replaces the real agent for good, so it runs last.)
    const rogue = agentSocket({ token, protocol: PROTOCOL_VERSION, takeover: true }, token);
    expect(await refusedWith(rogue)).toEqual({ connected: true });
    for (let i = 0; i < 120; i++) {
      const event = prng.pick(['results', 'events', 'snapshot', 'status', 'meters', 'stats', prng.string(5)]);
      const payload = prng.bool(0.3)
        ? { epoch: prng.string(8), seq: prng.int(-5, 5), changes: [{ kind: prng.pick(['track', 'scene', 'nope']), id: prng.string(prng.int(0, 70)), props: randomJson(prng, 2) }], entities: [randomJson(prng, 2)], live: randomJson(prng, 1) }
        : prng.bool() ? [randomJson(prng, 2), { id: prng.string(10), ok: prng.bool(), error: randomJson(prng, 1) }] : randomJson(prng, 3);
      rogue.emit(event, payload);
    }
    // A round trip on the same connection: everything before it was read.
    await until(async () => (await request(peer, 'GET', '/healthz')).status === 200, 'healthz');
    rogue.close();
    await until(async () => ((await request(peer, 'GET', '/healthz')).body as { agent: { connected: boolean } }).agent.connected === false, 'the rogue agent gone');
    // Commands now get a typed AGENT_OFFLINE, not silence.
    const socket = connectRoom(peer, member.cookie);
    try {
      await connected(socket);
      const answer = await socket.timeout(10_000).emitWithAck(ROOM_EVENTS.command, { id: 'after-rogue-0001', action: 'system.ping', args: {} });
      expect(answer).toMatchObject({ ok: false, error: { code: 'AGENT_OFFLINE' } });
    } finally {
      socket.close();
    }
    await stillUp();
  });

  it('memory stays bounded after all of it', async () => {
    const rssEnd = rssBytes(stack.process.pid!);
    if (rssStart !== null && rssEnd !== null) expect(rssEnd - rssStart).toBeLessThan(150 * 1024 * 1024);
    await stillUp();
  });
});
