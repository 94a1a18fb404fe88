import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { DEFAULTS, type ServerConfig } from '../../server/config.ts';
import { RoomtoneServer } from '../../server/roomtone-server.ts';
import { apiPath, hostAckSchema, type HostAck, type HostCall, type HostValue, type WireError, SessionAnswerSchema } from '../../protocol/index.ts';
import { connectRoom, handshake, join, request, type Peer, type RoomClient, type RoomSocketOptions } from '../../testkit/clients.ts';

export interface RoomServer {
  server: RoomtoneServer;
  peer: Peer;
  /** The same server as seen from 127.0.0.2, "another machine" on loopback. */
  thief: Peer;
  joinCode: string;
  adminPin: string;
  dataDir: string;
  httpsPort: number;
  httpPort: number | null;
  fingerprint256: string;
  stop(): Promise<void>;
  /** Stop and start again on the same data dir, as after a power cut with a clean shutdown. */
  restart(): Promise<RoomServer>;
}

export interface RoomServerOptions {
  config?: Partial<ServerConfig>;
  dataDir?: string;
}

/**
 * The real room server, in this process, on 127.0.0.1 with ephemeral ports and no
 * host agent: every session, role and host-power check runs before the agent is
 * asked, so these tests see the real refusals without Live.
 */
export async function startRoomServer(options: RoomServerOptions = {}): Promise<RoomServer> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'roomtone-it-'));
  const config: ServerConfig = {
    ...DEFAULTS,
    port: 0, httpPort: 0, host: '127.0.0.1', mdns: false, live: 'sim',
    dataDir, certsDir: path.join(os.tmpdir(), 'roomtone-test-certs'),
    joinCode: undefined, adminPin: '424242',
    ...options.config,
    session: { ...DEFAULTS.session, ...options.config?.session },
    rateLimit: { ...DEFAULTS.rateLimit, ...options.config?.rateLimit },
  };
  const server = await RoomtoneServer.start(config);
  const { started } = server;
  const ca = readFileSync(started.caCertPath, 'utf8');
  const base = `https://127.0.0.1:${started.port}`;
  const self: RoomServer = {
    server,
    peer: { base, ca },
    thief: { base, ca, localAddress: '127.0.0.2' },
    joinCode: started.joinCode,
    adminPin: started.adminPin,
    dataDir,
    httpsPort: started.port,
    httpPort: started.httpPort,
    fingerprint256: started.fingerprint256,
    stop: async () => {
      await server.stop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    restart: async () => {
      await server.stop();
      return startRoomServer({ ...options, dataDir });
    },
  };
  return self;
}

export async function joinAs(rs: RoomServer, name: string, role: 'member' | 'observer' | 'host' = 'member', peer = rs.peer): Promise<{ cookie: string; id: string }> {
  const { cookie, result } = await join(peer, { name, code: rs.joinCode, role, ...(role === 'host' ? { pin: rs.adminPin } : {}) });
  return { cookie, id: SessionAnswerSchema.parse(result.body).session.id };
}

/** A connected /room socket; throws with the server's refusal when the handshake is refused. */
export async function roomSocket(peer: Peer, cookie: string, origin?: string): Promise<RoomClient> {
  const socket = connectRoom(peer, cookie, origin ? { origin } : {});
  const outcome = await handshake(socket);
  if ('refused' in outcome) {
    socket.close();
    throw new Error(`/room refused: ${outcome.refused?.code ?? 'at the engine'}: ${outcome.message}`);
  }
  return socket;
}

/** The refusal a /room handshake gets, or null when it connects (the socket is closed either way). */
export async function roomRefusal(peer: Peer, cookie: string, options: RoomSocketOptions = {}): Promise<WireError | null> {
  const socket = connectRoom(peer, cookie, options);
  const outcome = await handshake(socket);
  socket.close();
  return 'refused' in outcome ? outcome.refused : null;
}

/** A host power's acknowledgement, parsed with its schema (so a test also checks the server sends what protocol/ declares). */
export async function hostCall<E extends HostCall>(socket: Socket, event: E, payload: unknown = {}): Promise<HostAck<HostValue<E>>> {
  const ack: unknown = await socket.timeout(5_000).emitWithAck(event, payload);
  return hostAckSchema(event).parse(ack);
}

export async function session(peer: Peer, cookie: string) {
  return request(peer, 'GET', apiPath('session'), { cookie });
}
