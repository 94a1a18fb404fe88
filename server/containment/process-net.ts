import type { FaultReporter } from './containment.ts';

const reporters = new Set<FaultReporter>();

function onUncaught(err: unknown): void {
  report('uncaught exception', err);
}

function onUnhandled(reason: unknown): void {
  report('unhandled rejection', reason);
}

function report(where: string, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  for (const reporter of reporters) {
    try {
      reporter(where, error);
    } catch {
      // keep going: the net must not be the thing that throws
    }
  }
}

/**
 * The last net under the containment layer: an error that escaped every guard (a bug in
 * a library callback we do not wrap) is reported and the process keeps serving. A room
 * that loses its server mid-lesson loses every session's connection at once; a fault
 * in one request's callback costs that request. Installed while at least one server
 * runs; the returned function removes this server's reporter.
 */
export function installProcessNet(reporter: FaultReporter): () => void {
  if (reporters.size === 0) {
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUnhandled);
  }
  reporters.add(reporter);
  return () => {
    if (!reporters.delete(reporter) || reporters.size > 0) return;
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUnhandled);
  };
}
