/**
 * On SIGINT/SIGTERM, run the closers (flush the data store, close servers) once,
 * then exit. A second signal during that exits at once, as a user pressing Ctrl-C
 * twice expects.
 */
export function onShutdown(close: () => Promise<void>, log: (line: string) => void = console.error): () => void {
  let closing = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (closing) process.exit(130);
    closing = true;
    log(`Roomtone: ${signal}, saving and shutting down…`);
    close().then(
      () => process.exit(0),
      (err: unknown) => { log(`Roomtone: shutdown failed: ${(err as Error).message}`); process.exit(1); },
    );
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => { process.off('SIGINT', handler); process.off('SIGTERM', handler); };
}
