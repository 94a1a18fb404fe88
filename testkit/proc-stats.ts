import { readdirSync, readFileSync } from 'node:fs';

/** Resident set size of a process from /proc (Linux); null where /proc is absent. */
export function rssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU time (ms) a process has used: the sum of its threads' run time from
 * /proc/<pid>/task/<tid>/schedstat (nanoseconds: a 30-round fan-out uses ~100 ms, which
 * /proc/<pid>/stat's 10 ms ticks would blur), or user + system from /proc/<pid>/stat.
 */
export function cpuMs(pid: number): number | null {
  try {
    let ns = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ', 1)[0]);
      } catch {
        // the thread ended between the listing and the read
      }
    }
    if (ns > 0) return ns / 1e6;
  } catch {
    // no schedstat here: fall back to the process's ticks
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}
