import https from 'node:https';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server as SocketServer } from 'socket.io';
import { CLOSE_ROLE_CHANGED, MAX_COMMAND_BYTES, ROOM_EVENTS, type LeasesMessage, type WireError } from '../protocol/index.ts';
import { ConfigError, type ServerConfig } from './config.ts';
import { ensureCertificates, type Certificates } from './tls/certificates.ts';
import { Room } from './room/room.ts';
import { SessionStore } from './sessions/session-store.ts';
import type { Session } from './sessions/session.ts';
import type { AuditLog } from './persistence/audit-log.ts';
import { AgentLink } from './agent-link/agent-link.ts';
import { ensureDeviceToken } from './agent-link/device-token.ts';
import { createAgentSocketServer } from './agent-link/agent-socket.ts';
import { CommandPipeline } from './commands/command-pipeline.ts';
import { RequestAuth } from './http/request-auth.ts';
import { createApp } from './http/app.ts';
import { setupRoomNamespace } from './http/room-namespace.ts';
import { YjsServer, YJS_PATH_PREFIX } from './yjs/yjs-server.ts';
import { Containment } from './containment/containment.ts';
import { auditedFaults } from './containment/audited-faults.ts';
import { installProcessNet } from './containment/process-net.ts';
import { routeHttp } from './http/request-router.ts';
import { websocketOnly } from './http/websocket-only.ts';
import { AddressConnectionCap } from './security/connection-caps.ts';
import { normaliseIp } from './util/remote-ip.ts';
import { newDigits } from './util/codes.ts';
import { lan, lanAddress } from './util/lan-address.ts';
import { sameBinding } from './security/ip-binding.ts';
import { DataStore } from './persistence/data-store.ts';
import { recordDevice, restoreRoom } from './persistence/room-state.ts';
import { newJoinGuards } from './security/join-guards.ts';
import { adminPinProblem, newAdminPin } from './security/admin-pin.ts';
import { SessionServices } from './host/session-services.ts';
import { plainHttpHandler } from './http/plain-http.ts';
import { PublicNames } from './http/public-names.ts';
import { advertise, type Advertisement } from './discovery/advertise.ts';
import { watchCertificates } from './tls/certificate-watch.ts';
import { MeterRelay } from '../protocol/meter-frames.ts';
import { LinkMeta } from './agent-link/link-meta.ts';
import { ActivityFeed } from './load/activity-feed.ts';
import { tlsServerOptions } from './tls/tls-policy.ts';
import { latestOnly } from './util/latest-only.ts';
import { SetCompactor } from './mirror/set-compactor.ts';
import { DeviceInterest } from './mirror/device-interest.ts';
import { IntentService } from './intent/intent-service.ts';
import { IntentHandler } from './intent/intent-handler.ts';
import { ModelAdapter } from './intent/model/model-adapter.ts';
import { HealthState } from './health/health-state.ts';
import { consoleLog, type ServerLog } from './util/log.ts';
import type { LiveMode, ProcessReport } from '../protocol/health.ts';
import { wireError } from '../protocol/errors.ts';
import type { Socket as NetSocket } from 'node:net';
import { FilesService } from './files/files-service.ts';

/**
 * `leases` carries the whole set of held controls, so a burst of gesture starts and ends
 * is one message to every socket (docs/protocol.md G5): 50 people dragging faders
 * change the set hundreds of times a second, and each change went to every socket.
 */
const LEASES_GAP_MS = 50;

export interface StartedServer {
  port: number;
  httpPort: number | null;
  joinCode: string;
  adminPin: string;
  deviceTokenPath: string;
  caCertPath: string;
  fingerprint256: string;
}

const COMMAND_DEADLINE_MS = 2_000;
/** After telling every client the server stops, how long their close frames get before the sockets are cut. */
const STOP_GRACE_MS = 300;
/** mDNS goodbyes and the last socket closes never hold a stop longer than this. */
const STOP_WAIT_MS = 1_500;
const YJS_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Wires the parts of the room server together: HTTPS (express + helmet), socket.io
 * `/room` for browsers and `/agent` for the host agent, and y-websocket for the docs.
 */
export class RoomtoneServer {
  /** The persisted audit log (the store's), set by start(). */
  audit!: AuditLog;
  readonly sessions = new SessionStore();
  room!: Room;
  agent!: AgentLink;
  /** The command pipeline; `pipeline.stats()` feeds the load broadcaster. */
  pipeline!: CommandPipeline;
  private https?: https.Server;
  private http?: http.Server;
  private io?: SocketServer;
  /** The host agent's socket.io server (own path, bigger messages, token header). */
  private agentIo?: SocketServer;
  private yjs?: YjsServer;
  /** Rebuilds the `set` doc when tombstones have grown it (M8). */
  compactor?: SetCompactor;
  /** The device panels browsers show; Live mirrors only their parameters. */
  interest?: DeviceInterest;
  /** Words to commands against the live set (intent.parse). */
  intents?: IntentService;
  /** Uploads, stored drops, takes and downloads (server/files/). */
  files?: FilesService;
  private certs?: Certificates;
  /** lowdb data dir: sessions, room, notes, audit. Flushed on stop(). */
  store?: DataStore;
  services?: SessionServices;
  private mdns?: Advertisement;
  private announce?: (fingerprint256: string) => Advertisement;
  private certWatch?: ReturnType<typeof watchCertificates>;
  private removeProcessNet?: () => void;
  /** Our own names and port, for every absolute URL (H16); set by start(). */
  private names?: PublicNames;
  /** The HTTPS port once listening (0 before). */
  private port = 0;
  /** Every TCP connection to the HTTPS port, so stop() can cut the ones that linger (upgraded sockets included). */
  private readonly connections = new Set<NetSocket>();
  private stopping: Promise<void> | null = null;
  private readonly log: ServerLog;
  /** What /healthz and /readyz report; the launcher adds its processes and its choice of Live. */
  readonly health = new HealthState(() => (this.agent ? { connected: this.agent.connected, liveConnected: this.agent.liveConnected, live: this.agent.currentStatus.live } : null));
  private readonly meters = new MeterRelay(
    (frame) => this.io?.of('/room').volatile.emit(ROOM_EVENTS.meters, frame),
    (frame) => this.io?.of('/room').emit(ROOM_EVENTS.meters, frame),
  );
  private readonly linkMeta = new LinkMeta();
  private activity: ActivityFeed | null = null;
  private readonly leasesOut = latestOnly<LeasesMessage>((message) => this.io?.of('/room').emit(ROOM_EVENTS.leases, message), LEASES_GAP_MS);

  constructor(readonly config: ServerConfig, options: { log?: ServerLog } = {}) {
    this.log = options.log ?? consoleLog;
  }

  async start(): Promise<StartedServer> {
    const { config } = this;
    const pinProblem = config.adminPin === undefined ? null : adminPinProblem(config.adminPin);
    if (pinProblem) throw new ConfigError(`${pinProblem} (ROOMTONE_ADMIN_PIN or --admin-pin)`);
    this.certs = await ensureCertificates({ dir: config.certsDir });
    // A corrupt or missing data file stops the start here (PersistenceError), before any port opens.
    this.store = await DataStore.open({ dir: config.dataDir, resetNotes: config.resetNotes });
    const store = this.store;
    if (!this.certs.caConstrained) {
      this.log.warn(`the local CA in ${config.certsDir} was made without name constraints, so whoever gets ca.key can sign for any site your tablets visit. Replace it when the class can reinstall it (docs/security.md, H8).`);
      store.audit.record({ kind: 'certificate_warning', ok: false, detail: 'the local CA has no name constraints (made before H8)' });
    }
    if (store.quarantinedNotes) {
      this.log.warn(`--reset-notes: the broken notes were copied to ${store.quarantinedNotes}; those rooms start with empty notes.`);
      store.audit.record({ kind: 'notes_reset', ok: true, detail: `broken notes kept in ${store.quarantinedNotes}` });
    }
    const device = await ensureDeviceToken(config.dataDir);
    recordDevice(store.state, 'host-agent', device.hash, 'local host agent');
    this.room = new Room(config.room, config.joinCode ?? newDigits(6), config.adminPin ?? newAdminPin());
    const saveRoom = restoreRoom(this.room, store.state, config.joinCode);
    this.compactor = new SetCompactor(this.room.mirror, { log: (line) => this.log.info(line), ...(config.compactAfterBytes ? { growthBytes: config.compactAfterBytes } : {}) });
    this.room.notes.persistTo(store.notes);
    this.sessions.policy = { ...config.session, ipBinding: config.ipBinding };
    this.sessions.attach(store.state);
    this.audit = store.audit;

    const names = this.names = new PublicNames({ names: () => this.certs?.sans ?? [], httpsPort: () => this.port, primary: () => joinHost(config.host) });
    const auth = new RequestAuth(this.sessions, this.audit, names);
    const faults = auditedFaults(this.audit, (line) => this.log.error(line));
    const containment = new Containment(faults);
    this.removeProcessNet = installProcessNet(faults);
    this.https = https.createServer(tlsServerOptions({ key: this.certs.key, cert: this.certs.cert }));
    const roomSockets = websocketOnly({
      path: '/socket.io/',
      maxHttpBufferSize: MAX_COMMAND_BYTES,
      allowRequest: (req, callback) => {
        const refused = auth.checkOrigin(req, 'socket.io handshake');
        callback(refused ? refused.message : null, refused === null);
      },
    });
    this.io = roomSockets.io;
    containment.watchNamespace(this.io.of('/room'));

    const agentRefused = (reason: WireError, address: string): void => this.audit.record({ kind: 'agent_refused', ip: address, code: reason.code, detail: reason.message });
    const agentSockets = createAgentSocketServer(() => device.hash, agentRefused);
    this.agentIo = agentSockets.io;
    containment.watchNamespace(this.agentIo.of('/agent'));
    this.agent = new AgentLink(this.agentIo.of('/agent'), () => device.hash, this.room.mirror, {
      onStatus: (status) => {
        if (!status.agentConnected || !status.liveConnected) this.meters.reset();
        this.room.mirror.setMeta(this.linkMeta.props(status));
      },
      onMeters: (meters) => this.meters.receive(meters),
      onRefused: agentRefused,
    });

    const files = await FilesService.open({
      dataDir: config.dataDir,
      room: this.room,
      auth,
      audit: this.audit,
      agent: this.agent,
      slot: (id) => {
        const entity = this.room.mirror.entity(id);
        return entity ? { hasClip: entity.get('hasClip') === true, rev: entity.rev } : null;
      },
      onLoadChange: () => this.services?.load.changed(),
      ...(config.uploadGraceMs !== undefined ? { abandonAfterMs: config.uploadGraceMs } : {}),
    });
    this.files = files;

    const sessions = this.sessions;
    const sessionLookup = {
      get: (id: string) => sessions.get(id),
      expiresAt: (session: Session) => sessions.expiresAt(session),
      sameAddress: (session: Session, ip: string) => sameBinding(session.ip, ip, sessions.policy.ipBinding),
    };
    const guards = newJoinGuards();
    const pipeline = new CommandPipeline({
      sessions: sessionLookup,
      room: this.room,
      mirror: this.room.mirror,
      agent: this.agent,
      audit: this.audit,
      deadlineMs: COMMAND_DEADLINE_MS,
      rateLimit: config.rateLimit,
      onLeases: this.leasesOut,
      onApplied: (entry) => this.activity?.record(entry),
      resolveArgs: (command) => files.resolve(command),
    });
    this.pipeline = pipeline;
    const services = new SessionServices({
      namespace: this.io.of('/room'),
      room: this.room,
      sessions: this.sessions,
      audit: this.audit,
      readAudit: (query) => this.audit.query(query),
      newJoinCode: () => newDigits(6),
      joinUrl: (code) => this.joinUrl(code),
      joinAddresses: (code) => lan.candidates().map((c) => ({ ...c, url: `https://${c.address}:${this.port}/?code=${encodeURIComponent(code)}` })),
      roomChanged: saveRoom,
      stats: () => {
        const status = this.agent.currentStatus;
        return { ...pipeline.stats(), agentLatencyMs: status.latencyMs, agentConnected: status.agentConnected, liveConnected: this.agent.liveConnected, simulated: status.live?.simulated ?? false, transfersBySession: files.transfersBySession() };
      },
      endConnections: (id) => this.endSessionConnections(id),
      resetDocs: (id) => this.yjs?.disconnectSession(id, CLOSE_ROLE_CHANGED, 'role changed: reconnect'),
      releaseLeases: (id) => pipeline.sessionGone(id),
      trackName: (id) => {
        const name = this.room.mirror.doc.getMap<{ get(key: string): unknown }>('tracks').get(id)?.get('name');
        return typeof name === 'string' ? name : undefined;
      },
      pinGuessing: () => guards.pinBudget.status(),
    });
    this.services = services;
    pipeline.onStats(() => services.load.changed());
    this.interest = new DeviceInterest((devices) => this.agent.observe(devices));
    this.intents = new IntentService(this.room.mirror);
    const intentHandler = new IntentHandler({ intents: this.intents, sessions: sessionLookup, audit: this.audit, ...(config.model ? { model: new ModelAdapter(config.model) } : {}) });
    // An ended session's parse and model budgets go with it (H5's one path), not kept for the server's life.
    this.sessions.onConnectionsEnd((id, why) => {
      if (why !== 'role_changed' && why !== 'token_replaced') intentHandler.forget(id);
    });
    this.activity = new ActivityFeed(this.io.of('/room'), (id) => this.sessions.get(id)?.role);
    setupRoomNamespace(this.io.of('/room'), {
      room: this.room, sessions: this.sessions, auth, pipeline, interest: this.interest,
      onConnection: (socket, id) => {
        const frame = this.meters.state.full();
        if (frame) socket.emit(ROOM_EVENTS.meters, frame);
        services.onConnection(socket, id);
        intentHandler.register(socket, id);
        files.onConnection(socket, id, (sid) => this.sessions.get(sid));
      },
      onDisconnect: (id) => services.onDisconnect(id),
    });

    this.yjs = new YjsServer({
      maxMessageBytes: YJS_MAX_MESSAGE_BYTES,
      channel: (room, doc) => (room === this.room.name ? this.room.channels.get(doc) : undefined),
      authorize: (req) => {
        const session = auth.authenticate(req, 'y-websocket');
        if ('code' in session) return { ok: false, status: session.code === 'ORIGIN_REJECTED' ? 403 : 401, error: session };
        return { ok: true, owner: { sessionId: session.id, role: session.role, name: session.name } };
      },
      ownerLive: (owner) => {
        const session = this.sessions.get(owner.sessionId);
        return session !== undefined && Date.now() < this.sessions.expiresAt(session);
      },
      onViolation: (owner, channel, reason) => this.audit.record({ kind: 'yjs_violation', sessionId: owner.sessionId, detail: `${channel}: ${reason}` }),
      onRefused: (owner, channel, error) => this.audit.record({ kind: 'notes_refused', sessionId: owner.sessionId, code: error.code, ok: false, detail: `${channel}: ${error.message}` }),
      onTooSlow: (owner, channel, bytes) => this.audit.record({ kind: 'yjs_too_slow', sessionId: owner.sessionId, detail: `${channel}: ${Math.round(bytes / 1024)} KB not yet read; dropped, it resyncs on reconnect` }),
    });

    const app = createApp({
      names,
      room: this.room,
      sessions: this.sessions,
      auth,
      audit: this.audit,
      agent: this.agent,
      health: this.health,
      guards,
      redeemPromotion: (sessionId, ticket) => services.redeemPromotion(sessionId, ticket),
      onPinGuessing: () => services.load.changed(),
      onFault: (where, err) => containment.fault(where, err),
      files: files.router(),
    });
    const yjs = this.yjs;
    const addressCap = new AddressConnectionCap(config.maxConnectionsPerAddress);
    routeHttp(this.https, {
      owners: [roomSockets.owner, agentSockets.owner, { prefix: YJS_PATH_PREFIX, upgrade: (req, socket, head) => { yjs.handleUpgrade(req, socket, head); } }],
      fallback: app,
      containment,
      admitUpgrade: (req, socket) => {
        const refused = addressCap.admit(req, socket);
        if (refused) this.audit.record({ kind: 'connection_refused', ip: normaliseIp(req.socket.remoteAddress), code: refused.code, ok: false, detail: refused.message });
        return refused;
      },
    });
    this.https.on('connection', (socket: NetSocket) => {
      this.connections.add(socket);
      socket.once('close', () => this.connections.delete(socket));
    });

    const port = await listen(this.https, config.port, config.host);
    this.port = port;
    let httpPort: number | null = null;
    if (config.httpPort >= 0) {
      this.http = http.createServer(plainHttpHandler({ names, caCertPem: this.certs.caCert }));
      httpPort = await listen(this.http, config.httpPort, config.host);
    }
    const announce = (fingerprint256: string): Advertisement => advertise({ httpsPort: port, fingerprint256, transport: config.mdnsTransport, onError: (err) => this.log.warn(`mDNS: ${err.message}`) });
    this.announce = announce;
    if (config.mdns) this.mdns = announce(this.certs.fingerprint256);
    this.certWatch = watchCertificates({
      dir: config.certsDir,
      onRenewed: (certs) => {
        this.certs = certs;
        this.https?.setSecureContext(tlsServerOptions({ key: certs.key, cert: certs.cert }));
        this.audit.record({ kind: 'certificate_renewed', detail: `${certs.renewReason}: ${certs.sans.join(' ')}` });
        if (this.mdns) void this.mdns.stop().then(() => { this.mdns = announce(certs.fingerprint256); });
      },
      onError: (err) => this.audit.record({ kind: 'certificate_error', ok: false, detail: err.message }),
    });

    return {
      port,
      httpPort,
      joinCode: this.room.joinCode,
      adminPin: this.room.adminPin,
      deviceTokenPath: device.path,
      caCertPath: this.certs.caCertPath,
      fingerprint256: this.certs.fingerprint256,
    };
  }

  /** Closes every socket and doc connection a session holds (through SessionStore.onConnectionsEnd). */
  endSessionConnections(sessionId: string): void {
    this.io?.of('/room').in(`session:${sessionId}`).disconnectSockets(true);
    this.yjs?.disconnectSession(sessionId);
  }

  /** The join link for a code: --public-url when given, else our primary name (the LAN address) and port. */
  joinUrl(code: string): string {
    const base = this.config.publicUrl ?? `${this.names?.origin() ?? `https://${joinHost(this.config.host)}:${this.port}`}/`;
    return `${base}?code=${encodeURIComponent(code)}`;
  }

  /** The launcher's supervised processes, for /healthz and the UI (the set doc's meta.processes). */
  reportProcesses(processes: ProcessReport[]): void {
    this.health.processes = processes;
    this.room?.mirror.setMeta({ processes });
  }

  /** Which Live the launcher is driving (or waiting for), reported until Live itself answers. */
  reportLiveMode(mode: LiveMode): void {
    this.health.liveMode = mode;
  }

  /**
   * The machine's addresses changed (a service started before the network, a laptop on
   * another Wi-Fi): advertise again with the new addresses and check the certificate now.
   */
  async networkChanged(): Promise<void> {
    if (this.stopping || !this.certWatch) return;
    const renewed = await this.certWatch.check();
    // A renewal re-advertises by itself; otherwise the old records name old addresses.
    if (!renewed && this.mdns && this.certs && !this.stopping) {
      const certs = this.certs;
      await this.mdns.stop();
      if (!this.stopping) this.mdns = this.announce?.(certs.fingerprint256);
    }
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
    this.health.stopping = true;
    this.certWatch?.stop();
    this.compactor?.stop();
    this.interest?.close();
    this.intents?.close();
    const closed = Promise.all([closeServer(this.https), closeServer(this.http)]);
    const mdns = this.mdns?.stop();
    this.io?.of('/room').emit(ROOM_EVENTS.stopping, wireError('SERVER_STOPPING', reason));
    this.services?.close();
    this.pipeline?.close();
    this.agent?.close();
    this.leasesOut.close();
    this.activity?.close();
    this.meters.close();
    this.yjs?.close();
    // The agent needs no warning; it reconnects by itself to the next server.
    this.agentIo?.close();
    await delay(STOP_GRACE_MS);
    // Closing the transports (not a socket.io disconnect, after which a client waits to
    // be told to reconnect) lets every socket.io client come back to the next server.
    this.io?.close();
    for (const socket of this.connections) socket.destroy();
    await Promise.race([Promise.all([closed, mdns, this.files?.close()]), delay(STOP_WAIT_MS)]);
    // Last: everything the closing connections changed is on disk before we exit.
    await this.store?.audit.close();
    await this.store?.flush();
    this.removeProcessNet?.();
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function listen(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Stops accepting at once; resolves when the last connection is gone (stop() cuts the rest). */
function closeServer(server: http.Server | https.Server | undefined): Promise<void> {
  if (!server || !server.listening) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  return closed;
}


/** The address a tablet in the room can reach: the LAN one when serving the LAN. */
function joinHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '::') return lanAddress() ?? '127.0.0.1';
  return bind;
}
