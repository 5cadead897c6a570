// Facts about processes read from /proc: used to tell a live shim from a dead one (or from an
// unrelated process that reused its pid) and to notice a reboot.
import fs from 'node:fs';

/** The kernel's boot ID; it changes on every boot. */
export function bootId(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

export interface ProcStat {
  /** Field 2, the command name. */
  comm: string;
  /** Fields 3 onwards: rest[0] is the state, rest[19] the start time in ticks since boot. */
  rest: string[];
}

/** /proc/PID/stat split into fields, undefined when the process is gone. */
export function readProcStat(pid: number): ProcStat | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: split after the last ')'.
    const close = stat.lastIndexOf(')');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), rest: stat.slice(close + 2).split(' ') };
  } catch {
    return undefined;
  }
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), 0 if gone. */
export function processStartTime(pid: number): number {
  return Number(readProcStat(pid)?.rest[19]) || 0;
}

/** True when pid is alive, not a zombie, and (if given) started at startTime. */
export function processAlive(pid: number, startTime?: number): boolean {
  if (pid <= 0) return false;
  const st = readProcStat(pid);
  if (!st || st.rest[0] === 'Z' || st.rest[0] === 'X') return false;
  return startTime === undefined || startTime === 0 || Number(st.rest[19]) === startTime;
}
