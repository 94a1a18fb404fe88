import https from 'node:https';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import {
  AGENT_NAMESPACE, AGENT_SOCKET_PATH, MAX_COMMAND_BYTES, ROOM_NAMESPACE, ROOM_SOCKET_PATH, YJS_MAX_MESSAGE_BYTES,
  type ProcessInfo, type RoomReceived, type RoomServerEvents, type RoomSocketData,
} from '../protocol/index.ts';
import type { ServerConfig } from './config.ts';
import { ensureCertificates, type Certificates } from './tls/certificates.ts';
import { watchCertificates } from './tls/certificate-watch.ts';
import { Room } from './room/room.ts';
import { SessionStore } from './sessions/session-store.ts';
import { sameBinding } from './security/ip-binding.ts';
import { JoinThrottle } from './security/join-throttle.ts';
import { DataStore } from './persistence/data-store.ts';
import { recordDevice, restoreRoom } from './persistence/room-state.ts';
import type { AuditLog } from './persistence/audit-log.ts';
import { AgentLink } from './agent-link/agent-link.ts';
import { ensureDeviceToken, type DeviceToken } from './agent-link/device-token.ts';
import { createAgentSocketServer } from './agent-link/agent-socket.ts';
import { CommandPipeline } from './commands/command-pipeline.ts';
import { RequestAuth } from './http/request-auth.ts';
import { createApp } from './http/app.ts';
import { setupRoomNamespace } from './http/room-namespace.ts';
import { RoomBroadcast } from './http/room-broadcast.ts';
import { plainHttpHandler } from './http/plain-http.ts';
import { YjsServer } from './yjs/yjs-server.ts';
import { yjsAuditHooks } from './yjs/yjs-audit.ts';
import { SessionServices } from './host/session-services.ts';
import { advertise, type Advertisement } from './discovery/advertise.ts';
import { SetCompactor } from './mirror/set-compactor.ts';
import { FilesService } from './files/files-service.ts';
import { newDigits } from './util/codes.ts';
import { joinUrl } from './util/join-url.ts';

/** What a started server tells its launcher: where it listens and how to get in. */
export interface StartedServer {
  port: number;
  httpPort: number | null;
  joinCode: string;
  adminPin: string;
  deviceTokenPath: string;
  caCertPath: string;
  fingerprint256: string;
}

/** Whether the host agent and Live are there, as the launcher prints it. */
export interface LinkState {
  agentConnected: boolean;
  liveConnected: boolean;
  /** null until a Live (or the simulator) said hello. */
  live: { version: string; simulated: boolean } | null;
}

/**
 * The room's parts, for integration tests and diagnostics. The parts are wired to each
 * other in start(); nothing in the server reaches them through here.
 */
export interface ServerParts {
  readonly room: Room;
  readonly sessions: SessionStore;
  readonly audit: AuditLog;
  readonly store: DataStore;
  readonly agent: AgentLink;
  readonly pipeline: CommandPipeline;
  readonly services: SessionServices;
  readonly compactor: SetCompactor;
  readonly files: FilesService;
}

const COMMAND_DEADLINE_MS = 2_000;
const JOIN_CODE_DIGITS = 6;

type RoomIo = SocketServer<RoomReceived, RoomServerEvents, Record<string, never>, RoomSocketData>;

/** Step 1: what outlives a restart, opened before any port (a corrupt file stops the start here). */
interface State {
  certs: Certificates;
  store: DataStore;
  device: DeviceToken;
  room: Room;
  saveRoom: () => void;
  sessions: SessionStore;
  compactor: SetCompactor;
}

/** Step 2: the transports and the parts that serve them, not listening yet. */
interface Transports {
  https: https.Server;
  io: RoomIo;
  agentIo: ReturnType<typeof createAgentSocketServer>;
  broadcast: RoomBroadcast;
  yjs: YjsServer;
  agent: AgentLink;
  pipeline: CommandPipeline;
  services: SessionServices;
  files: FilesService;
}

/** Step 3: the ports. */
interface Listening {
  port: number;
  http: http.Server | null;
  httpPort: number | null;
}

/**
 * The composition root: opens the state, builds the transports and listens, in named
 * steps; HTTPS (express + helmet), socket.io `/room` for browsers and `/agent` for the
 * host agent, y-websocket for the docs, and mDNS. Its launcher (cli/start.ts) uses only
 * the small public API below.
 */
export class RoomtoneServer {
  private mdns: Advertisement | null = null;
  private readonly certWatch: { stop(): void };

  private constructor(
    private readonly config: ServerConfig,
    private readonly state: State,
    private readonly transports: Transports,
    private readonly listening: Listening,
  ) {
    if (config.mdns) this.mdns = this.advertise(state.certs.fingerprint256);
    this.certWatch = watchCertificates({
      dir: config.certsDir,
      onRenewed: (certs) => this.certificatesRenewed(certs),
      onError: (err) => state.store.audit.record({ kind: 'certificate_error', ok: false, detail: err.message }),
    });
  }

  static async start(config: ServerConfig): Promise<RoomtoneServer> {
    const state = await openState(config);
    const ports = { https: 0 };
    const transports = await buildTransports(config, state, () => ports.https);
    const listening = await listenAll(config, state, transports.https);
    ports.https = listening.port;
    return new RoomtoneServer(config, state, transports, listening);
  }

  get started(): StartedServer {
    const { state, listening } = this;
    return {
      port: listening.port,
      httpPort: listening.httpPort,
      joinCode: state.room.joinCode,
      adminPin: state.room.adminPin,
      deviceTokenPath: state.device.path,
      caCertPath: state.certs.caCertPath,
      fingerprint256: state.certs.fingerprint256,
    };
  }

  linkState(): LinkState {
    const { agent } = this.transports;
    const { live } = agent.currentStatus;
    return { agentConnected: agent.connected, liveConnected: agent.liveConnected, live: live ? { version: live.version, simulated: live.simulated } : null };
  }

  /** The processes the launcher supervises, for every browser (`meta.processes`) and /healthz. */
  publishProcesses(processes: readonly ProcessInfo[]): void {
    this.state.room.mirror.setMeta({ processes: processes.map(({ name, running, restarts, lastExit }) => ({ name, running, restarts, lastExit })) });
  }

  get parts(): ServerParts {
    const { room, sessions, store, compactor } = this.state;
    const { agent, pipeline, services, files } = this.transports;
    return { room, sessions, audit: store.audit, store, agent, pipeline, services, compactor, files };
  }

  async stop(): Promise<void> {
    const { state, transports, listening } = this;
    this.certWatch.stop();
    state.compactor.stop();
    await this.mdns?.stop();
    transports.services.close();
    transports.pipeline.close();
    transports.broadcast.close();
    transports.yjs.close();
    await transports.agentIo.close();
    await transports.io.close();
    await Promise.all([closeServer(transports.https), closeServer(listening.http)]);
    await transports.files.close();
    // Last: everything the closing connections changed is on disk before we exit.
    await state.store.flush();
  }

  private advertise(fingerprint256: string): Advertisement {
    return advertise({ httpsPort: this.listening.port, fingerprint256, transport: this.config.mdnsTransport });
  }

  /** A new server certificate (names or addresses changed): served at once, and advertised. */
  private certificatesRenewed(certs: Certificates): void {
    this.state.certs = certs;
    this.transports.https.setSecureContext({ key: certs.key, cert: certs.cert });
    this.state.store.audit.record({ kind: 'certificate_renewed', detail: `${certs.renewReason}: ${certs.sans.join(' ')}` });
    const previous = this.mdns;
    if (previous) void previous.stop().then(() => { if (this.mdns === previous) this.mdns = this.advertise(certs.fingerprint256); });
  }
}

async function openState(config: ServerConfig): Promise<State> {
  const certs = await ensureCertificates({ dir: config.certsDir });
  // A corrupt or missing data file stops the start here (PersistenceError), before any port opens.
  const store = await DataStore.open({ dir: config.dataDir });
  const device = await ensureDeviceToken(config.dataDir);
  recordDevice(store.state, 'host-agent', device.hash, 'local host agent');
  const room = new Room(config.room, config.joinCode ?? newDigits(JOIN_CODE_DIGITS), config.adminPin ?? newDigits(JOIN_CODE_DIGITS));
  const saveRoom = restoreRoom(room, store.state, config.joinCode);
  room.notes.persistTo(store.notes);
  const sessions = new SessionStore({ ...config.session, ipBinding: config.ipBinding });
  sessions.attach(store.state);
  const compactor = new SetCompactor(room.mirror, config.compactAfterBytes ? { growthBytes: config.compactAfterBytes } : {});
  return { certs, store, device, room, saveRoom, sessions, compactor };
}

async function buildTransports(config: ServerConfig, state: State, httpsPort: () => number): Promise<Transports> {
  const { room, sessions, store, device } = state;
  const audit = store.audit;
  const auth = new RequestAuth(sessions, audit);
  const server = https.createServer({ key: state.certs.key, cert: state.certs.cert });
  const io: RoomIo = new SocketServer(server, {
    maxHttpBufferSize: MAX_COMMAND_BYTES,
    serveClient: false,
    destroyUpgrade: false,
    allowRequest: (req, callback) => {
      const refused = auth.checkOrigin(req, 'socket.io handshake');
      callback(refused ? refused.message : null, refused === null);
    },
  });
  const rooms = io.of(ROOM_NAMESPACE);
  const broadcast = new RoomBroadcast(rooms);
  const agentIo = createAgentSocketServer(server, () => device.hash, audit);
  const agent = new AgentLink(agentIo.of(AGENT_NAMESPACE), { deviceTokenHash: () => device.hash, mirror: room.mirror, audit, onMeters: (m) => broadcast.meters(m) });
  const load: { changed(): void } = { changed: () => undefined };
  const files = await FilesService.open({
    dataDir: config.dataDir, room, auth, audit, agent,
    slot: (id) => {
      const entity = room.mirror.entity(id);
      return entity ? { hasClip: entity.get('hasClip') === true, rev: entity.rev } : null;
    },
    onLoadChange: () => load.changed(),
    ...(config.uploadGraceMs !== undefined ? { abandonAfterMs: config.uploadGraceMs } : {}),
  });
  const pipeline = new CommandPipeline({
    sessions: {
      get: (id) => sessions.get(id),
      expiresAt: (session) => sessions.expiresAt(session),
      sameAddress: (session, ip) => sameBinding(session.ip, ip, sessions.policy.ipBinding),
    },
    room,
    mirror: room.mirror,
    agent,
    audit,
    deadlineMs: COMMAND_DEADLINE_MS,
    rateLimit: config.rateLimit,
    onLeases: (message) => broadcast.leases(message),
    resolveArgs: (command) => files.resolve(command),
  });
  const yjs = new YjsServer({
    maxMessageBytes: YJS_MAX_MESSAGE_BYTES,
    channel: (roomName, doc) => room.channel(roomName, doc),
    authorize: (req) => auth.authorizeUpgrade(req),
    ...yjsAuditHooks(audit),
  });
  yjs.listenOn(server, [ROOM_SOCKET_PATH, AGENT_SOCKET_PATH]);
  const connections = {
    end: (sessionId: string) => { broadcast.disconnect(sessionId); yjs.disconnectSession(sessionId); },
    resetDocs: (sessionId: string) => yjs.disconnectSession(sessionId, 4000, 'role changed: reconnect'),
  };
  const services = new SessionServices({
    namespace: rooms, room, sessions, audit, pipeline, agent, transfers: files, connections,
    newJoinCode: () => newDigits(JOIN_CODE_DIGITS),
    joinUrl: (code) => joinUrl(config.host, httpsPort(), code),
    roomChanged: state.saveRoom,
  });
  load.changed = () => services.load.changed();
  setupRoomNamespace(rooms, {
    room, sessions, auth, pipeline,
    onConnection: (socket, id) => {
      services.onConnection(socket, id);
      files.onConnection(socket, id, (sid) => sessions.get(sid));
    },
    onDisconnect: (id) => services.onDisconnect(id),
  });
  server.on('request', createApp({
    room, sessions, auth, audit, agent,
    liveMode: () => agent.liveMode,
    throttle: new JoinThrottle(),
    onLeave: (sessionId) => { connections.end(sessionId); services.forget(sessionId); },
    onRefresh: (sessionId) => connections.end(sessionId),
    files: files.router(),
  }));
  return { https: server, io, agentIo, broadcast, yjs, agent, pipeline, services, files };
}

async function listenAll(config: ServerConfig, state: State, server: https.Server): Promise<Listening> {
  const port = await listen(server, config.port, config.host);
  if (config.httpPort < 0) return { port, http: null, httpPort: null };
  const plain = http.createServer(plainHttpHandler({ httpsPort: () => port, joinCode: () => state.room.joinCode, caCertPem: state.certs.caCert }));
  return { port, http: plain, httpPort: await listen(plain, config.httpPort, config.host) };
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address: AddressInfo | string | null = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function closeServer(server: http.Server | https.Server | null): Promise<void> {
  if (!server || !server.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
