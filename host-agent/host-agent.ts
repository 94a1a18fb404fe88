import { io, type Socket } from 'socket.io-client';
import {
  AGENT_EVENTS, PROTOCOL_VERSION, wireError,
  type AgentCommand, type AgentResult, type AgentStatus, type LiveInfo, type ScriptLine,
} from '../protocol/index.ts';
import { ScriptLink } from './script-link.ts';

export interface HostAgentOptions {
  serverUrl: string;
  token: string;
  room: string;
  scriptHost: string;
  scriptPort: number;
  takeover?: boolean;
  /** PEM of the server's CA; without it the server certificate is not verified. */
  ca?: string;
  log?: (msg: string) => void;
}

/**
 * Relays between the room server and the Remote Script. It owns no state of the set:
 * after every (re)connection on either side it asks Live for a full snapshot.
 */
export class HostAgent {
  private readonly server: Socket;
  private readonly script: ScriptLink;
  private live: LiveInfo | null = null;
  private epoch: string | null = null;
  private readonly latencies: number[] = [];
  private readonly sentAt = new Map<string, number>();
  private readonly log: (msg: string) => void;

  constructor(private readonly options: HostAgentOptions) {
    this.log = options.log ?? ((msg) => console.log(msg));
    this.server = io(`${options.serverUrl.replace(/\/$/, '')}/agent`, {
      auth: { token: options.token, protocol: PROTOCOL_VERSION, room: options.room, takeover: options.takeover ?? false },
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 5_000,
      randomizationFactor: 0.5,
      ...(options.ca ? { ca: options.ca } : { rejectUnauthorized: false }),
      autoConnect: false,
    });
    this.script = new ScriptLink(options.scriptHost, options.scriptPort, this.log);
    this.wireServer();
    this.wireScript();
  }

  start(): void {
    this.server.connect();
    this.script.start();
  }

  stop(): void {
    this.script.stop();
    this.server.disconnect();
  }

  get serverConnected(): boolean {
    return this.server.connected;
  }

  get liveConnected(): boolean {
    return this.script.state === 'ready';
  }

  private wireServer(): void {
    this.server.on('connect', () => {
      this.log(`connected to ${this.options.serverUrl}`);
      this.sendStatus();
      this.script.send({ type: 'snapshot_request' });
    });
    this.server.on('connect_error', (err: Error & { data?: { code?: string; message?: string } }) => {
      const code = err.data?.code;
      this.log(`server refused or unreachable: ${code ? `${code}: ` : ''}${err.data?.message ?? err.message}`);
      // A refusal that retrying cannot fix must not be retried in a tight loop.
      if (code === 'AGENT_CONFLICT' || code === 'PROTOCOL_MISMATCH' || code === 'UNAUTHENTICATED') {
        setTimeout(() => this.server.connect(), 5_000).unref();
      }
    });
    this.server.on(AGENT_EVENTS.commands, (batch: unknown) => this.relayCommands(batch));
    this.server.on(AGENT_EVENTS.snapshotRequest, () => this.script.send({ type: 'snapshot_request' }));
  }

  private wireScript(): void {
    this.script.on('ready', ({ epoch, live }) => {
      this.epoch = epoch;
      this.live = live;
      this.log(`Live ${live.version}${live.simulated ? ' (simulator)' : ''} connected, epoch ${epoch}`);
      this.script.send({ type: 'snapshot_request' });
      this.sendStatus();
    });
    this.script.on('down', (reason) => {
      this.log(reason);
      this.live = null;
      this.failInFlight();
      this.sendStatus();
    });
    this.script.on('line', (line) => this.receiveScript(line));
  }

  private relayCommands(batch: unknown): void {
    if (!Array.isArray(batch)) return;
    const now = Date.now();
    const forward: AgentCommand[] = [];
    const refused: AgentResult[] = [];
    for (const item of batch as AgentCommand[]) {
      if (typeof item?.id !== 'string') continue;
      if (typeof item.deadline !== 'number' || item.deadline <= now) {
        refused.push({ id: item.id, ok: false, error: wireError('TIMEOUT', 'the deadline passed before the command reached Live; not executed') });
      } else if (this.script.state !== 'ready') {
        refused.push({ id: item.id, ok: false, error: wireError('LIVE_OFFLINE', 'the host agent cannot reach Live right now') });
      } else {
        forward.push(item);
        this.sentAt.set(item.id, now);
      }
    }
    if (forward.length > 0) this.script.send({ type: 'commands', commands: forward });
    if (refused.length > 0) this.server.emit(AGENT_EVENTS.results, refused);
  }

  private receiveScript(line: ScriptLine): void {
    switch (line.type) {
      case 'results': {
        const now = Date.now();
        for (const r of line.results) {
          const sent = this.sentAt.get(r.id);
          if (sent !== undefined) {
            this.sentAt.delete(r.id);
            this.recordLatency(now - sent);
          }
        }
        this.server.emit(AGENT_EVENTS.results, line.results);
        break;
      }
      case 'events':
        this.server.emit(AGENT_EVENTS.events, { epoch: line.epoch, seq: line.seq, changes: line.changes });
        break;
      case 'snapshot':
        this.epoch = line.epoch;
        this.live = line.live;
        this.server.emit(AGENT_EVENTS.snapshot, { epoch: line.epoch, live: line.live, entities: line.entities });
        this.sendStatus();
        break;
      case 'meters':
        this.server.volatile.emit(AGENT_EVENTS.meters, { levels: line.levels, position: line.position });
        break;
      case 'error':
        this.log(`Remote Script error: ${line.error.code}: ${line.error.message}`);
        break;
      default:
        break;
    }
  }

  /** Commands sent to a Live that went away get LIVE_OFFLINE now rather than a timeout later. */
  private failInFlight(): void {
    if (this.sentAt.size === 0) return;
    const failed: AgentResult[] = [...this.sentAt.keys()].map((id) => ({ id, ok: false, error: wireError('LIVE_OFFLINE', 'Live disconnected before answering; the command may not have run') }));
    this.sentAt.clear();
    this.server.emit(AGENT_EVENTS.results, failed);
  }

  private recordLatency(ms: number): void {
    this.latencies.push(ms);
    if (this.latencies.length > 50) this.latencies.shift();
  }

  private sendStatus(): void {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const status: AgentStatus = {
      liveConnected: this.script.state === 'ready',
      live: this.live,
      epoch: this.epoch,
      latencyMs: sorted.length ? sorted[Math.floor(sorted.length / 2)]! : null,
    };
    if (this.server.connected) this.server.emit(AGENT_EVENTS.status, status);
  }
}
