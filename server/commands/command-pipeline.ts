import { hash } from 'node:crypto';
import {
  controlOf, errorAnswer, findAction, wireError,
  type AgentCommand, type AgentResult, type Answer, type Command, type LeasesMessage, type WireError,
} from '../../protocol/index.ts';
import type { Session } from '../sessions/session.ts';
import type { AuditSink } from '../audit/audit-sink.ts';
import type { SetMirror } from '../mirror/set-mirror.ts';
import { parseCommand, type ParsedCommand } from './parse-command.ts';
import { checkSession, type CommandOrigin, type SessionLookup } from './check-session.ts';
import { IdempotencyCache, type Remembered } from './idempotency.ts';
import { checkAccess, type AccessContext } from './check-access.ts';
import { RateLimiter, type RateLimit } from './rate-limit.ts';
import { checkVersion } from './check-version.ts';
import { LeaseTable } from './gesture-leases.ts';
import { RoomQueue, type QueueItem } from './room-queue.ts';
import { GestureAudit } from './gesture-audit.ts';

/** What the pipeline needs of the agent link (AgentLink implements it). */
export interface AgentPort {
  readonly connected: boolean;
  readonly liveConnected: boolean;
  readonly currentStatus: { latencyMs: number | null };
  /** Sends one command towards Live; `done` gets its one result (it may be called at once). */
  dispatch(command: AgentCommand, done: (result: AgentResult) => void): void;
}

export interface PipelineDeps {
  sessions: SessionLookup;
  room: AccessContext;
  mirror: SetMirror;
  agent: AgentPort;
  audit: AuditSink;
  /** How long Live has to run a command before it is answered TIMEOUT and dropped. */
  deadlineMs: number;
  rateLimit: RateLimit;
  /** The anonymized held controls, on every change (broadcast as `leases` on /room). */
  onLeases?(message: LeasesMessage): void;
  /** A change Live accepted (not reads, not the moves inside a gesture): who did what. */
  onApplied?(entry: { sessionId: string; name: string; action: string; target: string | null; args: Record<string, unknown> }): void;
  /**
   * Arguments the server resolves before Live sees them (a stored file's id into its
   * path): null when the action has none, or the refusal (an unknown file: NOT_FOUND).
   */
  resolveArgs?(command: Command): { args: Record<string, unknown> } | WireError | null;
  idempotencyTtlMs?: number;
  leaseIdleMs?: number;
  maxQueueDepth?: number;
  maxInFlight?: number;
  now?: () => number;
}

export interface PipelineStats {
  /** Entries waiting in the room queue (a coalesced run of moves counts once). */
  queueDepth: number;
  /** Accepted commands not answered yet, across the room. */
  inFlightTotal: number;
  /** The same by session id; sessions with none are absent. */
  inFlightBySession: Map<string, number>;
}

/** A gesture's moves coalesce before Live, so they cost a quarter of a command (R1). */
export const MOVE_COST = 0.25;

/** How long a gesture move's id is remembered for replays (I-rules: other commands 5 min). */
export const MOVE_REPLAY_MS = 15_000;

/**
 * A command's way through the server, in DESIGN.md's order; each step is its own unit
 * and the first that fails answers:
 *
 *   schema → session and IP → idempotency (replay) → role, lock, freeze, assignment →
 *   rate limit → early version check → gesture lease → queue room → agent present →
 *   queue (coalescing) → agent → one answer.
 *
 * Every command gets exactly one answer. Every command without a gesture gets one audit
 * entry (kind `command`, detail starting `id=<command id>`); a gesture's commands share
 * one (kind `gesture`, see GestureAudit).
 */
export class CommandPipeline {
  private readonly idempotency: IdempotencyCache;
  /** Gesture moves: 60 a second per dragging hand, each an absolute value soon replaced. */
  private readonly recentMoves: IdempotencyCache;
  private readonly rate: RateLimiter;
  readonly leases: LeaseTable;
  private readonly queue: RoomQueue;
  private readonly inFlight = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly gestures: GestureAudit;

  constructor(private readonly deps: PipelineDeps) {
    this.now = deps.now ?? Date.now;
    this.idempotency = new IdempotencyCache({ ttlMs: deps.idempotencyTtlMs ?? 5 * 60_000, maxPerSession: 10_000, now: this.now });
    // Remembering moves for 5 min held ~1.5 M entries at 5,000 commands/s (+170 MB of heap
    // and long GC pauses). A move is replayed only by a client retrying within seconds.
    this.recentMoves = new IdempotencyCache({ ttlMs: Math.min(deps.idempotencyTtlMs ?? 5 * 60_000, MOVE_REPLAY_MS), maxPerSession: 2_000, now: this.now });
    this.rate = new RateLimiter(deps.rateLimit, this.now);
    this.leases = new LeaseTable({ idleMs: deps.leaseIdleMs ?? 1_000, now: this.now, onChange: (m) => deps.onLeases?.(m) });
    this.queue = new RoomQueue({
      maxDepth: deps.maxQueueDepth ?? 256,
      // The Remote Script drains its whole queue every tick (~15k commands/s measured), so
      // the window must not be the bottleneck: 64 capped a 60 Hz Live at ~3,800 commands/s.
      maxInFlight: deps.maxInFlight ?? 256,
      now: this.now,
      // Frozen means nothing reaches Live: what was already queued when the host froze
      // the room is answered FROZEN rather than sent (reads still pass, as in step 4).
      send: (command, done) => {
        if (deps.room.frozen && findAction(command.action)?.mode !== 'read') done({ id: command.id, ok: false, error: wireError('FROZEN', 'the host froze the room before this reached Live; not executed') });
        else deps.agent.dispatch(command, done);
      },
    });
    this.gestures = new GestureAudit({ audit: deps.audit, now: this.now });
    this.sweeper = setInterval(() => { this.idempotency.sweep(); this.recentMoves.sweep(); }, 10_000);
    this.sweeper.unref();
  }

  /** submit() as a promise: tests, and callers off the hot path. */
  handle(raw: unknown, origin: CommandOrigin): Promise<Answer> {
    return new Promise((resolve) => this.submit(raw, origin, resolve));
  }

  /**
   * Runs one command through the steps; `respond` gets its one answer, at once for a
   * refusal or a replay of a settled command, else when Live's result is in.
   */
  submit(raw: unknown, origin: CommandOrigin, respond: (answer: Answer) => void): void {
    const parsed = parseCommand(raw);
    if ('code' in parsed) return this.refuse(origin, this.deps.sessions.get(origin.sessionId), null, idOf(raw), parsed, respond);

    const session = checkSession(this.deps.sessions, origin, this.now());
    if ('code' in session) return this.refuse(origin, undefined, parsed, parsed.command.id, session, respond);
    const { command, spec } = parsed;

    const replay = this.recentMoves.find(session.id, command.id) ?? this.idempotency.find(session.id, command.id);
    if (replay) {
      replay.whenAnswered((answer) => {
        this.audit(origin, session, parsed, command.id, answer, 'replayed');
        respond(answer);
      });
      return;
    }

    const control = controlOf(command, this.deps.mirror.lookup);
    const { key } = control;
    const holder = this.leases.holds(session.id, key);
    const continuous = spec.mode === 'continuous';
    const baseRev = holder ? undefined : command.baseRev;
    const mayReplace = continuous && baseRev === undefined;
    const probe = { key, mayReplace };

    const resolved = this.deps.resolveArgs?.(command) ?? null;
    const refusal = checkAccess(session, parsed, this.deps.room)
      ?? this.rate.take(session.id, costOf(command, holder))
      ?? (holder ? null : checkVersion(parsed, control, this.deps.mirror))
      ?? (resolved !== null && 'code' in resolved ? resolved : null)
      ?? this.leases.check(session.id, key)
      ?? (this.queue.hasRoomFor(probe) ? null : this.busy())
      ?? this.checkAgent();
    if (refusal) return this.refuse(origin, session, parsed, command.id, refusal, respond);

    // Accepted: from here on the command has exactly one answer, remembered for retries.
    this.leases.apply(command, session.id, key);
    const item: QueueItem = {
      key,
      sessionId: session.id,
      continuous,
      mayReplace,
      replaceable: mayReplace && command.gesture?.phase !== 'end',
      command: {
        id: dispatchId(session.id, command.id),
        action: command.action,
        target: command.target,
        args: resolved !== null && 'args' in resolved ? resolved.args : command.args,
        ...(baseRev !== undefined ? { baseRev } : {}),
        deadline: this.now() + this.deps.deadlineMs,
      },
    };
    this.count(session.id, 1);
    const remembered: Remembered = (command.gesture?.phase === 'move' ? this.recentMoves : this.idempotency).remember(session.id, command.id);
    this.queue.submit(item, ({ result: r, superseded }) => {
      const answer: Answer = r.ok ? { ok: true, rev: r.rev, value: r.value } : { ok: false, error: r.error };
      remembered.settle(answer);
      this.count(session.id, -1);
      this.audit(origin, session, parsed, command.id, answer, superseded ? 'superseded' : undefined);
      respond(answer);
    });
  }

  /** The session's last socket closed (or it was kicked): its leases end at once. */
  sessionGone(sessionId: string): void {
    this.leases.releaseSession(sessionId);
  }

  stats(): PipelineStats {
    let total = 0;
    for (const n of this.inFlight.values()) total += n;
    return { queueDepth: this.queue.depth, inFlightTotal: total, inFlightBySession: new Map(this.inFlight) };
  }

  /** Called after every change of stats() (accept, answer); listeners should throttle. */
  onStats(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.leases.close();
    this.gestures.close();
  }

  /** Refused at the door, at once: the queue is full or not draining (Q4). Retry after about what the queue's head has waited. */
  private busy(): WireError {
    const latency = this.deps.agent.currentStatus.latencyMs ?? 50;
    const retryAfterMs = Math.min(5_000, Math.max(100, Math.round(Math.max(latency * 2 + this.queue.depth, this.queue.waitedMs()))));
    return wireError('BUSY', 'the room queue is full or not moving; Live or the server is behind', { retryAfterMs });
  }

  private checkAgent(): WireError | null {
    if (!this.deps.agent.connected) return wireError('AGENT_OFFLINE', 'no host agent is connected, so nothing can reach Live');
    if (!this.deps.agent.liveConnected) return wireError('LIVE_OFFLINE', 'the host agent cannot reach Live right now');
    return null;
  }

  private count(sessionId: string, delta: number): void {
    const n = (this.inFlight.get(sessionId) ?? 0) + delta;
    if (n <= 0) this.inFlight.delete(sessionId);
    else this.inFlight.set(sessionId, n);
    for (const listener of this.listeners) listener();
  }

  private refuse(origin: CommandOrigin, session: Session | undefined, parsed: ParsedCommand | null, id: string | null, error: WireError, respond: (answer: Answer) => void): void {
    const answer = errorAnswer(error);
    this.audit(origin, session, parsed, id, answer);
    respond(answer);
  }

  private audit(origin: CommandOrigin, session: Session | undefined, parsed: ParsedCommand | null, id: string | null, answer: Answer, how?: 'replayed' | 'superseded'): void {
    const gesture = parsed?.command.gesture;
    if (answer.ok && session && parsed && how !== 'replayed' && parsed.spec.mode !== 'read' && (!gesture || gesture.phase === 'end')) {
      const { action, target, args } = parsed.command;
      this.deps.onApplied?.({ sessionId: session.id, name: session.name, action, target, args });
    }
    if (gesture && session && id) {
      this.gestures.add({
        sessionId: session.id, name: session.name, ip: origin.ip, gestureId: gesture.id, phase: gesture.phase, commandId: id,
        action: parsed.command.action, target: parsed.command.target, answer, superseded: how === 'superseded', replayed: how === 'replayed',
      });
      return;
    }
    const note = how === 'replayed' ? 'replayed, not executed again' : how === 'superseded' ? 'superseded by a newer value for the same control' : undefined;
    const detail = [`id=${id ?? '?'}`, answer.ok ? null : answer.error.message, note].filter(Boolean).join(' · ');
    this.deps.audit.record({
      kind: 'command',
      sessionId: session?.id ?? origin.sessionId,
      ...(session ? { name: session.name } : {}),
      ip: origin.ip,
      ...(parsed ? { action: parsed.command.action, target: parsed.command.target } : {}),
      ok: answer.ok,
      ...(answer.ok ? {} : { code: answer.error.code }),
      detail,
    });
  }
}

function costOf(command: Command, holder: boolean): number {
  if (command.gesture?.phase === 'move') return MOVE_COST;
  if (command.gesture?.phase === 'end' && holder) return 0;
  return 1;
}

/**
 * The id the agent and the Remote Script see: the same for the same (session, command
 * id), also after a server restart, so the script's own replay cache catches a retry
 * the server could not (docs/protocol.md, I3). Never the browser's id itself.
 */
export function dispatchId(sessionId: string, commandId: string): string {
  // crypto.hash: the one-shot form; a Hash object per command cost ~5 % of the pipeline.
  return 'h' + hash('sha256', `${sessionId}\0${commandId}`, 'base64url').slice(0, 22);
}

function idOf(raw: unknown): string | null {
  return typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id.slice(0, 64) : null;
}
