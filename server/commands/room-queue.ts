import { wireError, type AgentCommand, type AgentResult } from '../../protocol/index.ts';

/** One accepted command on its way to the agent. */
export interface QueueItem {
  /** controlKey() of the command: coalescing and the one-in-flight rule key on it. */
  key: string;
  sessionId: string;
  command: AgentCommand;
  /** Continuous controls: a bounded number of writes per control travel to Live at once (Q1). */
  continuous: boolean;
  /** May take the place of an older queued entry for the same control that is `replaceable`. */
  mayReplace: boolean;
  /** May itself be replaced by a newer value for the same control while it waits. */
  replaceable: boolean;
}

/** What each accepted command learns: the result that landed, and whether its own value was replaced. */
export interface QueueOutcome { result: AgentResult; superseded: boolean }

/** Told the outcome of one accepted command, exactly once. */
export type QueueDone = (outcome: QueueOutcome) => void;

interface Waiter { item: QueueItem; done: QueueDone }
interface Entry { item: QueueItem; replaceable: boolean; waiters: Waiter[]; since: number }

export interface RoomQueueOptions {
  /** Waiting entries (not yet sent to the agent) beyond which new work gets BUSY. */
  maxDepth: number;
  /** Commands sent to the agent and not answered yet, across the room. */
  maxInFlight: number;
  /**
   * Writes of one continuous control on their way to Live at once (default 2). With one,
   * every move waited a whole round trip behind the previous one (p50 ~40 ms at 60 Hz);
   * with two, the next value travels while the last one is in Live, and the Remote Script
   * runs only the later of two that meet in one tick (Q1).
   */
  maxInFlightPerControl?: number;
  /**
   * When the oldest waiting entry has waited this long (default 500 ms), the queue is not
   * draining (Live or the server is behind): new work that would take a slot is refused
   * BUSY at once rather than accepted to time out at its deadline seconds later.
   */
  maxWaitMs?: number;
  /** Sends one command to the agent; must call `done` exactly once (it may do so at once). */
  send(command: AgentCommand, done: (result: AgentResult) => void): void;
  now?: () => number;
}

/**
 * The room's bounded queue in front of the agent (docs/protocol.md, Q1–Q4).
 *
 * - Continuous controls: at most `maxInFlightPerControl` (2) writes per control in
 *   flight; while they travel, newer values for the same control wait here, and a newer
 *   value replaces a waiting older one. The Remote Script runs only the last of the
 *   writes to one control that meet in a tick, so Live gets at most one write per
 *   control per tick, and the last value always lands. Every replaced command still
 *   gets exactly one answer: the answer of the write that replaced it.
 * - Triggers, edits and reads never coalesce and leave in the order they came.
 * - Everything sent in one event-loop turn reaches the agent as one batch (AgentLink).
 *
 * Callbacks, not promises: at thousands of commands a second a promise and its
 * continuations per command were a measurable share of the server's CPU and garbage.
 */
export class RoomQueue {
  private waiting: Entry[] = [];
  /** The last waiting entry of each control: where a newer value coalesces. */
  private readonly lastWaiting = new Map<string, Entry>();
  private readonly inFlightKeys = new Map<string, number>();
  private readonly perControl: number;
  /** Controls with a conditional write in flight (see mayTravel). */
  private readonly conditionalKeys = new Set<string>();
  private inFlightCount = 0;
  private pumping = false;
  private pumpAgain = false;
  /** A pump is queued for the end of this turn (results land in batches, one per Live tick). */
  private pumpQueued = false;
  private readonly now: () => number;

  constructor(private readonly options: RoomQueueOptions) {
    this.now = options.now ?? Date.now;
    this.perControl = Math.max(1, options.maxInFlightPerControl ?? 2);
  }

  get depth(): number {
    return this.waiting.length;
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  /** How long the oldest waiting entry has waited (0 when none waits). */
  waitedMs(now = this.now()): number {
    const head = this.waiting[0];
    return head ? Math.max(0, now - head.since) : 0;
  }

  /** True when the item would merge into a waiting entry rather than take a new slot. */
  wouldCoalesce(item: Pick<QueueItem, 'key' | 'mayReplace'>): boolean {
    return item.mayReplace && this.lastWaiting.get(item.key)?.replaceable === true;
  }

  /**
   * Room for the item: it coalesces into a waiting entry (always), or the queue has a
   * free slot and is draining (its oldest entry has waited less than maxWaitMs).
   */
  hasRoomFor(item: Pick<QueueItem, 'key' | 'mayReplace'>): boolean {
    if (this.wouldCoalesce(item)) return true;
    return this.waiting.length < this.options.maxDepth && this.waitedMs() < (this.options.maxWaitMs ?? 500);
  }

  /** Queues one accepted command; `done` gets its outcome exactly once. */
  submit(item: QueueItem, done: QueueDone): void {
    const waiter: Waiter = { item, done };
    const last = this.lastWaiting.get(item.key);
    if (item.mayReplace && last && last.replaceable) {
      last.item = item;
      last.replaceable = item.replaceable;
      last.waiters.push(waiter);
      // Merged into a waiting entry: what may travel did not change (the entry was and
      // stays replaceable), so there is nothing to walk.
      return;
    }
    const entry: Entry = { item, replaceable: item.replaceable, waiters: [waiter], since: this.now() };
    this.waiting.push(entry);
    this.lastWaiting.set(item.key, entry);
    // A walk is due (a write landed this turn): the new entry takes its turn in it,
    // behind what the landing freed.
    if (this.pumping || this.pumpQueued) this.pump();
    else this.tryNewest(entry);
  }

  /** submit() as a promise (tests, and callers off the hot path). */
  enqueue(item: QueueItem): Promise<QueueOutcome> {
    return new Promise((resolve) => this.submit(item, resolve));
  }

  private pump(): void {
    // A send that answers at once (no agent) finishes an entry while we walk the list.
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        this.pumpOnce();
        // pumpOnce() may set pumpAgain through a re-entrant pump() (an answer that lands at once).
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      } while (this.pumpAgain);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Since the last walk nothing landed, so everything older than `entry` is still held
   * where the walk left it: by its own control's writes in flight, or by a full window
   * (which only a landing empties). Only the new entry can have changed. One look, not a
   * walk of the list per command (the walk was 6 % of the server's CPU at 5,000
   * commands/s). Entries past their deadline are answered at the next walk, which the
   * first landing write starts.
   */
  private tryNewest(entry: Entry): void {
    const { item } = entry;
    if (this.inFlightCount >= this.options.maxInFlight) return;
    if (item.continuous && !this.mayTravel(item)) return;
    this.waiting.pop();
    this.leave(entry);
    if (item.command.deadline <= this.now()) this.timeOut(entry);
    else this.dispatch(entry);
  }

  /** Results land a tick's batch at a time: one walk after the batch, not one per result. */
  private pumpSoon(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private pumpOnce(): void {
    const list = this.waiting;
    if (list.length === 0) return;
    const now = this.now();
    let kept = 0;
    let i = 0;
    for (; i < list.length; i++) {
      // A full window sends nothing more: the rest keeps its place (and is answered
      // TIMEOUT when its turn comes past its deadline).
      if (this.inFlightCount >= this.options.maxInFlight) break;
      const entry = list[i]!;
      const { item } = entry;
      if (item.command.deadline <= now) {
        this.leave(entry);
        this.timeOut(entry);
        continue;
      }
      if (item.continuous && !this.mayTravel(item)) {
        list[kept++] = entry;
        continue;
      }
      this.leave(entry);
      this.dispatch(entry);
    }
    if (kept === i) return; // nothing left the list
    for (; i < list.length; i++) list[kept++] = list[i]!;
    list.length = kept;
  }

  /** The entry is no longer waiting: a newer value must not coalesce into it. */
  private leave(entry: Entry): void {
    if (this.lastWaiting.get(entry.item.key) === entry) this.lastWaiting.delete(entry.item.key);
  }

  /**
   * A conditional write (baseRev) travels alone: the Remote Script never merges it with
   * another write in its tick (its version check must run), so two in flight could be two
   * writes in one tick.
   */
  private mayTravel(item: QueueItem): boolean {
    const n = this.inFlightKeys.get(item.key) ?? 0;
    if (n === 0) return true;
    return n < this.perControl && item.mayReplace && !this.conditionalKeys.has(item.key);
  }

  private dispatch(entry: Entry): void {
    const { item } = entry;
    this.inFlightCount++;
    if (item.continuous) {
      this.inFlightKeys.set(item.key, (this.inFlightKeys.get(item.key) ?? 0) + 1);
      if (!item.mayReplace) this.conditionalKeys.add(item.key);
    }
    let answered = false;
    try {
      this.options.send(item.command, (result) => {
        if (answered) return;
        answered = true;
        this.landed(entry, result);
      });
    } catch (err) {
      // send() may have answered before it threw; the compiler cannot see the callback set it.
      // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition
      if (!answered) {
        answered = true;
        this.landed(entry, { id: item.command.id, ok: false, error: wireError('INTERNAL', `dispatch failed: ${err instanceof Error ? err.message : String(err)}`) });
      }
    }
  }

  private landed(entry: Entry, result: AgentResult): void {
    const { item } = entry;
    this.inFlightCount--;
    if (item.continuous) {
      const left = (this.inFlightKeys.get(item.key) ?? 1) - 1;
      if (left > 0) this.inFlightKeys.set(item.key, left);
      else this.inFlightKeys.delete(item.key);
      if (!item.mayReplace) this.conditionalKeys.delete(item.key);
    }
    this.finish(entry, result);
    this.pumpSoon();
  }

  /** Past its deadline before it was sent: answered, never sent (Q5). */
  private timeOut(entry: Entry): void {
    this.finish(entry, { id: entry.item.command.id, ok: false, error: wireError('TIMEOUT', 'the deadline passed while the command waited in the room queue; not executed') });
  }

  private finish(entry: Entry, result: AgentResult): void {
    const last = entry.waiters.length - 1;
    for (let i = 0; i <= last; i++) entry.waiters[i]!.done({ result, superseded: i < last });
  }
}
