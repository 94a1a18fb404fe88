import type { AuditEntry } from '../../protocol/index.ts';

/** Longest value kept per field; `detail` carries a message, the rest are names and ids. */
const CAPS: Record<'kind' | 'sessionId' | 'name' | 'ip' | 'action' | 'target' | 'targetName' | 'code' | 'detail', number> = {
  kind: 48, sessionId: 64, name: 64, ip: 64, action: 64, target: 128, targetName: 64, code: 32, detail: 300,
};

// C0/C1 controls, DEL, and format characters (bidi overrides, zero-width): a log line must
// read as what it is, on a terminal and in the console.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/**
 * An entry as the log keeps it: every string field cut to its cap (with `…`) and every
 * control or format character shown as `�`. Many fields come from a request (an Origin
 * header, a refused name), and a 15 KB Origin per refusal rotated the whole log away
 * in seconds (H4).
 */
export function capEntry(entry: AuditEntry): AuditEntry {
  const out: AuditEntry = { ...entry };
  for (const field of Object.keys(CAPS) as Array<keyof typeof CAPS>) {
    const value = out[field];
    if (typeof value === 'string') out[field] = capText(value, CAPS[field]);
  }
  return out;
}

export function capText(value: string, max: number): string {
  const clean = value.replace(UNPRINTABLE, '\uFFFD');
  return clean.length <= max ? clean : `${clean.slice(0, max - 1)}…`;
}
