/**
 * Passes on the latest value at most once per `gapMs`: the first value after a quiet gap
 * goes out at once, a burst becomes one trailing send of its last value. Nothing is lost
 * but intermediate states, which is the point for state that is replaced wholesale
 * (the `leases` message is the whole set of held controls each time).
 */
export interface LatestOnly<T> {
  (value: T): void;
  close(): void;
}

export function latestOnly<T>(send: (value: T) => void, gapMs: number, now: () => number = Date.now): LatestOnly<T> {
  let lastSentAt = -Infinity;
  let waiting: { value: T } | null = null;
  let timer: NodeJS.Timeout | null = null;

  const fire = (): void => {
    timer = null;
    if (!waiting) return;
    const { value } = waiting;
    waiting = null;
    lastSentAt = now();
    send(value);
  };

  const push = (value: T): void => {
    waiting = { value };
    if (timer) return;
    const wait = lastSentAt + gapMs - now();
    if (wait <= 0) { fire(); return; }
    timer = setTimeout(fire, wait);
    timer.unref();
  };
  const close = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    waiting = null;
  };
  return Object.assign(push, { close });
}
