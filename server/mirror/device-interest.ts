import { OBSERVE_LIMIT } from '../../protocol/index.ts';

/**
 * Which devices browsers have open, per /room socket; their union is what Live mirrors
 * the parameters of (the agent's `observe` line). Parameters of devices nobody looks at
 * cost Live's main thread nothing, so a studio's 40,000-parameter set costs what its
 * open device panels hold. A socket's list replaces its previous one; a closed socket's
 * goes. Changes within `delayMs` make one message.
 */
export class DeviceInterest {
  private readonly bySocket = new Map<string, ReadonlySet<string>>();
  private sent = '';
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly send: (devices: string[]) => void, private readonly delayMs = 20) {}

  set(socketId: string, devices: readonly string[]): void {
    if (devices.length === 0) this.bySocket.delete(socketId);
    else this.bySocket.set(socketId, new Set(devices));
    this.changed();
  }

  remove(socketId: string): void {
    if (this.bySocket.delete(socketId)) this.changed();
  }

  /** Every observed device, oldest interest first, at most OBSERVE_LIMIT. */
  current(): string[] {
    const all = new Set<string>();
    for (const devices of this.bySocket.values()) for (const id of devices) all.add(id);
    return [...all].slice(0, OBSERVE_LIMIT);
  }

  /** The agent came (back): it gets the whole list again, changed or not. */
  resend(): void {
    this.sent = '';
    this.flush();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, this.delayMs);
    this.timer.unref();
  }

  private flush(): void {
    const devices = this.current();
    const key = devices.join('\n');
    if (key === this.sent) return;
    this.sent = key;
    this.send(devices);
  }
}
