// Facts about processes read from /proc: used to tell a live shim from a dead one (or from an
// unrelated process that reused its pid) and to notice a reboot.
import fs from 'node:fs';
import path from 'node:path';

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

/**
 * The processes holding a unix socket bound to `socketPath` (the listener and its accepted
 * connections): found through /proc/net/unix and every process's fds, as `ss -xp` does. Slow (it
 * reads every process's fd table): only for finding a shim whose container record is lost.
 */
export function socketHolders(socketPath: string): number[] {
  let table: string;
  try {
    table = fs.readFileSync('/proc/net/unix', 'utf8');
  } catch {
    return [];
  }
  const inodes = new Set<string>();
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length >= 8 && boundTo(cols.slice(7).join(' '), socketPath)) inodes.add(`socket:[${cols[6]}]`);
  }
  if (inodes.size === 0) return [];
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^[0-9]+$/.test(name) || Number(name) === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${name}/fd`);
    } catch {
      continue; // gone, or not ours to look at
    }
    if (fds.some((fd) => inodes.has(readLink(`/proc/${name}/fd/${fd}`)))) pids.push(Number(name));
  }
  return pids;
}

/**
 * A socket in a directory too deep for sun_path is bound as /proc/PID/fd/DIRFD/NAME
 * (lib/shim/socket-path.ts): that names the same file when DIRFD is the socket's directory.
 */
function boundTo(bound: string, socketPath: string): boolean {
  if (bound === socketPath) return true;
  const m = /^\/proc\/([0-9]+)\/fd\/([0-9]+)\/([^/]+)$/.exec(bound);
  return m !== null && m[3] === path.basename(socketPath) && readLink(`/proc/${m[1]}/fd/${m[2]}`) === path.dirname(socketPath);
}

function readLink(p: string): string {
  try {
    return fs.readlinkSync(p);
  } catch {
    return '';
  }
}
