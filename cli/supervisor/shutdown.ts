import type { Logger } from 'pino';

export interface ShutdownOptions {
  /** Tells clients, stops the children and the server, flushes data. */
  graceful(signal: string): Promise<void>;
  /** Kills whatever is left, synchronously. */
  immediate(): void;
  /** Writes what the log file still buffers. */
  flush(): Promise<void>;
  logger: Logger;
  /** A graceful stop that takes longer than this becomes an immediate one. */
  deadlineMs?: number;
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Ctrl-C (or a service manager's SIGTERM) stops everything within a few seconds: a
 * graceful stop with a deadline. A second Ctrl-C does not wait for anything.
 */
export function installShutdown(o: ShutdownOptions): void {
  let stopping = false;
  // The log's last lines get a moment (2 s: a stop right after the start finds the log
  // file still opening on a loaded machine, and 500 ms lost its first lines); a second
  // Ctrl-C does not wait even for that.
  const exit = (code: number): void => {
    void Promise.race([o.flush(), new Promise((resolve) => setTimeout(resolve, 2_000))]).then(() => process.exit(code));
  };
  const stop = (reason: string, code = 0): void => {
    // The terminal that sent SIGINT/SIGTERM often closes next and sends SIGHUP: that is
    // not a person asking twice, and stopping at once then lost the log's last lines.
    if (stopping && reason === 'SIGHUP') return;
    if (stopping) {
      o.logger.warn(`${reason} again: stopping now`);
      o.immediate();
      process.exit(130);
    }
    stopping = true;
    o.logger.info(`Roomtone stopping (${reason})${process.stdin.isTTY ? '; press Ctrl-C again to stop at once' : ''}`);
    const deadline = setTimeout(() => {
      o.logger.warn(`stopping took longer than ${o.deadlineMs ?? 4_000} ms: stopping now`);
      o.immediate();
      exit(1);
    }, o.deadlineMs ?? 4_000);
    o.graceful(reason).then(
      () => {
        clearTimeout(deadline);
        exit(code);
      },
      (err: unknown) => {
        o.logger.error(`stopping failed: ${(err as Error).message}`);
        o.immediate();
        exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, () => stop(signal));
  // Whatever ends this process (an uncaught error included), the children go with it.
  process.on('exit', () => o.immediate());
}
