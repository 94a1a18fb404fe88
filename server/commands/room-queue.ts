import { wireError, type AgentCommand, type AgentResult } from '../../protocol/index.ts';

/** One accepted command on its way to the agent. */
export interface QueueItem {
  /** controlKey() of the command: coalescing and the one-in-flight rule key on it. */
  key: string;
  sessionId: string;
  command: AgentCommand;
  /** Continuous controls: at most one write per control travels to Live at a time. */
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
  /** Sends one command to the agent; must resolve exactly once and never reject. */
  send(command: AgentCommand): Promise<AgentResult>;
  now?: () => number;
}

/**
 * The room's bounded queue in front of the agent (docs/protocol.md, Q1–Q4).
 *
 * - Continuous controls: one write per control in flight; while it travels, newer
 *   values for the same control wait here, and a newer value replaces a waiting older
 *   one. Live therefore gets at most one write per control per tick, and the last
 *   value always lands. Every replaced command still gets exactly one answer: the
 *   answer of the write that replaced it.
 * - Triggers, edits and reads never coalesce and leave in the order they came.
 * - Everything sent in one event-loop turn reaches the agent as one batch (AgentLink).
 */
export class RoomQueue {
  private waiting: Entry[] = [];
  private readonly inFlightKeys = new Set<string>();
  private inFlightCount = 0;
  private readonly now: () => number;

  constructor(private readonly options: RoomQueueOptions) {
    this.now = options.now ?? Date.now;
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
      if (item.continuous && this.inFlightKeys.has(item.key)) {
        keep.push(entry);
        continue;
      }
      this.dispatch(entry);
    }
    this.waiting = i === 0 ? this.waiting : i >= this.waiting.length ? keep : keep.concat(this.waiting.slice(i));
  }

  private dispatch(entry: Entry): void {
    const { item } = entry;
    this.inFlightCount++;
    if (item.continuous) this.inFlightKeys.add(item.key);
    const done = (result: AgentResult): void => {
      this.inFlightCount--;
      if (item.continuous) this.inFlightKeys.delete(item.key);
      this.finish(entry, result);
      this.pump();
    };
    this.options.send(item.command).then(done, (err: Error) => done({ id: item.command.id, ok: false, error: wireError('INTERNAL', `dispatch failed: ${err.message}`) }));
  }

  private finish(entry: Entry, result: AgentResult): void {
    const last = entry.waiters.length - 1;
    entry.waiters.forEach((waiter, i) => waiter.resolve({ result, superseded: i < last }));
  }
}
