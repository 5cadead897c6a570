// The pause process that keeps a user's namespace alive, and its pid file <runtime dir>/pause.pid.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../state/atomic.js';

export const PAUSE_FILE = 'pause.pid';
/** What bin/pman checks in /proc/PID/stat before joining (a recycled pid is anything else). */
export const PAUSE_COMM = 'catatonit';

export function pauseFile(dir: string): string {
  return path.join(dir, PAUSE_FILE);
}

/** The pid in pause.pid, or undefined when there is no (valid) file. */
export function readPausePid(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pauseFile(dir), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** True when pid is a live pause process (same test as bin/pman's: its name, and not a zombie). */
export function isPauseProcess(pid: number): boolean {
  try {
    const [, comm, state] = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ', 3);
    return comm === `(${PAUSE_COMM})` && state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export function writePausePid(dir: string, pid: number): void {
  writeFileAtomic(pauseFile(dir), `${pid}\n`, 0o600);
}

export function removePausePid(dir: string): void {
  fs.rmSync(pauseFile(dir), { force: true });
}
