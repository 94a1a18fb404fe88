import https from 'node:https';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as SocketServer } from 'socket.io';
import {
  AGENT_NAMESPACE, CLOSE_ROLE_CHANGED, MAX_COMMAND_BYTES, ROOM_NAMESPACE, ROOM_SOCKET_PATH, YJS_MAX_MESSAGE_BYTES, YJS_PATH_PREFIX, joinLink,
  type AgentReceivedByServer, type AgentServerEvents, type ProcessInfo, type RoomReceived, type RoomServerEvents, type RoomSocketData,
} from '../protocol/index.ts';
import { ConfigError, type ServerConfig } from './config.ts';
import { ensureCertificates, type Certificates } from './tls/certificates.ts';
import { watchCertificates } from './tls/certificate-watch.ts';
import { tlsServerOptions } from './tls/tls-policy.ts';
import { Room } from './room/room.ts';
import { SessionStore } from './sessions/session-store.ts';
import { sameBinding } from './security/ip-binding.ts';
import { newJoinGuards } from './security/join-guards.ts';
import { adminPinProblem, newAdminPin } from './security/admin-pin.ts';
import { AddressConnectionCap } from './security/connection-caps.ts';
import { DataStore } from './persistence/data-store.ts';
import { recordDevice, restoreRoom } from './persistence/room-state.ts';
import type { AuditLog } from './persistence/audit-log.ts';
import { AgentLink } from './agent-link/agent-link.ts';
import { ensureDeviceToken, type DeviceToken } from './agent-link/device-token.ts';
import { createAgentSocketServer } from './agent-link/agent-socket.ts';
import { CommandPipeline } from './commands/command-pipeline.ts';
import { RequestAuth } from './http/request-auth.ts';
import { createApp } from './http/app.ts';
import { setupRoomNamespace, type RoomNamespace } from './http/room-namespace.ts';
import { RoomBroadcast } from './http/room-broadcast.ts';
import { plainHttpHandler } from './http/plain-http.ts';
import { PublicNames } from './http/public-names.ts';
import { routeHttp, type PathOwner } from './http/request-router.ts';
import { websocketOnly } from './http/websocket-only.ts';
import { Containment } from './containment/containment.ts';
import { auditedFaults } from './containment/audited-faults.ts';
import { installProcessNet } from './containment/process-net.ts';
import { YjsServer } from './yjs/yjs-server.ts';
import { yjsAuditHooks } from './yjs/yjs-audit.ts';
import { SessionServices } from './host/session-services.ts';
import { advertise, type Advertisement } from './discovery/advertise.ts';
import { ActivityFeed } from './load/activity-feed.ts';
import { SetCompactor } from './mirror/set-compactor.ts';
import { FilesService } from './files/files-service.ts';
import { newDigits } from './util/codes.ts';
import { joinHost } from './util/join-host.ts';

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
type AgentIo = SocketServer<AgentReceivedByServer, AgentServerEvents>;

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
  names: PublicNames;
  io: RoomIo;
  agentIo: AgentIo;
  broadcast: RoomBroadcast;
  yjs: YjsServer;
  agent: AgentLink;
  pipeline: CommandPipeline;
  services: SessionServices;
  files: FilesService;
  activity: ActivityFeed;
  /** Removes this server's reporter from the process-wide last net (containment/process-net.ts). */
  removeProcessNet: () => void;
}

/** Step 3: the ports. */
interface Listening {
  port: number;
  http: http.Server | null;
  httpPort: number | null;
}

/**
 * The composition root: checks the config, opens the state, builds the transports and
 * listens, in named steps; HTTPS (express + helmet) with one owner per path, socket.io
 * `/room` for browsers and `/agent` for the host agent (WebSocket only), y-websocket for
 * the docs, and mDNS. Its launcher (cli/start.ts) uses only the small public API below.
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
      onRenewed: (certs) => { this.certificatesRenewed(certs); },
      onError: (err) => { state.store.audit.record({ kind: 'certificate_error', ok: false, detail: err.message }); },
    });
  }

  static async start(config: ServerConfig): Promise<RoomtoneServer> {
    checkConfig(config);
    const state = await openState(config);
    reportStartWarnings(config, state);
    const ports = { https: 0 };
    const transports = await buildTransports(config, state, () => ports.https);
    const listening = await listenAll(config, state, transports);
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
    transports.agent.close();
    transports.activity.close();
    transports.broadcast.close();
    transports.yjs.close();
    await transports.agentIo.close();
    await transports.io.close();
    await Promise.all([closeServer(transports.https), closeServer(listening.http)]);
    await transports.files.close();
    // Last: everything the closing connections changed is on disk before we exit,
    // with the counts of refusals still being grouped.
    await state.store.audit.close();
    await state.store.flush();
    transports.removeProcessNet();
  }

  private advertise(fingerprint256: string): Advertisement {
    return advertise({ httpsPort: this.listening.port, fingerprint256, transport: this.config.mdnsTransport });
  }

  /** A new server certificate (names or addresses changed): served at once, with the same TLS policy, and advertised. */
  private certificatesRenewed(certs: Certificates): void {
    this.state.certs = certs;
    this.transports.https.setSecureContext(tlsServerOptions({ key: certs.key, cert: certs.cert }));
    this.state.store.audit.record({ kind: 'certificate_renewed', detail: `${certs.renewReason}: ${certs.sans.join(' ')}` });
    const previous = this.mdns;
    if (previous) void previous.stop().then(() => { if (this.mdns === previous) this.mdns = this.advertise(certs.fingerprint256); });
  }
}

/** Step 0: what a config file or environment can get wrong that parseConfig does not see (a short admin PIN, H3). */
function checkConfig(config: ServerConfig): void {
  const pinProblem = config.adminPin === undefined ? null : adminPinProblem(config.adminPin);
  if (pinProblem) throw new ConfigError(`${pinProblem} (ROOMTONE_ADMIN_PIN or --admin-pin)`);
}

async function openState(config: ServerConfig): Promise<State> {
  const certs = await ensureCertificates({ dir: config.certsDir });
  // A corrupt or missing data file stops the start here (PersistenceError), before any port opens.
  const store = await DataStore.open({ dir: config.dataDir, resetNotes: config.resetNotes });
  const device = await ensureDeviceToken(config.dataDir);
  recordDevice(store.state, 'host-agent', device.hash, 'local host agent');
  const room = new Room(config.room, config.joinCode ?? newDigits(JOIN_CODE_DIGITS), config.adminPin ?? newAdminPin());
  const saveRoom = restoreRoom(room, store.state, config.joinCode);
  room.notes.persistTo(store.notes);
  const sessions = new SessionStore({ ...config.session, ipBinding: config.ipBinding });
  sessions.attach(store.state);
  const compactor = new SetCompactor(room.mirror, config.compactAfterBytes ? { growthBytes: config.compactAfterBytes } : {});
  return { certs, store, device, room, saveRoom, sessions, compactor };
}

/** What the studio engineer must hear about at start: an unconstrained CA (H8), notes reset (H13). */
function reportStartWarnings(config: ServerConfig, { certs, store }: State): void {
  if (!certs.caConstrained) {
    console.error(`Roomtone: the local CA in ${config.certsDir} was made without name constraints, so whoever gets ca.key can sign for any site your tablets visit. Replace it when the class can reinstall it (docs/security.md, H8).`);
    store.audit.record({ kind: 'certificate_warning', ok: false, detail: 'the local CA has no name constraints (made before H8)' });
  }
  if (store.quarantinedNotes) {
    console.error(`Roomtone: --reset-notes: the broken notes were copied to ${store.quarantinedNotes}; those rooms start with empty notes.`);
    store.audit.record({ kind: 'notes_reset', ok: true, detail: `broken notes kept in ${store.quarantinedNotes}` });
  }
}

async function buildTransports(config: ServerConfig, state: State, httpsPort: () => number): Promise<Transports> {
  const { room, sessions, store, device } = state;
  const audit = store.audit;
  // Every absolute URL and origin comes from our own names, never the Host header (H16).
  const names = new PublicNames({ names: () => state.certs.sans, httpsPort, primary: () => joinHost(config.host) });
  const auth = new RequestAuth(sessions, audit, names);
  const faults = auditedFaults(audit);
  const containment = new Containment(faults);
  const removeProcessNet = installProcessNet(faults);
  const server = https.createServer(tlsServerOptions({ key: state.certs.key, cert: state.certs.cert }));

  const roomSockets = websocketOnly<RoomReceived, RoomServerEvents, RoomSocketData>({
    path: ROOM_SOCKET_PATH,
    maxHttpBufferSize: MAX_COMMAND_BYTES,
    allowRequest: (req, callback) => {
      const refused = auth.checkOrigin(req, 'socket.io handshake');
      callback(refused ? refused.message : null, refused === null);
    },
  });
  const rooms: RoomNamespace = roomSockets.io.of(ROOM_NAMESPACE);
  containment.watchNamespace(rooms);
  const broadcast = new RoomBroadcast(rooms);
  const agentSockets = createAgentSocketServer(() => device.hash, audit);
  const agentNamespace = agentSockets.io.of(AGENT_NAMESPACE);
  containment.watchNamespace(agentNamespace);
  const agent = new AgentLink(agentNamespace, { deviceTokenHash: () => device.hash, mirror: room.mirror, audit, onMeters: (m) => { broadcast.meters(m); }, onLiveGone: () => { broadcast.metersGone(); } });

  const load: { changed(): void } = { changed: () => undefined };
  const files = await FilesService.open({
    dataDir: config.dataDir, room, auth, audit, agent,
    slot: (id) => {
      const entity = room.mirror.entity(id);
      return entity ? { hasClip: entity.get('hasClip') === true, rev: entity.rev } : null;
    },
    onLoadChange: () => { load.changed(); },
    ...(config.uploadGraceMs !== undefined ? { abandonAfterMs: config.uploadGraceMs } : {}),
  });
  const activity = new ActivityFeed(rooms, (id) => sessions.get(id)?.role);
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
    onLeases: (message) => { broadcast.leases(message); },
    onApplied: (entry) => { activity.record(entry); },
    resolveArgs: (command) => files.resolve(command),
  });
  const yjs = new YjsServer({
    maxMessageBytes: YJS_MAX_MESSAGE_BYTES,
    channel: (roomName, doc) => room.channel(roomName, doc),
    authorize: (req) => auth.authorizeUpgrade(req),
    ownerLive: (owner) => sessions.isLive(owner.sessionId),
    ...yjsAuditHooks(audit),
  });

  const guards = newJoinGuards();
  const services = new SessionServices({
    namespace: rooms, room, sessions, audit, pipeline, agent, transfers: files,
    connections: {
      end: (sessionId) => { broadcast.disconnect(sessionId); yjs.disconnectSession(sessionId); },
      resetDocs: (sessionId) => { yjs.disconnectSession(sessionId, CLOSE_ROLE_CHANGED, 'role changed: reconnect'); },
    },
    pinBudget: guards.pinBudget,
    newJoinCode: () => newDigits(JOIN_CODE_DIGITS),
    joinUrl: (code) => joinLink(names.origin(), code),
    roomChanged: state.saveRoom,
    trackName: (id) => {
      const name = room.mirror.entity(id)?.get('name');
      return typeof name === 'string' ? name : undefined;
    },
  });
  load.changed = () => { services.load.changed(); };
  setupRoomNamespace(rooms, {
    room, sessions, auth, pipeline,
    onConnection: (socket, id) => {
      broadcast.greet(socket);
      services.onConnection(socket, id);
      files.onConnection(socket, id, (sid) => sessions.get(sid));
    },
    onDisconnect: (id) => { services.onDisconnect(id); },
  });

  const app = createApp({
    names, room, sessions, auth, audit, agent, guards,
    liveMode: () => agent.liveMode,
    redeemPromotion: (sessionId, ticket) => services.redeemPromotion(sessionId, ticket),
    onPinGuessing: () => { services.load.changed(); },
    onFault: (where, err) => { containment.fault(where, err); },
    files: files.router(),
  });
  const docs: PathOwner = { prefix: YJS_PATH_PREFIX, upgrade: (req, socket, head) => { yjs.handleUpgrade(req, socket, head); } };
  const addressCap = new AddressConnectionCap(config.maxConnectionsPerAddress, audit);
  routeHttp(server, {
    owners: [roomSockets.owner, agentSockets.owner, docs],
    fallback: app,
    containment,
    admitUpgrade: (req, socket) => addressCap.admit(req, socket),
  });
  return { https: server, names, io: roomSockets.io, agentIo: agentSockets.io, broadcast, yjs, agent, pipeline, services, files, activity, removeProcessNet };
}

async function listenAll(config: ServerConfig, state: State, transports: Transports): Promise<Listening> {
  const port = await listen(transports.https, config.port, config.host);
  if (config.httpPort < 0) return { port, http: null, httpPort: null };
  const plain = http.createServer(plainHttpHandler({ names: transports.names, caCertPem: state.certs.caCert }));
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
  if (!server?.listening) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => { resolve(); }));
}
