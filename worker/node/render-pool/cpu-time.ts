import { readFileSync } from 'node:fs';

/** Linux's clock ticks per second for /proc times (USER_HZ; 100 on every mainstream kernel build). */
const TICKS_PER_SECOND = 100;

/**
 * The CPU time (user + system, ms) a process has used, from /proc/<pid>/stat;
 * undefined where there is no procfs (the caller falls back on wall time).
 */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // fields after the command name, which is in parentheses and may hold spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
