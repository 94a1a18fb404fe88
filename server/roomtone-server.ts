import https from 'node:https';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import { MAX_COMMAND_BYTES, ROOM_EVENTS } from '../protocol/index.ts';
import type { ServerConfig } from './config.ts';
import { ensureCertificates, type Certificates } from './tls/certificates.ts';
import { Room } from './room/room.ts';
import { SessionStore } from './sessions/session-store.ts';
import { AuditLog } from './audit/audit-log.ts';
import { AgentLink } from './agent-link/agent-link.ts';
import { ensureDeviceToken } from './agent-link/device-token.ts';
import { CommandPipeline } from './commands/command-pipeline.ts';
import { RequestAuth } from './http/request-auth.ts';
import { createApp } from './http/app.ts';
import { setupRoomNamespace } from './http/room-namespace.ts';
import { YjsServer } from './yjs/yjs-server.ts';
import { newDigits } from './util/codes.ts';
import { sameBinding } from './security/ip-binding.ts';

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
const YJS_MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * Wires the parts of the room server together: HTTPS (express + helmet), socket.io
 * `/room` for browsers and `/agent` for the host agent, and y-websocket for the docs.
 */
export class RoomtoneServer {
  readonly audit = new AuditLog();
  readonly sessions = new SessionStore();
  room!: Room;
  agent!: AgentLink;
  /** The command pipeline; `pipeline.stats()` feeds the load broadcaster. */
  pipeline!: CommandPipeline;
  private https?: https.Server;
  private http?: http.Server;
  private io?: SocketServer;
  private yjs?: YjsServer;
  private certs?: Certificates;

  constructor(readonly config: ServerConfig) {}

  async start(): Promise<StartedServer> {
    const { config } = this;
    this.certs = await ensureCertificates({ dir: config.certsDir });
    const device = await ensureDeviceToken(config.dataDir);
    this.room = new Room(config.room, config.joinCode ?? newDigits(6), config.adminPin ?? newDigits(6));

    const auth = new RequestAuth(this.sessions, this.audit);
    this.https = https.createServer({ key: this.certs.key, cert: this.certs.cert });
    this.io = new SocketServer(this.https, {
      maxHttpBufferSize: MAX_COMMAND_BYTES,
      serveClient: false,
      destroyUpgrade: false,
      allowRequest: (req, callback) => callback(auth.originAllowed(req) ? null : 'origin not allowed', auth.originAllowed(req)),
    });

    this.agent = new AgentLink(this.io.of('/agent'), () => device.hash, this.room.mirror, {
      onStatus: (status) => this.room.mirror.setMeta({
        agentConnected: status.agentConnected,
        liveConnected: status.agentConnected && status.liveConnected,
        simulated: status.live?.simulated ?? null,
        liveVersion: status.live?.version ?? null,
      }),
      onMeters: (meters) => this.io?.of('/room').volatile.emit(ROOM_EVENTS.meters, meters),
      onRefused: (reason, address) => this.audit.record({ kind: 'agent_refused', ip: address, code: reason.code, detail: reason.message }),
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
      onLeases: (message) => this.io?.of('/room').emit(ROOM_EVENTS.leases, message),
    });
    this.pipeline = pipeline;
    setupRoomNamespace(this.io.of('/room'), { room: this.room, sessions: this.sessions, auth, pipeline });

    this.yjs = new YjsServer({
      maxMessageBytes: YJS_MAX_MESSAGE_BYTES,
      channel: (room, doc) => (room === this.room.name ? this.room.channels.get(doc) : undefined),
      authorize: (req) => {
        const session = auth.authenticate(req, 'y-websocket');
        if ('code' in session) return { ok: false, status: session.code === 'ORIGIN_REJECTED' ? 403 : 401, error: session };
        return { ok: true, owner: { sessionId: session.id, role: session.role } };
      },
      onViolation: (owner, channel, reason) => this.audit.record({ kind: 'yjs_violation', sessionId: owner.sessionId, detail: `${channel}: ${reason}` }),
    });
    this.https.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/socket.io/')) return; // socket.io's own listener takes it
      if (!this.yjs!.handleUpgrade(req, socket, head)) socket.destroy();
    });

    const app = createApp({
      room: this.room,
      sessions: this.sessions,
      auth,
      audit: this.audit,
      agent: this.agent,
      liveMode: () => (this.agent.currentStatus.live?.simulated === false ? 'real' : 'sim'),
      onLeave: (sessionId) => this.endSessionConnections(sessionId),
    });
    this.https.on('request', app);

    const port = await listen(this.https, config.port, config.host);
    let httpPort: number | null = null;
    if (config.httpPort >= 0) {
      this.http = http.createServer((req, res) => {
        if (req.url === '/ca.crt') {
          res.writeHead(200, { 'Content-Type': 'application/x-x509-ca-cert', 'Content-Disposition': 'attachment; filename="roomtone-ca.crt"' });
          res.end(this.certs!.caCert);
          return;
        }
        const host = (req.headers.host ?? `localhost:${config.httpPort}`).replace(/:\d+$/, '');
        res.writeHead(301, { Location: `https://${host}:${port}${req.url ?? '/'}` });
        res.end();
      });
      httpPort = await listen(this.http, config.httpPort, config.host);
    }

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
    this.io?.of('/room').in(`session:${sessionId}`).disconnectSockets(true);
    this.yjs?.disconnectSession(sessionId);
  }

  async stop(): Promise<void> {
    this.pipeline?.close();
    this.yjs?.close();
    await new Promise<void>((resolve) => (this.io ? this.io.close(() => resolve()) : resolve()));
    await Promise.all([closeServer(this.https), closeServer(this.http)]);
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

