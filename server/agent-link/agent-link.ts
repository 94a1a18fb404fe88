import type { Namespace, Socket } from 'socket.io';
import {
  AGENT_EVENTS, AgentAuthSchema, AgentStatusSchema, EventsBodySchema, MetersBodySchema, ScriptResultSchema, SnapshotBodySchema,
  protocolMismatch, wireError,
  type AgentCommand, type AgentReceivedByServer, type AgentResult, type AgentServerEvents, type AgentStatus, type MetersBody, type WireError,
} from '../../protocol/index.ts';
import type { SetMirror } from '../mirror/set-mirror.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import { hashToken, sameHash } from '../sessions/tokens.ts';
import { HandshakeRefusal } from '../util/handshake-refusal.ts';
import { LinkMeta } from './link-meta.ts';

export type AgentNamespace = Namespace<AgentReceivedByServer, AgentServerEvents>;
type AgentSocket = Socket<AgentReceivedByServer, AgentServerEvents>;

interface Pending {
  done(result: AgentResult): void;
  /** When the server stops waiting for Live's answer (the deadline plus a grace). */
  giveUpAt: number;
}

export interface AgentLinkOptions {
  /** The device token's hash, read per handshake (the token file may be replaced). */
  deviceTokenHash(): string | null;
  /** Live's events and snapshots go here, and the link's status to its `meta` map. */
  mirror: SetMirror;
  /** Refused handshakes are recorded here (`agent_refused`). */
  audit: AuditSink;
  /** Track levels and the song position, for every browser. */
  onMeters(meters: MetersBody): void;
  /** The agent or Live went away: what was measured through them (meters) is stale. */
  onLiveGone?(): void;
}

/** A refused agent handshake in the audit log; the agent socket's engine-level check records the same. */
export function auditAgentRefusal(audit: AuditSink, reason: WireError, address: string): void {
  audit.record({ kind: 'agent_refused', ip: address, code: reason.code, detail: reason.message });
}

/** Extra time past a command's deadline before the server gives up on the agent's answer. */
const ANSWER_GRACE_MS = 1_500;
/**
 * How often commands past their give-up time are answered TIMEOUT. One sweep instead of
 * a timer per command: at 5,000 commands a second the timers were a measurable cost.
 */
const GIVE_UP_SWEEP_MS = 250;

/**
 * The server's end of the `/agent` namespace: authenticates the one host agent of a
 * room, sends it command batches, and feeds Live's events into the set mirror. Every
 * dispatched command resolves exactly once: by the agent's result, by the agent
 * going away, or by its deadline passing.
 */
export class AgentLink {
  private socket: AgentSocket | null = null;
  private readonly pending = new Map<string, Pending>();
  private outbox: AgentCommand[] = [];
  private flushScheduled = false;
  private status: AgentStatus = { liveConnected: false, live: null, epoch: null, latencyMs: null };
  private observed: string[] = [];
  private readonly sweeper: NodeJS.Timeout;
  private readonly linkMeta = new LinkMeta();

  constructor(namespace: AgentNamespace, private readonly options: AgentLinkOptions) {
    namespace.use((socket, next) => {
      const refusal = this.admit(socket);
      if (refusal) {
        auditAgentRefusal(options.audit, refusal, socket.handshake.address);
        next(new HandshakeRefusal(refusal));
        return;
      }
      next();
    });
    namespace.on('connection', (socket) => this.attach(socket));
    this.sweeper = setInterval(() => this.giveUp(Date.now()), GIVE_UP_SWEEP_MS);
    this.sweeper.unref();
  }

  get connected(): boolean {
    return this.socket !== null;
  }

  get liveConnected(): boolean {
    return this.socket !== null && this.status.liveConnected;
  }

  get currentStatus(): AgentStatus & { agentConnected: boolean } {
    return { ...this.status, agentConnected: this.connected };
  }

  /** What /healthz calls the Live in use: the simulator until a real Live said hello. */
  get liveMode(): 'real' | 'sim' {
    return this.status.live?.simulated === false ? 'real' : 'sim';
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends a command to the agent (batched per event-loop turn); `done` gets its one
   * result: Live's, AGENT_OFFLINE (at once, or when the agent leaves), or TIMEOUT once
   * its deadline and a grace have passed.
   */
  dispatch(command: AgentCommand, done: (result: AgentResult) => void): void {
    if (!this.socket) {
      done({ id: command.id, ok: false, error: wireError('AGENT_OFFLINE', 'no host agent is connected') });
      return;
    }
    this.pending.set(command.id, { done, giveUpAt: Math.max(command.deadline, Date.now()) + ANSWER_GRACE_MS });
    this.outbox.push(command);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Stops the give-up sweep (the server is stopping). */
  close(): void {
    clearInterval(this.sweeper);
  }

  requestSnapshot(): void {
    this.socket?.emit(AGENT_EVENTS.snapshotRequest);
  }

  /** The devices browsers show (DeviceInterest); an agent that attaches later gets them at once. */
  observe(devices: string[]): void {
    this.observed = devices;
    this.socket?.emit(AGENT_EVENTS.observe, { devices });
  }

  disconnect(): void {
    this.socket?.disconnect(true);
  }

  private admit(socket: AgentSocket): WireError | null {
    const auth = AgentAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) return wireError('UNAUTHENTICATED', 'agent handshake needs { token, protocol }');
    const expected = this.options.deviceTokenHash();
    if (!expected || !sameHash(hashToken(auth.data.token), expected)) return wireError('UNAUTHENTICATED', 'wrong device token');
    const mismatch = protocolMismatch('host agent', auth.data.protocol);
    if (mismatch) return mismatch;
    if (this.socket && !auth.data.takeover) return wireError('AGENT_CONFLICT', 'another host agent is already active for this room; start with --takeover to replace it');
    return null;
  }

  private attach(socket: AgentSocket): void {
    if (this.socket) {
      // Explicit takeover: the old agent's in-flight commands get their answer now.
      const old = this.socket;
      this.detach(old, 'replaced by another agent');
      old.disconnect(true);
    }
    this.socket = socket;
    socket.on(AGENT_EVENTS.results, (payload) => this.receiveResults(payload));
    socket.on(AGENT_EVENTS.events, (payload) => {
      const parsed = EventsBodySchema.safeParse(payload);
      if (parsed.success) this.options.mirror.applyChanges(parsed.data.epoch, parsed.data.changes);
    });
    socket.on(AGENT_EVENTS.snapshot, (payload) => {
      const parsed = SnapshotBodySchema.safeParse(payload);
      if (parsed.success) this.options.mirror.applySnapshot(parsed.data.epoch, parsed.data.entities);
    });
    socket.on(AGENT_EVENTS.status, (payload) => {
      const parsed = AgentStatusSchema.safeParse(payload);
      if (!parsed.success) return;
      this.status = parsed.data;
      this.statusChanged();
    });
    socket.on(AGENT_EVENTS.meters, (payload) => {
      const parsed = MetersBodySchema.safeParse(payload);
      if (parsed.success) this.options.onMeters(parsed.data);
    });
    socket.on('disconnect', () => {
      if (this.socket === socket) this.detach(socket, 'the host agent disconnected');
    });
    this.statusChanged();
    socket.emit(AGENT_EVENTS.snapshotRequest);
    if (this.observed.length > 0) socket.emit(AGENT_EVENTS.observe, { devices: this.observed });
  }

  private detach(socket: AgentSocket, why: string): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.status = { liveConnected: false, live: null, epoch: this.status.epoch, latencyMs: null };
    for (const id of [...this.pending.keys()]) {
      this.settle({ id, ok: false, error: wireError('AGENT_OFFLINE', `${why} before Live answered; the command may not have run`) });
    }
    this.outbox = [];
    this.statusChanged();
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.outbox;
    this.outbox = [];
    if (batch.length === 0) return;
    if (!this.socket) {
      for (const c of batch) this.settle({ id: c.id, ok: false, error: wireError('AGENT_OFFLINE', 'no host agent is connected') });
      return;
    }
    this.socket.emit(AGENT_EVENTS.commands, batch);
  }

  private receiveResults(payload: unknown): void {
    if (!Array.isArray(payload)) return;
    for (const item of payload) {
      const parsed = ScriptResultSchema.safeParse(item);
      if (!parsed.success) continue;
      const r = parsed.data;
      if (r.ok) this.settle({ id: r.id, ok: true, rev: r.rev ?? null, value: r.value ?? null });
      else this.settle({ id: r.id, ok: false, error: r.error });
    }
  }

  /** The set doc's `meta` says whether the agent and Live are there, and since when, for every browser. */
  private statusChanged(): void {
    const status = this.currentStatus;
    if (!status.agentConnected || !status.liveConnected) this.options.onLiveGone?.();
    this.options.mirror.setMeta(this.linkMeta.props(status));
  }

  private settle(result: AgentResult): void {
    const pending = this.pending.get(result.id);
    if (!pending) return; // late or duplicate: the command was already answered once
    this.pending.delete(result.id);
    pending.done(result);
  }

  private giveUp(now: number): void {
    for (const [id, pending] of this.pending) {
      if (pending.giveUpAt <= now) this.settle({ id, ok: false, error: wireError('TIMEOUT', 'Live did not answer before the deadline') });
    }
  }
}
