import type { Answer } from '../../protocol/index.ts';
import type { AuditSink } from '../audit/audit-sink.ts';

/** One answered command of a gesture, as the pipeline saw it. */
export interface GestureStep {
  sessionId: string;
  name?: string;
  ip: string;
  gestureId: string;
  phase: 'start' | 'move' | 'end';
  commandId: string;
  action: string;
  target: string | null;
  answer: Answer;
  superseded: boolean;
  replayed: boolean;
}

interface OpenGesture {
  first: GestureStep;
  lastId: string;
  lastAnswer: Answer;
  commands: number;
  ok: number;
  superseded: number;
  replayed: number;
  refused: Map<string, number>;
  touchedAt: number;
}

export interface GestureAuditOptions {
  audit: AuditSink;
  /** A gesture without an end is written this long after its last command. */
  idleMs?: number;
  /** More open gestures than this and the oldest is written at once (memory stays bounded). */
  maxOpen?: number;
  now?: () => number;
}

/**
 * A fader drag is 60 commands a second; auditing each one would push joins, kicks and
 * refusals out of the rotated log within seconds of a busy rehearsal. A gesture's
 * commands are written as one `gesture` entry when its end is answered (or after it went
 * quiet): how many, how many landed, were superseded or refused and why, first and last
 * command id. Commands without a gesture are audited one by one as before.
 */
export class GestureAudit {
  private readonly open = new Map<string, OpenGesture>();
  private readonly now: () => number;
  private readonly idleMs: number;
  private readonly maxOpen: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: GestureAuditOptions) {
    this.now = options.now ?? Date.now;
    this.idleMs = options.idleMs ?? 5_000;
    this.maxOpen = options.maxOpen ?? 2_000;
    this.sweeper = setInterval(() => this.sweep(), Math.min(1_000, this.idleMs));
    this.sweeper.unref();
  }

  add(step: GestureStep): void {
    const key = `${step.sessionId}\0${step.gestureId}\0${step.action}\0${step.target ?? ''}`;
    let g = this.open.get(key);
    if (!g) {
      g = { first: step, lastId: step.commandId, lastAnswer: step.answer, commands: 0, ok: 0, superseded: 0, replayed: 0, refused: new Map(), touchedAt: 0 };
      this.open.set(key, g);
      if (this.open.size > this.maxOpen) this.write(this.open.keys().next().value!);
    }
    g.commands++;
    g.lastId = step.commandId;
    g.lastAnswer = step.answer;
    g.touchedAt = this.now();
    if (step.replayed) g.replayed++;
    else if (!step.answer.ok) g.refused.set(step.answer.error.code, (g.refused.get(step.answer.error.code) ?? 0) + 1);
    else if (step.superseded) g.superseded++;
    else g.ok++;
    // Map order is insertion order: refresh the key so the oldest stays first.
    this.open.delete(key);
    this.open.set(key, g);
    if (step.phase === 'end' && !step.replayed) this.write(key);
  }

  /** Writes every open gesture (before a shutdown). */
  flush(): void {
    for (const key of [...this.open.keys()]) this.write(key);
  }

  close(): void {
    clearInterval(this.sweeper);
    this.flush();
  }

  get openCount(): number {
    return this.open.size;
  }

  private sweep(): void {
    const cutoff = this.now() - this.idleMs;
    for (const [key, g] of this.open) {
      if (g.touchedAt > cutoff) break; // the rest were touched later
      this.write(key);
    }
  }

  private write(key: string): void {
    const g = this.open.get(key);
    if (!g) return;
    this.open.delete(key);
    const { first } = g;
    const refused = [...g.refused].map(([code, n]) => `${code}×${n}`).join(', ');
    const counts = [`${g.ok} landed`, g.superseded ? `${g.superseded} superseded by newer values` : null, g.replayed ? `${g.replayed} replayed` : null, refused ? `refused ${refused}` : null]
      .filter(Boolean).join(', ');
    const last = g.lastAnswer;
    this.options.audit.record({
      kind: 'gesture',
      sessionId: first.sessionId,
      ...(first.name !== undefined ? { name: first.name } : {}),
      ip: first.ip,
      action: first.action,
      target: first.target,
      ok: last.ok,
      ...(last.ok ? {} : { code: last.error.code }),
      detail: `gesture=${first.gestureId} · ${g.commands} commands: ${counts} · ids ${first.commandId} … ${g.lastId}`,
    });
  }
}
