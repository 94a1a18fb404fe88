import type { ReactiveControllerHost } from 'lit';
import { MoveGate, controlOf, type Control, type WireError } from '../../../protocol/browser.ts';
import type { RoomApp } from './app.ts';
import { uuid } from './app.ts';
import { revAtLeast } from './format.ts';


export interface ControlSpec {
  action: string;
  target: () => string | null;
  args: (value: number) => Record<string, unknown>;
}

/** How long after release we keep showing our own value if the doc never catches up. */
const SETTLE_MS = 1500;

/**
 * One continuous control's link to the room: gesture commands (start with baseRev,
 * moves at most once per animation frame, the end value always), and what to show.
 *
 * Echo rule (field notes): while the user drags, the control shows the user's own value
 * and ignores the doc; after release it keeps that value until the doc carries the rev
 * the final answer named (or a moment passes), so the cap never jumps back to an older
 * echo. A CONFLICT or HELD drops the local value at once: the control snaps to the value
 * that won and flashes.
 */
export class ControlBinding {
  dragging = false;
  /** Set to Date.now() when the control snapped to someone else's value. */
  snappedAt = 0;
  private local: number | null = null;
  private waitRev: string | null = null;
  private settleTimer: ReturnType<typeof setTimeout> | null = null;
  private gestureId: string | null = null;
  private started = false;
  private aborted = false;
  private pending: number | null = null;
  private frame = 0;
  private lastSent: number | null = null;
  private lastTouch = 0;
  /** G6: at most two of the gesture's values unanswered; meanwhile only the newest waits here. */
  private readonly gate = new MoveGate<number>();

  /**
   * The server's lease list is anonymized and goes to everyone, the holder included: a
   * lease is ours while we drag and for a moment after (until the release reaches it).
   */
  mine(): boolean {
    return this.dragging || Date.now() - this.lastTouch < 1500;
  }

  /**
   * The control this binding writes, resolved as the server resolves it
   * (protocol/control.ts): its lease key and the entity whose rev versions it.
   */
  private control(): Control {
    const { action, target, args } = this.spec;
    return controlOf({ action, target: target(), args: args(this.local ?? 0) }, this.app.set.lookup);
  }

  /** Someone else holds this control (per the `leases` list, keyed like the server's), not us. */
  heldByOther(): boolean {
    if (!this.app.link.leases.value.has(this.control().key)) return false;
    if (this.mine()) {
      setTimeout(() => this.host.requestUpdate(), 1600);
      return false;
    }
    return true;
  }

  constructor(private host: ReactiveControllerHost, private appOf: () => RoomApp, private spec: ControlSpec) {}

  private get app(): RoomApp {
    return this.appOf();
  }

  /** The value the control should show, given the doc's value and rev. */
  shown(docValue: number, docRev: string | undefined): number {
    if (this.dragging && this.local !== null) return this.local;
    if (this.local !== null && this.waitRev !== null && revAtLeast(docRev, this.waitRev)) this.clearLocal();
    return this.local ?? docValue;
  }

  /** Pointer or touch went down on the control. Nothing is sent until the value moves. */
  grab(): void {
    this.lastTouch = Date.now();
    this.dragging = true;
    this.started = false;
    this.aborted = false;
    this.gestureId = uuid();
    this.lastSent = null;
    this.gate.reset();
    this.cancelSettle();
  }

  move(value: number): void {
    if (!this.dragging) return;
    this.lastTouch = Date.now();
    this.local = value;
    this.host.requestUpdate();
    if (this.aborted) return;
    if (!this.started) {
      this.started = true;
      this.gate.offer(value);
      this.sendPhase('start', value);
      return;
    }
    this.pending = value;
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flushMove());
  }

  private flushMove(): void {
    this.frame = 0;
    if (this.pending === null || this.aborted || !this.dragging) return;
    const v = this.pending;
    this.pending = null;
    if (v === this.lastSent) return;
    // While the socket is down a stale move is worthless; the end value is what counts.
    if (!this.app.link.connected) return;
    const now = this.gate.offer(v);
    if (now !== undefined) this.sendPhase('move', now);
  }

  release(): void {
    if (!this.dragging) return;
    this.lastTouch = Date.now();
    this.dragging = false;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.pending = null;
    this.gate.drop();
    if (!this.started || this.aborted || this.local === null) {
      if (this.aborted) this.clearLocal();
      this.host.requestUpdate();
      return;
    }
    const v = this.local;
    this.sendPhase('end', v);
    this.armSettle();
  }

  /** A one-off change (keyboard, double-click reset, tablet step buttons): no gesture. */
  async set(value: number): Promise<void> {
    this.local = value;
    this.host.requestUpdate();
    const target = this.spec.target();
    const answer = await this.app.command(this.spec.action, target, this.spec.args(value), { quiet: true });
    if (answer.ok) {
      this.waitRev = answer.rev;
      this.armSettle();
    } else {
      this.refused(answer.error);
    }
  }

  private sendPhase(phase: 'start' | 'move' | 'end', value: number): void {
    this.lastSent = value;
    const opts: Parameters<RoomApp['command']>[3] = { gesture: { id: this.gestureId!, phase }, quiet: true };
    if (phase === 'start') {
      const rev = this.app.set.lookup(this.control().entity)?.rev;
      if (rev) opts.baseRev = rev;
    }
    const gestureId = this.gestureId;
    void this.app.command(this.spec.action, this.spec.target(), this.spec.args(value), opts).then((answer) => {
      if (gestureId !== this.gestureId) return; // a newer gesture owns the control now
      if (!answer.ok && !this.aborted) this.refused(answer.error);
      if (phase === 'end') {
        if (answer.ok) {
          this.waitRev = answer.rev;
          this.host.requestUpdate();
        }
        return;
      }
      // G6: the newest value that waited for this answer goes out now.
      const next = this.gate.answered(this.dragging && !this.aborted && this.app.link.connected);
      if (next !== undefined) this.sendPhase('move', next);
    });
  }

  private refused(error: WireError): void {
    const snap = error.code === 'CONFLICT' || error.code === 'HELD';
    if (snap || !['RATE_LIMITED', 'BUSY'].includes(error.code)) {
      // Refusals that end the gesture: stop sending, show the value that won.
      this.aborted = true;
      this.clearLocal();
      this.snappedAt = Date.now();
      setTimeout(() => this.host.requestUpdate(), 900);
    }
    this.app.report(error);
    this.host.requestUpdate();
  }

  private armSettle(): void {
    this.cancelSettle();
    this.settleTimer = setTimeout(() => {
      this.clearLocal();
      this.host.requestUpdate();
    }, SETTLE_MS);
  }

  private cancelSettle(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = null;
  }

  private clearLocal(): void {
    this.local = null;
    this.waitRev = null;
    this.cancelSettle();
  }

  get snapping(): boolean {
    return Date.now() - this.snappedAt < 900;
  }
}
