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

interface Waiter { item: QueueItem; resolve(outcome: QueueOutcome): void }
interface Entry { item: QueueItem; replaceable: boolean; waiters: Waiter[] }

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
  /** Sends one command to the agent; must resolve exactly once and never reject. */
  send(command: AgentCommand): Promise<AgentResult>;
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
 */
export class RoomQueue {
  private waiting: Entry[] = [];
  private readonly inFlightKeys = new Map<string, number>();
  private readonly perControl: number;
  /** Controls with a conditional write in flight (see mayTravel). */
  private readonly conditionalKeys = new Set<string>();
  private inFlightCount = 0;
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

  /** True when the item would merge into a waiting entry rather than take a new slot. */
  wouldCoalesce(item: Pick<QueueItem, 'key' | 'mayReplace'>): boolean {
    const last = this.lastFor(item.key);
    return item.mayReplace && last !== undefined && last.replaceable;
  }

  hasRoomFor(item: Pick<QueueItem, 'key' | 'mayReplace'>): boolean {
    return this.wouldCoalesce(item) || this.waiting.length < this.options.maxDepth;
  }

  enqueue(item: QueueItem): Promise<QueueOutcome> {
    return new Promise((resolve) => {
      const waiter: Waiter = { item, resolve };
      const last = this.lastFor(item.key);
      if (item.mayReplace && last && last.replaceable) {
        last.item = item;
        last.replaceable = item.replaceable;
        last.waiters.push(waiter);
      } else {
        this.waiting.push({ item, replaceable: item.replaceable, waiters: [waiter] });
      }
      this.pump();
    });
  }

  private lastFor(key: string): Entry | undefined {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      if (this.waiting[i]!.item.key === key) return this.waiting[i];
    }
    return undefined;
  }

  private pump(): void {
    if (this.waiting.length === 0) return;
    const now = this.now();
    const keep: Entry[] = [];
    let i = 0;
    for (; i < this.waiting.length; i++) {
      // A full window sends nothing more: the rest keeps its place (and is answered
      // TIMEOUT when its turn comes past its deadline).
      if (this.inFlightCount >= this.options.maxInFlight) break;
      const entry = this.waiting[i]!;
      const { item } = entry;
      if (item.command.deadline <= now) {
        this.finish(entry, { id: item.command.id, ok: false, error: wireError('TIMEOUT', 'the deadline passed while the command waited in the room queue; not executed') });
        continue;
      }
      if (item.continuous && !this.mayTravel(item)) {
        keep.push(entry);
        continue;
      }
      this.dispatch(entry);
    }
    this.waiting = i === 0 ? this.waiting : i >= this.waiting.length ? keep : keep.concat(this.waiting.slice(i));
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
    const done = (result: AgentResult): void => {
      this.inFlightCount--;
      if (item.continuous) {
        const left = (this.inFlightKeys.get(item.key) ?? 1) - 1;
        if (left > 0) this.inFlightKeys.set(item.key, left);
        else this.inFlightKeys.delete(item.key);
        if (!item.mayReplace) this.conditionalKeys.delete(item.key);
      }
      this.finish(entry, result);
      this.pump();
    };
    this.options.send(item.command).then(done, (err: unknown) => done({ id: item.command.id, ok: false, error: wireError('INTERNAL', `dispatch failed: ${err instanceof Error ? err.message : String(err)}`) }));
  }

  private finish(entry: Entry, result: AgentResult): void {
    const last = entry.waiters.length - 1;
    entry.waiters.forEach((waiter, i) => waiter.resolve({ result, superseded: i < last }));
  }
}
