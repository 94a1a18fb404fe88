import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Transform, type TransformCallback } from 'node:stream';

export interface UploadPacerOptions {
  /** Ceiling of the shared rate, bytes a second (every upload and the hashing together). */
  maxBytesPerSecond?: number;
  /** Floor: a busy server still moves files, slowly. */
  minBytesPerSecond?: number;
  /** Event-loop delay p99 above which the rate halves… */
  lagHighMs?: number;
  /** …and below which it grows again by a quarter. */
  lagLowMs?: number;
  /** How often the delay is read and the rate adjusted. */
  adjustEveryMs?: number;
}

const MiB = 1024 * 1024;

/**
 * The control path comes first. Uploads and their hashing run on the server's one event
 * loop, beside every fader move; unpaced, two large uploads over a fast link took a third
 * of a core in chunk handling and made fader answers wait behind it. Every upload byte
 * (and every byte hashed) passes through one shared token bucket whose rate follows the
 * event loop's delay: it halves while the loop is late and grows back while it is not.
 * Backpressure does the rest: a paused stream stops reading its socket, TCP slows the
 * sender, and nothing piles up in memory.
 */
export class UploadPacer {
  private rate: number;
  private tokens: number;
  private last = performance.now();
  private readonly histogram: IntervalHistogram;
  private readonly timer: NodeJS.Timeout;
  private readonly max: number;
  private readonly min: number;

  constructor(private readonly options: UploadPacerOptions = {}) {
    this.max = options.maxBytesPerSecond ?? 64 * MiB;
    this.min = options.minBytesPerSecond ?? 1 * MiB;
    this.rate = Math.min(this.max, 16 * MiB);
    this.tokens = this.rate / 10;
    this.histogram = monitorEventLoopDelay({ resolution: 5 });
    this.histogram.enable();
    this.timer = setInterval(() => this.adjust(), options.adjustEveryMs ?? 250);
    this.timer.unref();
  }

  /** The shared rate now, bytes a second. */
  get bytesPerSecond(): number {
    return this.rate;
  }

  /** A pass-through stream that lets bytes on only as fast as the shared rate allows. */
  stream(): Transform {
    return new Transform({
      highWaterMark: 64 * 1024,
      transform: (chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) => {
        const wait = this.take(chunk.length);
        if (wait <= 0) return done(null, chunk);
        setTimeout(() => done(null, chunk), wait).unref();
      },
    });
  }

  close(): void {
    clearInterval(this.timer);
    this.histogram.disable();
  }

  /** Takes `bytes` from the bucket (it may go negative); answers how long to wait, ms. */
  private take(bytes: number): number {
    const now = performance.now();
    this.tokens = Math.min(this.rate / 10, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    this.tokens -= bytes;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.rate) * 1000);
  }

  private adjust(): void {
    const p99 = this.histogram.percentile(99) / 1e6;
    this.histogram.reset();
    if (p99 > (this.options.lagHighMs ?? 20)) this.rate = Math.max(this.min, this.rate / 2);
    else if (p99 < (this.options.lagLowMs ?? 8)) this.rate = Math.min(this.max, this.rate * 1.25);
  }
}
