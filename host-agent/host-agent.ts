import { io, type Socket } from 'socket.io-client';
import {
  AGENT_EVENTS, AGENT_NAMESPACE, AGENT_SOCKET_PATH, AGENT_TOKEN_HEADER, AgentBatchSchema, AgentCommandSchema, AgentObserveMessageSchema, OBSERVE_LIMIT, PROTOCOL_VERSION, wireError, wireErrorOf,
  type AgentAuth, type AgentClientEvents, type AgentCommand, type AgentReceivedByAgent, type AgentResult, type AgentStatus, type LiveInfo, type ScriptLine,
} from '../protocol/index.ts';
import { ScriptLink } from './script-link.ts';
import { MeterRelay } from '../protocol/meter-frames.ts';
import { clampArgs } from './clamp.ts';

/**
 * The agent's state is the pair (server link, Live link); docs/host-agent.md draws it.
 * - `connecting`: neither link is up.
 * - `server-only`: commands from the server are answered LIVE_OFFLINE at once.
 * - `live-only`: Live's events are dropped; the server gets a full snapshot when it is back.
 * - `ready`: commands are clamped, expired ones answered TIMEOUT, the rest sent to Live.
 * - `replaced`: the server closed this agent on purpose (another agent took over with
 *   --takeover): Live is released for the new agent and nothing reconnects.
 * - `stopped`: stop() was called.
 */
export type AgentState = 'connecting' | 'server-only' | 'live-only' | 'ready' | 'replaced' | 'stopped';

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
  /** Called on every state change (tests and the launcher's log use it). */
  onState?: (state: AgentState) => void;
  /** Wait before retrying a refusal that a retry cannot fix soon (AGENT_CONFLICT, a wrong token). */
  refusedRetryMs?: number;
  /** The secret shared with the Remote Script (the file next to it), read at each connection (H9). */
  scriptSecret?: () => string | null;
}

/**
 * Relays between the room server and the Remote Script. It owns no state of the set:
 * after every (re)connection on either side it asks Live for a full snapshot.
 */
export class HostAgent {
  private readonly server: Socket<AgentReceivedByAgent, AgentClientEvents>;
  private readonly script: ScriptLink;
  private readonly meters: MeterRelay;
  private live: LiveInfo | null = null;
  private epoch: string | null = null;
  private readonly latencies: number[] = [];
  private readonly sentAt = new Map<string, number>();
  private readonly log: (msg: string) => void;
  private stateValue: AgentState = 'stopped';
  private retryTimer: NodeJS.Timeout | null = null;
  private statusAt = 0;
  private statusTimer: NodeJS.Timeout | null = null;
  /** The devices browsers show, as the server last said; told to every Live the agent reaches. */
  private observed: string[] = [];

  constructor(private readonly options: HostAgentOptions) {
    this.log = options.log ?? ((msg) => console.log(msg));
    const auth: AgentAuth = { token: options.token, protocol: PROTOCOL_VERSION, room: options.room, takeover: options.takeover ?? false };
    this.server = io(`${options.serverUrl.replace(/\/$/, '')}${AGENT_NAMESPACE}`, {
      auth,
      path: AGENT_SOCKET_PATH,
      extraHeaders: { [AGENT_TOKEN_HEADER]: options.token },
      transports: ['websocket'],
      reconnectionDelay: 200,
      reconnectionDelayMax: 5_000,
      randomizationFactor: 0.5,
      ...(options.ca ? { ca: options.ca } : { rejectUnauthorized: false }),
      autoConnect: false,
    });
    this.script = new ScriptLink(options.scriptHost, options.scriptPort, this.log, options.scriptSecret);
    // Volatile to the server (a late level is worth nothing), with the merged frame resent
    // reliably when Live appears and when the stream pauses: see protocol/meter-frames.ts.
    this.meters = new MeterRelay(
      (frame) => { if (this.server.connected) this.server.volatile.emit(AGENT_EVENTS.meters, frame); },
      (frame) => { if (this.server.connected) this.server.emit(AGENT_EVENTS.meters, frame); },
    );
    this.wireServer();
    this.wireScript();
  }

  start(): void {
    this.setState('connecting');
    this.server.connect();
    this.script.start();
    this.updateState();
  }

  stop(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.statusTimer) clearTimeout(this.statusTimer);
    this.script.stop();
    this.meters.close();
    this.server.disconnect();
    this.setState('stopped');
  }

  get state(): AgentState {
    return this.stateValue;
  }

  get serverConnected(): boolean {
    return this.server.connected;
  }

  get liveConnected(): boolean {
    return this.script.state === 'ready';
  }

  /**
   * Where the Remote Script listens from now on: the launcher moves the agent from the
   * simulator to a real Live that appeared (cli/start/live-watch.ts). The current link closes
   * (its in-flight commands are answered LIVE_OFFLINE) and the new one connects at once.
   */
  retarget(port: number): void {
    this.script.retarget(port);
  }

  private updateState(): void {
    if (this.stateValue === 'stopped' || this.stateValue === 'replaced') return;
    const server = this.server.connected;
    const live = this.script.state === 'ready';
    this.setState(server && live ? 'ready' : server ? 'server-only' : live ? 'live-only' : 'connecting');
  }

  private setState(next: AgentState): void {
    if (next === this.stateValue) return;
    this.stateValue = next;
    this.log(`agent state: ${next}`);
    this.options.onState?.(next);
  }

  private wireServer(): void {
    this.server.on('connect', () => {
      this.log(`connected to ${this.options.serverUrl}`);
      this.updateState();
      this.sendStatus();
      // The server asks for a full snapshot on every attach (snapshot_request).
    });
    this.server.on('disconnect', (reason: string) => {
      if (reason === 'io server disconnect') {
        // Deliberate: another agent took over (or the server sent us away). Release Live
        // so the new agent can connect to the Remote Script, and do not come back.
        this.log('the server closed this agent (another agent took over); releasing Live and staying idle');
        this.script.stop();
        this.setState('replaced');
        return;
      }
      this.log(`lost the server (${reason}); reconnecting with backoff`);
      this.updateState();
    });
    this.server.on('connect_error', (err) => {
      const refusal = 'data' in err ? wireErrorOf(err.data) : null;
      const code = refusal?.code;
      this.log(`server refused or unreachable: ${refusal ? `${refusal.code}: ${refusal.message}` : err.message}`);
      // socket.io retries unreachable servers itself (backoff with jitter); a refusal it
      // does not retry, and one that retrying cannot fix soon must not loop tightly.
      if (code) {
        const base = this.options.refusedRetryMs ?? 5_000;
        if (this.retryTimer) clearTimeout(this.retryTimer);
        this.retryTimer = setTimeout(() => {
          if (this.stateValue !== 'stopped' && this.stateValue !== 'replaced') this.server.connect();
        }, Math.round(base / 2 + (base / 2) * Math.random()));
        this.retryTimer.unref();
      }
    });
    this.server.on(AGENT_EVENTS.commands, (batch) => this.relayCommands(batch));
    this.server.on(AGENT_EVENTS.snapshotRequest, () => this.script.send({ type: 'snapshot_request' }));
    this.server.on(AGENT_EVENTS.observe, (payload) => {
      const parsed = AgentObserveMessageSchema.safeParse(payload);
      if (!parsed.success) return;
      this.observed = parsed.data.devices.slice(0, OBSERVE_LIMIT);
      this.script.send({ type: 'observe', devices: this.observed });
    });
  }

  private wireScript(): void {
    this.script.on('ready', ({ epoch, live }) => {
      this.epoch = epoch;
      this.live = live;
      this.log(`Live ${live.version}${live.simulated ? ' (simulator)' : ''} connected, epoch ${epoch}`);
      this.script.send({ type: 'snapshot_request' });
      if (this.observed.length > 0) this.script.send({ type: 'observe', devices: this.observed });
      this.updateState();
      this.sendStatus();
    });
    this.script.on('down', (reason) => {
      this.log(reason);
      this.live = null;
      this.meters.reset();
      this.failInFlight();
      this.updateState();
      this.sendStatus();
    });
    this.script.on('line', (line) => this.receiveScript(line));
  }

  /** Emits to the server only while connected: socket.io would buffer and replay stale lines. */
  private emitToServer<E extends keyof AgentClientEvents>(event: E, ...payload: Parameters<AgentClientEvents[E]>): void {
    if (this.server.connected) this.server.emit(event, ...payload);
  }

  /** Each command is parsed on its own: a malformed one is answered INVALID and costs only itself. */
  private relayCommands(batch: unknown): void {
    const items = AgentBatchSchema.safeParse(batch);
    if (!items.success) {
      this.log('the server sent a command batch that is not a list of commands; ignored');
      return;
    }
    const now = Date.now();
    const forward: AgentCommand[] = [];
    const refused: AgentResult[] = [];
    for (const raw of items.data) {
      const parsed = AgentCommandSchema.safeParse(raw);
      if (!parsed.success) {
        const id = idOf(raw);
        if (id !== null) refused.push({ id, ok: false, error: wireError('INVALID', `malformed command: ${parsed.error.issues[0]?.message ?? 'bad shape'}`) });
        continue;
      }
      const item = parsed.data;
      if (item.deadline <= now) {
        refused.push({ id: item.id, ok: false, error: wireError('TIMEOUT', 'the deadline passed before the command reached Live; not executed') });
      } else if (this.script.state !== 'ready') {
        refused.push({ id: item.id, ok: false, error: wireError('LIVE_OFFLINE', 'the host agent cannot reach Live right now') });
      } else {
        const checked = clampArgs(item.action, item.args);
        if ('code' in checked) {
          refused.push({ id: item.id, ok: false, error: checked });
          continue;
        }
        forward.push({ ...item, args: checked.args });
        this.sentAt.set(item.id, now);
      }
    }
    if (forward.length > 0 && !this.script.send({ type: 'commands', commands: forward })) {
      for (const c of forward) {
        this.sentAt.delete(c.id);
        refused.push({ id: c.id, ok: false, error: wireError('LIVE_OFFLINE', 'the host agent cannot reach Live right now') });
      }
    }
    if (refused.length > 0) this.emitToServer(AGENT_EVENTS.results, refused);
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
        this.emitToServer(AGENT_EVENTS.results, line.results);
        // Keep the server's view of Live's latency fresh (the load broadcast shows it), at most once a second.
        this.scheduleStatus(now);
        break;
      }
      case 'events':
        this.emitToServer(AGENT_EVENTS.events, { epoch: line.epoch, seq: line.seq, changes: line.changes });
        break;
      case 'snapshot':
        this.epoch = line.epoch;
        this.live = line.live;
        this.emitToServer(AGENT_EVENTS.snapshot, { epoch: line.epoch, live: line.live, entities: line.entities });
        this.sendStatus();
        break;
      case 'meters':
        this.meters.receive({ levels: line.levels, ...(line.position !== undefined ? { position: line.position } : {}), ...(line.clips ? { clips: line.clips } : {}) });
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
    this.emitToServer(AGENT_EVENTS.results, failed);
  }

  private scheduleStatus(now: number): void {
    if (this.statusTimer) return;
    const wait = Math.max(0, this.statusAt + 1_000 - now);
    this.statusTimer = setTimeout(() => {
      this.statusTimer = null;
      this.sendStatus();
    }, wait);
    this.statusTimer.unref();
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
    this.statusAt = Date.now();
    if (this.server.connected) this.server.emit(AGENT_EVENTS.status, status);
  }
}

function idOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' && raw.id.length <= 64 ? raw.id : null;
}
