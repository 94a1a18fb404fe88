import net from 'node:net';
import { EventEmitter } from 'node:events';
import { PROTOCOL_VERSION, SCRIPT_LINE_LIMIT, ScriptLineSchema, ROOMTONE_VERSION, scriptProof, type AgentLine, type LiveInfo, type ScriptLine } from '../protocol/index.ts';
import { LineSplitter } from './line-splitter.ts';
import { Backoff } from './backoff.ts';

export type ScriptLinkState = 'disconnected' | 'connecting' | 'handshaking' | 'ready';

export interface ScriptLinkEvents {
  ready: [hello: { epoch: string; live: LiveInfo }];
  line: [line: ScriptLine];
  down: [reason: string];
}

/**
 * The agent's TCP link to the Remote Script: newline-delimited JSON, Nagle off,
 * a version check at the hello, and reconnection with backoff whenever Live goes away.
 * The agent answers the script's hello with its own, proving with the secret next to the
 * script that it is the launcher's agent (H9); the secret is read afresh each time, so a
 * script that made a new one (a reinstall) is followed at the next connection.
 */
export class ScriptLink extends EventEmitter<ScriptLinkEvents> {
  private socket: net.Socket | null = null;
  private stateValue: ScriptLinkState = 'disconnected';
  private stopped = false;
  private retry: NodeJS.Timeout | null = null;
  private readonly backoff = new Backoff(100, 2_000);

  constructor(
    private readonly host: string,
    private port: number,
    private readonly log: (msg: string) => void = () => {},
    private readonly secret: () => string | null = () => null,
  ) {
    super();
  }

  get targetPort(): number {
    return this.port;
  }

  /** Connects to another port from now on (the launcher found a real Live); the old link goes. */
  retarget(port: number): void {
    if (port === this.port) return;
    this.port = port;
    if (this.stopped) return;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.backoff.reset();
    const old = this.socket;
    if (old) {
      // 'close' of the old socket reports the link down; connect() below owns the new one
      this.socket = null;
      const wasReady = this.stateValue === 'ready';
      this.stateValue = 'disconnected';
      old.destroy();
      if (wasReady) this.emit('down', `moving to the Remote Script on port ${port}`);
    }
    this.connect();
  }

  get state(): ScriptLinkState {
    return this.stateValue;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    this.socket?.destroy();
    this.socket = null;
  }

  send(line: AgentLine): boolean {
    if (!this.socket || this.stateValue !== 'ready') return false;
    this.socket.write(JSON.stringify(line) + '\n');
    return true;
  }

  private connect(): void {
    if (this.stopped) return;
    this.stateValue = 'connecting';
    const socket = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.socket = socket;
    const splitter = new LineSplitter(SCRIPT_LINE_LIMIT, (line) => this.receive(line), () => this.log('remote script sent an over-long line; dropped'));
    socket.on('connect', () => {
      this.stateValue = 'handshaking'; // the script speaks first: its hello carries the nonce we prove
    });
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('error', () => { /* 'close' follows and schedules the retry */ });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      const wasReady = this.stateValue === 'ready';
      this.socket = null;
      this.stateValue = 'disconnected';
      if (wasReady) this.emit('down', 'connection to the Remote Script closed');
      this.scheduleRetry();
    });
  }

  private scheduleRetry(): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => this.connect(), this.backoff.next());
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      this.log('remote script sent a line that is not JSON; ignored');
      return;
    }
    const parsed = ScriptLineSchema.safeParse(json);
    if (!parsed.success) {
      this.log(`remote script sent an unknown line: ${text.slice(0, 120)}`);
      return;
    }
    const line = parsed.data;
    if (line.type === 'hello') {
      if (line.protocol !== PROTOCOL_VERSION) {
        this.log(`Remote Script speaks protocol ${line.protocol}, this agent ${PROTOCOL_VERSION}: reinstall the Remote Script (npm run install-remote-script)`);
        this.socket?.destroy();
        return;
      }
      const secret = this.secret();
      if (line.nonce !== undefined && secret === null) this.log('no Remote Script secret to prove this agent with yet (the script makes agent.secret when Live loads it); retrying');
      const proof = line.nonce !== undefined && secret !== null ? { proof: scriptProof(secret, line.nonce) } : {};
      this.socket?.write(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, client: `roomtone-host-agent/${ROOMTONE_VERSION}`, ...proof } satisfies AgentLine) + '\n');
      this.stateValue = 'ready';
      this.backoff.reset();
      this.emit('ready', { epoch: line.epoch, live: line.live });
      return;
    }
    if (line.type === 'error' && line.error.code === 'UNAUTHENTICATED') {
      this.log(`Remote Script refused this agent: ${line.error.message}; check the secret file the launcher passes (--script-secret-file)`);
      return;
    }
    if (line.type === 'error' && this.stateValue !== 'ready') {
      // e.g. AGENT_CONFLICT: another agent holds this Live; the retry backs off.
      this.log(`Remote Script refused this agent: ${line.error.code}: ${line.error.message}`);
      return;
    }
    if (this.stateValue === 'ready') this.emit('line', line);
  }
}
