import https from 'node:https';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import {
  AGENT_NAMESPACE, AGENT_SOCKET_PATH, MAX_COMMAND_BYTES, ROOM_EVENTS, ROOM_NAMESPACE, ROOM_SOCKET_PATH, YJS_MAX_MESSAGE_BYTES,
  type LeasesMessage, type RoomReceived, type RoomServerEvents, type RoomSocketData, type WireError,
} from '../protocol/index.ts';
import type { ServerConfig } from './config.ts';
import { ensureCertificates, type Certificates } from './tls/certificates.ts';
import { Room } from './room/room.ts';
import { SessionStore } from './sessions/session-store.ts';
import type { AuditLog } from './persistence/audit-log.ts';
import { AgentLink } from './agent-link/agent-link.ts';
import { ensureDeviceToken } from './agent-link/device-token.ts';
import { createAgentSocketServer } from './agent-link/agent-socket.ts';
import { CommandPipeline } from './commands/command-pipeline.ts';
import { RequestAuth } from './http/request-auth.ts';
import { createApp } from './http/app.ts';
import { setupRoomNamespace } from './http/room-namespace.ts';
import { YjsServer } from './yjs/yjs-server.ts';
import { newDigits } from './util/codes.ts';
import { lanAddress } from './util/lan-address.ts';
import { sameBinding } from './security/ip-binding.ts';
import { DataStore } from './persistence/data-store.ts';
import { recordDevice, restoreRoom } from './persistence/room-state.ts';
import { JoinThrottle } from './security/join-throttle.ts';
import { SessionServices } from './host/session-services.ts';
import { plainHttpHandler } from './http/plain-http.ts';
import { advertise, type Advertisement } from './discovery/advertise.ts';
import { watchCertificates } from './tls/certificate-watch.ts';
import { latestOnly } from './util/latest-only.ts';
import { SetCompactor } from './mirror/set-compactor.ts';

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
  private io?: SocketServer<RoomReceived, RoomServerEvents, Record<string, never>, RoomSocketData>;
  /** The host agent's socket.io server (own path, bigger messages, token header). */
  private agentIo?: ReturnType<typeof createAgentSocketServer>;
  private yjs?: YjsServer;
  /** Rebuilds the `set` doc when tombstones have grown it (M8). */
  compactor?: SetCompactor;
  private certs?: Certificates;
  /** lowdb data dir: sessions, room, notes, audit. Flushed on stop(). */
  store?: DataStore;
  services?: SessionServices;
  private mdns?: Advertisement;
  private certWatch?: { stop(): void };
  /** The HTTPS port once listening (0 before). */
  private port = 0;
  private readonly leasesOut = latestOnly<LeasesMessage>((message) => this.io?.of(ROOM_NAMESPACE).emit(ROOM_EVENTS.leases, message), LEASES_GAP_MS);

  constructor(readonly config: ServerConfig) {}

  async start(): Promise<StartedServer> {
    const { config } = this;
    this.certs = await ensureCertificates({ dir: config.certsDir });
    // A corrupt or missing data file stops the start here (PersistenceError), before any port opens.
    this.store = await DataStore.open({ dir: config.dataDir });
    const store = this.store;
    const device = await ensureDeviceToken(config.dataDir);
    recordDevice(store.state, 'host-agent', device.hash, 'local host agent');
    this.room = new Room(config.room, config.joinCode ?? newDigits(6), config.adminPin ?? newDigits(6));
    const saveRoom = restoreRoom(this.room, store.state, config.joinCode);
    this.compactor = new SetCompactor(this.room.mirror, config.compactAfterBytes ? { growthBytes: config.compactAfterBytes } : {});
    this.room.notes.persistTo(store.notes);
    this.sessions.policy = { ...config.session, ipBinding: config.ipBinding };
    this.sessions.attach(store.state);
    this.audit = store.audit;

    const auth = new RequestAuth(this.sessions, this.audit);
    this.https = https.createServer({ key: this.certs.key, cert: this.certs.cert });
    this.io = new SocketServer<RoomReceived, RoomServerEvents, Record<string, never>, RoomSocketData>(this.https, {
      maxHttpBufferSize: MAX_COMMAND_BYTES,
      serveClient: false,
      destroyUpgrade: false,
      allowRequest: (req, callback) => {
        const refused = auth.checkOrigin(req, 'socket.io handshake');
        callback(refused ? refused.message : null, refused === null);
      },
    });

    const agentRefused = (reason: WireError, address: string): void => this.audit.record({ kind: 'agent_refused', ip: address, code: reason.code, detail: reason.message });
    this.agentIo = createAgentSocketServer(this.https, () => device.hash, agentRefused);
    this.agent = new AgentLink(this.agentIo.of(AGENT_NAMESPACE), () => device.hash, this.room.mirror, {
      onStatus: (status) => this.room.mirror.setMeta({
        agentConnected: status.agentConnected,
        liveConnected: status.agentConnected && status.liveConnected,
        simulated: status.live?.simulated ?? null,
        liveVersion: status.live?.version ?? null,
      }),
      onMeters: (meters) => this.io?.of(ROOM_NAMESPACE).volatile.emit(ROOM_EVENTS.meters, meters),
      onRefused: agentRefused,
    });

    const sessions = this.sessions;
    const pipeline = new CommandPipeline({
      sessions: {
        get: (id) => sessions.get(id),
        expiresAt: (session) => sessions.expiresAt(session),
        sameAddress: (session, ip) => sameBinding(session.ip, ip, sessions.policy.ipBinding),
      },
      room: this.room,
      mirror: this.room.mirror,
      agent: this.agent,
      audit: this.audit,
      deadlineMs: COMMAND_DEADLINE_MS,
      rateLimit: config.rateLimit,
      onLeases: this.leasesOut,
    });
    this.pipeline = pipeline;
    const services = new SessionServices({
      namespace: this.io.of(ROOM_NAMESPACE),
      room: this.room,
      sessions: this.sessions,
      audit: this.audit,
      readAudit: (query) => this.audit.query(query),
      newJoinCode: () => newDigits(6),
      joinUrl: (code) => `https://${joinHost(config.host)}:${this.port}/?code=${encodeURIComponent(code)}`,
      roomChanged: saveRoom,
      stats: () => {
        const status = this.agent.currentStatus;
        return { ...pipeline.stats(), agentLatencyMs: status.latencyMs, agentConnected: status.agentConnected, liveConnected: this.agent.liveConnected, simulated: status.live?.simulated ?? false };
      },
      endConnections: (id) => this.endSessionConnections(id),
      resetDocs: (id) => this.yjs?.disconnectSession(id, 4000, 'role changed: reconnect'),
      releaseLeases: (id) => pipeline.sessionGone(id),
    });
    this.services = services;
    pipeline.onStats(() => services.load.changed());
    setupRoomNamespace(this.io.of(ROOM_NAMESPACE), {
      room: this.room, sessions: this.sessions, auth, pipeline,
      onConnection: (socket, id) => services.onConnection(socket, id),
      onDisconnect: (id) => services.onDisconnect(id),
    });

    this.yjs = new YjsServer({
      maxMessageBytes: YJS_MAX_MESSAGE_BYTES,
      channel: (room, doc) => (room === this.room.name ? this.room.channels.get(doc) : undefined),
      authorize: (req) => {
        const session = auth.authenticate(req, 'y-websocket');
        if ('code' in session) return { ok: false, status: session.code === 'ORIGIN_REJECTED' ? 403 : 401, error: session };
        return { ok: true, owner: { sessionId: session.id, role: session.role } };
      },
      onViolation: (owner, channel, reason) => this.audit.record({ kind: 'yjs_violation', sessionId: owner.sessionId, detail: `${channel}: ${reason}` }),
      onTooSlow: (owner, channel, bytes) => this.audit.record({ kind: 'yjs_too_slow', sessionId: owner.sessionId, detail: `${channel}: ${Math.round(bytes / 1024)} KB not yet read; dropped, it resyncs on reconnect` }),
    });
    this.https.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith(ROOM_SOCKET_PATH) || req.url?.startsWith(AGENT_SOCKET_PATH)) return; // socket.io's own listeners take these
      if (!this.yjs!.handleUpgrade(req, socket, head)) socket.destroy();
    });

    const app = createApp({
      room: this.room,
      sessions: this.sessions,
      auth,
      audit: this.audit,
      agent: this.agent,
      liveMode: () => (this.agent.currentStatus.live?.simulated === false ? 'real' : 'sim'),
      throttle: new JoinThrottle(),
      onLeave: (sessionId) => { this.endSessionConnections(sessionId); services.forget(sessionId); },
      onRefresh: (sessionId) => this.endSessionConnections(sessionId),
    });
    this.https.on('request', app);

    const port = await listen(this.https, config.port, config.host);
    this.port = port;
    let httpPort: number | null = null;
    if (config.httpPort >= 0) {
      this.http = http.createServer(plainHttpHandler({ httpsPort: () => port, joinCode: () => this.room.joinCode, caCertPem: this.certs.caCert }));
      httpPort = await listen(this.http, config.httpPort, config.host);
    }
    const announce = (fingerprint256: string): Advertisement => advertise({ httpsPort: port, fingerprint256, transport: config.mdnsTransport });
    if (config.mdns) this.mdns = announce(this.certs.fingerprint256);
    this.certWatch = watchCertificates({
      dir: config.certsDir,
      onRenewed: (certs) => {
        this.certs = certs;
        this.https?.setSecureContext({ key: certs.key, cert: certs.cert });
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

  /** Closes every socket and doc connection a session holds (leave, kick). */
  endSessionConnections(sessionId: string): void {
    this.io?.of(ROOM_NAMESPACE).in(`session:${sessionId}`).disconnectSockets(true);
    this.yjs?.disconnectSession(sessionId);
  }

  async stop(): Promise<void> {
    this.certWatch?.stop();
    this.compactor?.stop();
    await this.mdns?.stop();
    this.services?.close();
    this.pipeline?.close();
    this.leasesOut.close();
    this.yjs?.close();
    await new Promise<void>((resolve) => (this.agentIo ? this.agentIo.close(() => resolve()) : resolve()));
    await new Promise<void>((resolve) => (this.io ? this.io.close(() => resolve()) : resolve()));
    await Promise.all([closeServer(this.https), closeServer(this.http)]);
    // Last: everything the closing connections changed is on disk before we exit.
    await this.store?.flush();
  }
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

function closeServer(server: http.Server | https.Server | undefined): Promise<void> {
  if (!server || !server.listening) return Promise.resolve();
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}


/** The address a tablet in the room can reach: the LAN one when serving the LAN. */
function joinHost(bind: string): string {
  if (bind === '0.0.0.0' || bind === '::') return lanAddress() ?? '127.0.0.1';
  return bind.includes(':') ? `[${bind}]` : bind;
}
