import type { AuditSink } from '../audit/audit-sink.ts';
import type { FaultReporter } from './containment.ts';

const QUIET_MS = 60_000;
const MAX_REMEMBERED = 200;

/**
 * Reports a contained fault twice: in the audit log (`internal_error`, which the host
 * reads) and on the server's console with its stack, for whoever fixes the bug. The
 * same fault repeated by a flood is printed once a minute with a count, not per request;
 * the audit log groups it itself (H4).
 */
export function auditedFaults(audit: AuditSink, log: (line: string) => void = (line) => console.error(line), now: () => number = Date.now): FaultReporter {
  const lastPrinted = new Map<string, { at: number; skipped: number }>();
  return (where, error) => {
    audit.record({ kind: 'internal_error', ok: false, code: 'INTERNAL', detail: `${where}: ${error.message}` });
    const key = `${where}\0${error.message}`;
    const seen = lastPrinted.get(key);
    const at = now();
    if (seen && at - seen.at < QUIET_MS) {
      seen.skipped++;
      return;
    }
    const repeats = seen && seen.skipped > 0 ? ` (${seen.skipped} more like it since the last report)` : '';
    log(`Roomtone: contained a fault in ${where}${repeats}; the server keeps running.\n${error.stack ?? error.message}`);
    lastPrinted.delete(key);
    lastPrinted.set(key, { at, skipped: 0 });
    if (lastPrinted.size > MAX_REMEMBERED) lastPrinted.delete(lastPrinted.keys().next().value!);
  };
}
