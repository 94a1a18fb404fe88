import * as Y from 'yjs';
import type { SetMirror } from './set-mirror.ts';

export interface CompactorOptions {
  /** How often the doc's encoded size is measured. */
  checkEveryMs?: number;
  /** Rebuilds never come closer together than this: each one resends the whole doc to every connection. */
  minGapMs?: number;
  /** Rebuild when the doc is this many times its size after the last build… */
  ratio?: number;
  /** …or this many bytes bigger, whichever comes first. */
  growthBytes?: number;
  log?: (line: string) => void;
  now?: () => number;
}

/** A floor for the learned ratio, so a quiet spell cannot put measuring off for ever. */
const MIN_GROWTH_PER_WRITTEN = 0.05;
/**
 * A doc past a limit is rebuilt only when at least this share of its structs are
 * tombstones. A doc can also grow with content — browsers open a big set's device
 * panels and thousands of parameters are mirrored — and rebuilding that gains nothing
 * but costs the server seconds on a heavy set and every browser a full resync.
 */
const MIN_GARBAGE_SHARE = 0.25;

/**
 * Each rebuild costs the server ~40 ms for the demo set and every browser a fresh first
 * sync, so it should be rare: with these, ten people dragging faders (~600 writes/s)
 * rebuild a 200 KB set every two minutes or so, a quiet room practically never.
 */
export const COMPACTION_DEFAULTS = { checkEveryMs: 5_000, minGapMs: 30_000, ratio: 8, growthBytes: 2 * 1024 * 1024 } as const;

/**
 * Decides when the `set` doc is rebuilt (docs/protocol.md, M8). Its size after a build
 * is the baseline; fader traffic grows it by the tombstones of overwritten values, about
 * 18 bytes a write, until every first sync and every client's memory pays for hours of
 * history. The first baseline is taken once a snapshot arrived: the doc of a server
 * that just started is empty, and filling it with the set is not growth.
 */
export class SetCompactor {
  private readonly options: Required<Omit<CompactorOptions, 'log' | 'now'>>;
  private readonly log: (line: string) => void;
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  private baseBytes: number | null = null;
  /** Bytes of updates the current doc produced since it was built or watched. */
  private writtenBytes = 0;
  /** writtenBytes and the encoded size at the last measure. */
  private measuredAt = 0;
  private measuredBytes = 0;
  /** Doc bytes per update byte between the last two measures (fader traffic: ~0.2–0.4). */
  private growthPerWritten = 1;
  private readonly unwatchReplaced: () => void;
  private lastRebuildAt: number | null = null;
  /** How often check() encoded the doc to measure it (tests read it). */
  measures = 0;
  /** What the last rebuild did; tests and the bench read it. */
  last: { beforeBytes: number; afterBytes: number; ms: number } | null = null;

  constructor(private readonly mirror: SetMirror, options: CompactorOptions = {}) {
    this.options = {
      checkEveryMs: options.checkEveryMs ?? COMPACTION_DEFAULTS.checkEveryMs,
      minGapMs: options.minGapMs ?? COMPACTION_DEFAULTS.minGapMs,
      ratio: options.ratio ?? COMPACTION_DEFAULTS.ratio,
      growthBytes: options.growthBytes ?? COMPACTION_DEFAULTS.growthBytes,
    };
    this.log = options.log ?? ((line) => console.log(line));
    this.now = options.now ?? (() => Date.now());
    this.timer = setInterval(() => this.check(), this.options.checkEveryMs);
    this.timer.unref();
    this.watch(mirror.doc);
    this.unwatchReplaced = mirror.onReplaced((next, previous) => {
      previous.off('update', this.counted);
      this.watch(next);
    });
  }

  private readonly counted = (update: Uint8Array): void => {
    this.writtenBytes += update.byteLength;
  };

  private watch(doc: Y.Doc): void {
    this.writtenBytes = 0;
    doc.on('update', this.counted);
  }

  /** The size the doc is measured against (null until the first snapshot). */
  get baseline(): number | null {
    return this.baseBytes;
  }

  /** Measures the doc and rebuilds it when it grew past a threshold; true when it did. */
  check(): boolean {
    const { ratio, growthBytes, minGapMs } = this.options;
    // Encoding a grown doc to measure it blocks the loop for tens of ms (up to ~100 ms
    // under load). So it is measured only when the estimate says it may have crossed a
    // limit: the last measure plus the updates written since, scaled by how much of the
    // update bytes became doc bytes between the last two measures (1 until known: an
    // upper bound).
    if (this.baseBytes !== null && this.estimate() <= Math.min(ratio * this.baseBytes, this.baseBytes + growthBytes)) return false;
    const bytes = encodedSize(this.mirror.doc);
    this.measures++;
    const written = this.writtenBytes - this.measuredAt;
    if (this.baseBytes !== null && written > 0) this.growthPerWritten = Math.min(1, Math.max(MIN_GROWTH_PER_WRITTEN, (bytes - this.measuredBytes) / written));
    this.measuredAt = this.writtenBytes;
    this.measuredBytes = bytes;
    if (this.baseBytes === null) {
      if (this.mirror.snapshots > 0) this.baseBytes = bytes;
      return false;
    }
    if (bytes <= ratio * this.baseBytes && bytes <= this.baseBytes + growthBytes) return false;
    if (this.lastRebuildAt !== null && this.now() - this.lastRebuildAt < minGapMs) return false;
    const garbage = garbageShare(this.mirror.doc);
    if (garbage < MIN_GARBAGE_SHARE) {
      // It grew with the set's content: that size is the new baseline.
      this.baseBytes = bytes;
      this.log(`Roomtone: the set doc grew to ${kb(bytes)} with the set's content (${Math.round(garbage * 100)} % tombstones); not compacted`);
      return false;
    }
    const started = performance.now();
    this.mirror.rebuild();
    const ms = performance.now() - started;
    const after = encodedSize(this.mirror.doc);
    this.baseBytes = after;
    this.measuredAt = this.writtenBytes;
    this.measuredBytes = after;
    this.growthPerWritten = 1;
    this.lastRebuildAt = this.now();
    this.last = { beforeBytes: bytes, afterBytes: after, ms };
    this.log(`Roomtone: compacted the set doc ${kb(bytes)} → ${kb(after)} in ${ms.toFixed(1)} ms (instance ${this.mirror.instance})`);
    return true;
  }

  stop(): void {
    clearInterval(this.timer);
    this.unwatchReplaced();
    this.mirror.doc.off('update', this.counted);
  }

  /** The doc's encoded size as estimated without encoding it. */
  private estimate(): number {
    return this.measuredBytes + (this.writtenBytes - this.measuredAt) * this.growthPerWritten;
  }
}

/** The share of the doc's structs that are tombstones (deleted items and GC runs). */
function garbageShare(doc: Y.Doc): number {
  let live = 0;
  let all = 0;
  for (const structs of doc.store.clients.values()) {
    all += structs.length;
    for (const struct of structs) if (struct instanceof Y.Item && !struct.deleted) live++;
  }
  return all === 0 ? 0 : (all - live) / all;
}

function encodedSize(doc: Y.Doc): number {
  return Y.encodeStateAsUpdate(doc).byteLength;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
