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

/** Start time of a process in clock ticks since boot (field 22 of /proc/PID/stat), 0 if gone. */
export function processStartTime(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[19]) || 0;
  } catch {
    return 0;
  }
}

/** True when pid is alive, not a zombie, and (if given) started at startTime. */
export function processAlive(pid: number, startTime?: number): boolean {
  if (pid <= 0) return false;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (rest[0] === 'Z' || rest[0] === 'X') return false;
    return startTime === undefined || startTime === 0 || Number(rest[19]) === startTime;
  } catch {
    return false;
  }
}
