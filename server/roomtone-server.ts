import https from 'node:https';
import http from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import type { Server as SocketServer } from 'socket.io';
import {
  AGENT_NAMESPACE, CLOSE_ROLE_CHANGED, MAX_COMMAND_BYTES, ROOM_NAMESPACE, ROOM_SOCKET_PATH, YJS_MAX_MESSAGE_BYTES, YJS_PATH_PREFIX, joinLink,
  wireError, type AgentReceivedByServer, type AgentServerEvents, type LiveMode, type ProcessReport, type RoomReceived, type RoomServerEvents, type RoomSocketData,
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
import type { SessionLookup } from './commands/check-session.ts';
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
import { lan } from './util/lan-address.ts';
import { consoleLog, type ServerLog } from './util/log.ts';
import { DeviceInterest } from './mirror/device-interest.ts';
import { IntentService } from './intent/intent-service.ts';
import { IntentHandler } from './intent/intent-handler.ts';
import { ModelAdapter } from './intent/model/model-adapter.ts';
import { HealthState } from './health/health-state.ts';

/** What a started server tells its launcher: where it listens and how to get in. */
export interface StartedServer {
  /** The room's name (config.room). */
  room: string;
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
  /** The device panels browsers show; Live mirrors only their parameters. */
  readonly interest: DeviceInterest;
  /** Words to commands against the live set (intent.parse). */
  readonly intents: IntentService;
}

const COMMAND_DEADLINE_MS = 2_000;
const JOIN_CODE_DIGITS = 6;
/** After telling every client the server stops, how long their close frames get before the sockets are cut. */
const STOP_GRACE_MS = 300;
/** mDNS goodbyes and the last socket closes never hold a stop longer than this. */
const STOP_WAIT_MS = 1_500;

type RoomIo = SocketServer<RoomReceived, RoomServerEvents, Record<string, never>, RoomSocketData>;
type AgentIo = SocketServer<AgentReceivedByServer, AgentServerEvents>;

/** Step 1: what outlives a restart, opened before any port (a corrupt file stops the start here). */
interface State {
  log: ServerLog;
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
  interest: DeviceInterest;
  intents: IntentService;
  health: HealthState;
  /** Every TCP connection to the HTTPS port, so stop() can cut the ones that linger (upgraded sockets included). */
  connections: Set<NetSocket>;
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
  private readonly certWatch: ReturnType<typeof watchCertificates>;
  private stopping: Promise<void> | null = null;

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

  /** `log`: where the server's own lines go (the launcher's logger; the console by default). */
  static async start(config: ServerConfig, options: { log?: ServerLog } = {}): Promise<RoomtoneServer> {
    checkConfig(config);
    const state = await openState(config, options.log ?? consoleLog);
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
      room: state.room.name,
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

  /** What /healthz and /readyz report (the launcher waits on it and prints it). */
  get health(): HealthState {
    return this.transports.health;
  }

  /** The launcher's supervised processes, for /healthz and the UI (the set doc's meta.processes). */
  reportProcesses(processes: ProcessReport[]): void {
    this.transports.health.processes = processes;
    this.state.room.mirror.setMeta({ processes });
  }

  /** Which Live the launcher is driving (or waiting for), reported until Live itself answers. */
  reportLiveMode(mode: LiveMode): void {
    this.transports.health.liveMode = mode;
  }

  /** The join link for a code: --public-url when given, else our primary name (the LAN address) and port. */
  joinUrl(code: string): string {
    return joinUrlOf(this.config, this.transports.names, code);
  }

  /**
   * The machine's addresses changed (a service started before the network, a laptop on
   * another Wi-Fi): advertise again with the new addresses and check the certificate now.
   */
  async networkChanged(): Promise<void> {
    if (this.stopping) return;
    const renewed = await this.certWatch.check();
    // A renewal re-advertises by itself; otherwise the old records name old addresses.
    const previous = this.mdns;
    if (!renewed && previous && !this.isStopping()) {
      await previous.stop();
      if (!this.isStopping() && this.mdns === previous) this.mdns = this.advertise(this.state.certs.fingerprint256);
    }
  }

  get parts(): ServerParts {
    const { room, sessions, store, compactor } = this.state;
    const { agent, pipeline, services, files, interest, intents } = this.transports;
    return { room, sessions, audit: store.audit, store, agent, pipeline, services, compactor, files, interest, intents };
  }

  /**
   * Tells every browser why (`stopping`, then close code 1001 on the doc sockets), gives
   * their close frames a moment, cuts what lingers and flushes the data store: bounded,
   * however many browsers are connected or whether they answer.
   */
  stop(reason = 'Roomtone is stopping on the studio computer'): Promise<void> {
    this.stopping ??= this.shutdown(reason);
    return this.stopping;
  }

  private async shutdown(reason: string): Promise<void> {
    const { state, transports, listening } = this;
    transports.health.stopping = true;
    this.certWatch.stop();
    state.compactor.stop();
    transports.interest.close();
    transports.intents.close();
    const closed = Promise.all([closeServer(transports.https), closeServer(listening.http)]);
    const mdns = this.mdns?.stop();
    transports.broadcast.stopping(wireError('SERVER_STOPPING', reason));
    transports.services.close();
    transports.pipeline.close();
    transports.agent.close();
    transports.activity.close();
    transports.broadcast.close();
    transports.yjs.close();
    // The agent needs no warning; it reconnects by itself to the next server.
    void transports.agentIo.close();
    await delay(STOP_GRACE_MS);
    // Closing the transports (not a socket.io disconnect, after which a client waits to
    // be told to reconnect) lets every socket.io client come back to the next server.
    void transports.io.close();
    for (const socket of transports.connections) socket.destroy();
    await Promise.race([Promise.all([closed, mdns, transports.files.close()]), delay(STOP_WAIT_MS)]);
    // Last: everything the closing connections changed is on disk before we exit,
    // with the counts of refusals still being grouped.
    await state.store.audit.close();
    await state.store.flush();
    transports.removeProcessNet();
  }

  /** Read afresh after an await (a field read there is narrowed to what it was before). */
  private isStopping(): boolean {
    return this.stopping !== null;
  }

  private advertise(fingerprint256: string): Advertisement {
    return advertise({ httpsPort: this.listening.port, fingerprint256, transport: this.config.mdnsTransport, onError: (err) => { this.state.log.warn(`mDNS: ${err.message}`); } });
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

async function openState(config: ServerConfig, log: ServerLog): Promise<State> {
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
  const compactor = new SetCompactor(room.mirror, { log: (line) => { log.info(line); }, ...(config.compactAfterBytes ? { growthBytes: config.compactAfterBytes } : {}) });
  return { log, certs, store, device, room, saveRoom, sessions, compactor };
}

/** What the studio engineer must hear about at start: an unconstrained CA (H8), notes reset (H13). */
function reportStartWarnings(config: ServerConfig, { log, certs, store }: State): void {
  if (!certs.caConstrained) {
    log.warn(`the local CA in ${config.certsDir} was made without name constraints, so whoever gets ca.key can sign for any site your tablets visit. Replace it when the class can reinstall it (docs/security.md, H8).`);
    store.audit.record({ kind: 'certificate_warning', ok: false, detail: 'the local CA has no name constraints (made before H8)' });
  }
  if (store.quarantinedNotes) {
    log.warn(`--reset-notes: the broken notes were copied to ${store.quarantinedNotes}; those rooms start with empty notes.`);
    store.audit.record({ kind: 'notes_reset', ok: true, detail: `broken notes kept in ${store.quarantinedNotes}` });
  }
}

async function buildTransports(config: ServerConfig, state: State, httpsPort: () => number): Promise<Transports> {
  const { room, sessions, store, device } = state;
  const audit = store.audit;
  // Every absolute URL and origin comes from our own names, never the Host header (H16).
  const names = new PublicNames({ names: () => state.certs.sans, httpsPort, primary: () => joinHost(config.host) });
  const auth = new RequestAuth(sessions, audit, names);
  const faults = auditedFaults(audit, (line) => { state.log.error(line); });
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
  const health = new HealthState(() => ({ connected: agent.connected, liveConnected: agent.liveConnected, live: agent.currentStatus.live }));

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
  const sessionLookup: SessionLookup = {
    get: (id) => sessions.get(id),
    expiresAt: (session) => sessions.expiresAt(session),
    sameAddress: (session, ip) => sameBinding(session.ip, ip, sessions.policy.ipBinding),
  };
  const pipeline = new CommandPipeline({
    sessions: sessionLookup,
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
    joinUrl: (code) => joinUrlOf(config, names, code),
    joinAddresses: (code) => lan.candidates().map((c) => ({ ...c, url: joinLink(`https://${c.address}:${httpsPort()}`, code) })),
    roomChanged: state.saveRoom,
    trackName: (id) => {
      const name = room.mirror.entity(id)?.get('name');
      return typeof name === 'string' ? name : undefined;
    },
  });
  load.changed = () => { services.load.changed(); };
  const interest = new DeviceInterest((devices) => { agent.observe(devices); });
  const intents = new IntentService(room.mirror);
  const intentHandler = new IntentHandler({ intents, sessions: sessionLookup, audit, warmup: { observe: (key, devices) => { interest.set(key, devices); } }, ...(config.model ? { model: new ModelAdapter(config.model) } : {}) });
  // An ended session's parse and model budgets go with it (H5's one path), not kept for the server's life.
  sessions.onConnectionsEnd((id, why) => {
    if (why !== 'role_changed' && why !== 'token_replaced') intentHandler.forget(id);
  });
  setupRoomNamespace(rooms, {
    room, sessions, auth, pipeline, interest,
    actorOf: (id) => activity.actorOf(id),
    onConnection: (socket, id) => {
      broadcast.greet(socket);
      services.onConnection(socket, id);
      intentHandler.register(socket, id);
      files.onConnection(socket, id, (sid) => sessions.get(sid));
    },
    onDisconnect: (id) => { services.onDisconnect(id); },
  });

  const app = createApp({
    names, room, sessions, auth, audit, agent, guards,
    health,
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
  const connections = new Set<NetSocket>();
  server.on('connection', (socket: NetSocket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  return {
    https: server, names, io: roomSockets.io, agentIo: agentSockets.io, broadcast, yjs, agent, pipeline, services, files, activity,
    interest, intents, health, connections, removeProcessNet,
  };
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

/** Stops accepting at once; resolves when the last connection is gone (stop() cuts the rest). */
function closeServer(server: http.Server | https.Server | null): Promise<void> {
  if (!server?.listening) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => { resolve(); }));
  server.closeIdleConnections();
  return closed;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The join link for a code: --public-url when given, else our primary name (the LAN address) and port. */
function joinUrlOf(config: ServerConfig, names: PublicNames, code: string): string {
  return joinLink(config.publicUrl?.replace(/\/+$/, '') ?? names.origin(), code);
}
