import type { Namespace, Socket } from 'socket.io';
import {
  AGENT_EVENTS, AgentAuthSchema, AgentResultSchema, EntityChangeSchema, LiveInfoSchema, PROTOCOL_VERSION, wireError,
  type AgentCommand, type AgentResult, type AgentStatus, type WireError,
} from '../../protocol/index.ts';
import { z } from 'zod';
import type { SetMirror } from '../mirror/set-mirror.ts';
import { hashToken, sameHash } from '../sessions/tokens.ts';

const EventsSchema = z.object({ epoch: z.string().max(64), seq: z.number().int(), changes: z.array(EntityChangeSchema).max(100_000) });
const SnapshotSchema = z.object({ epoch: z.string().max(64), live: LiveInfoSchema, entities: z.array(EntityChangeSchema).max(200_000) });
const StatusSchema = z.object({ liveConnected: z.boolean(), live: LiveInfoSchema.nullable(), epoch: z.string().nullable(), latencyMs: z.number().nullable() });
const MetersSchema = z.object({ levels: z.record(z.string(), z.tuple([z.number(), z.number()])), position: z.number().optional(), clips: z.record(z.string(), z.number()).optional() });

interface Pending {
  done(result: AgentResult): void;
  /** When the server stops waiting for Live's answer (the deadline plus a grace). */
  giveUpAt: number;
}

export interface AgentLinkHooks {
  onStatus(status: AgentStatus & { agentConnected: boolean }): void;
  onMeters(meters: z.infer<typeof MetersSchema>): void;
  onRefused(reason: WireError, address: string): void;
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
  private socket: Socket | null = null;
  private readonly pending = new Map<string, Pending>();
  private outbox: AgentCommand[] = [];
  private flushScheduled = false;
  private status: AgentStatus = { liveConnected: false, live: null, epoch: null, latencyMs: null };
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    namespace: Namespace,
    private readonly deviceTokenHash: () => string | null,
    private readonly mirror: SetMirror,
    private readonly hooks: AgentLinkHooks,
  ) {
    namespace.use((socket, next) => {
      const refusal = this.admit(socket);
      if (refusal) {
        hooks.onRefused(refusal, socket.handshake.address);
        const err = new Error(refusal.message) as Error & { data: WireError };
        err.data = refusal;
        next(err);
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

  disconnect(): void {
    this.socket?.disconnect(true);
  }

  private admit(socket: Socket): WireError | null {
    const auth = AgentAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) return wireError('UNAUTHENTICATED', 'agent handshake needs { token, protocol }');
    const expected = this.deviceTokenHash();
    if (!expected || !sameHash(hashToken(auth.data.token), expected)) return wireError('UNAUTHENTICATED', 'wrong device token');
    if (auth.data.protocol !== PROTOCOL_VERSION) {
      return wireError('PROTOCOL_MISMATCH', `server speaks protocol ${PROTOCOL_VERSION}, agent ${auth.data.protocol}`);
    }
    if (this.socket && !auth.data.takeover) return wireError('AGENT_CONFLICT', 'another host agent is already active for this room; start with --takeover to replace it');
    return null;
  }

  private attach(socket: Socket): void {
    if (this.socket) {
      // Explicit takeover: the old agent's in-flight commands get their answer now.
      const old = this.socket;
      this.detach(old, 'replaced by another agent');
      old.disconnect(true);
    }
    this.socket = socket;
    socket.on(AGENT_EVENTS.results, (payload: unknown) => this.receiveResults(payload));
    socket.on(AGENT_EVENTS.events, (payload: unknown) => {
      const parsed = EventsSchema.safeParse(payload);
      if (parsed.success) this.mirror.applyChanges(parsed.data.epoch, parsed.data.changes);
    });
    socket.on(AGENT_EVENTS.snapshot, (payload: unknown) => {
      const parsed = SnapshotSchema.safeParse(payload);
      if (parsed.success) this.mirror.applySnapshot(parsed.data.epoch, parsed.data.entities);
    });
    socket.on(AGENT_EVENTS.status, (payload: unknown) => {
      const parsed = StatusSchema.safeParse(payload);
      if (!parsed.success) return;
      this.status = parsed.data;
      this.hooks.onStatus(this.currentStatus);
    });
    socket.on(AGENT_EVENTS.meters, (payload: unknown) => {
      const parsed = MetersSchema.safeParse(payload);
      if (parsed.success) this.hooks.onMeters(parsed.data);
    });
    socket.on('disconnect', () => {
      if (this.socket === socket) this.detach(socket, 'the host agent disconnected');
    });
    this.hooks.onStatus(this.currentStatus);
    socket.emit(AGENT_EVENTS.snapshotRequest);
  }

  private detach(socket: Socket, why: string): void {
    if (this.socket !== socket) return;
    this.socket = null;
    this.status = { liveConnected: false, live: null, epoch: this.status.epoch, latencyMs: null };
    for (const id of [...this.pending.keys()]) {
      this.settle({ id, ok: false, error: wireError('AGENT_OFFLINE', `${why} before Live answered; the command may not have run`) });
    }
    this.outbox = [];
    this.hooks.onStatus(this.currentStatus);
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
      const parsed = AgentResultSchema.safeParse(item);
      if (!parsed.success) continue;
      const r = parsed.data;
      if (r.ok) this.settle({ id: r.id, ok: true, rev: r.rev ?? null, value: r.value ?? null });
      else this.settle({ id: r.id, ok: false, error: r.error as WireError });
    }
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
