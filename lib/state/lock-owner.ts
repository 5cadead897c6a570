// Who holds a lock: "PID STARTTIME PIDNS" of the holding process, written as the target of the
// lock's `owner` link, so that a waiter can prove the holder dead (no such process, a zombie, or
// its pid now names a process that started later) and take the lock over at once instead of
// waiting for it to go stale. A holder that cannot be judged (another pid namespace, an older
// pman) is left to the staleness rule.
import fs from 'node:fs';
import { readProcStat } from '../util/proc.js';

let self: string | undefined;
let ns: string | undefined;

/** This process's pid namespace (the inode of /proc/self/ns/pid), read once. */
function pidNamespace(): string {
  if (ns === undefined) {
    try {
      ns = /\[([0-9]+)\]/.exec(fs.readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0';
    } catch {
      ns = '0';
    }
  }
  return ns;
}

/** This process as recorded in the locks it holds: "PID STARTTIME PIDNS". */
export function ownerId(): string {
  self ??= `${process.pid} ${Number(readProcStat(process.pid)?.rest[19]) || 0} ${pidNamespace()}`;
  return self;
}

/**
 * `alive`: the recorded process is running (a slow or stopped one too); `dead`: it is gone, a
 * zombie, or its pid belongs to a process that started at another time; `unknown`: not ours to
 * judge (unreadable, another pid namespace, no start time).
 */
export function ownerState(owner: string): 'alive' | 'dead' | 'unknown' {
  const m = /^([0-9]+) ([0-9]+) ([0-9]+)$/.exec(owner);
  if (!m || m[2] === '0' || m[3] === '0' || m[3] !== pidNamespace()) return 'unknown';
  const st = readProcStat(Number(m[1]));
  if (!st) return exists(Number(m[1])) ? 'unknown' : 'dead';
  if (st.rest[0] === 'Z' || st.rest[0] === 'X') return 'dead';
  return st.rest[19] === m[2] ? 'alive' : 'dead';
}

/** Whether pid exists when its /proc entry cannot be read (hidden by hidepid=): kill(pid, 0). */
function exists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid in an owner id, for messages. */
export function ownerPid(owner: string): string {
  return owner.split(' ')[0];
}
