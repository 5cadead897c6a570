// Creates (or recovers) a user's pman namespace: a user+mount namespace held open by a pause
// process (`catatonit -P`, in its own session, stdio to /dev/null and a log file), whose pid goes
// to <dir>/pause.pid. Runs as the user, outside the namespace, only when bin/pman finds no live
// pause process; every later pman call joins with nsenter.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PmanError } from '../errors.js';
import { withLock } from '../state/lock.js';
import { writeIdMaps } from './id-map.js';
import { findNamespaceMember, nsOf } from './namespace-member.js';
import { isPauseProcess, PAUSE_COMM, pauseFile, readPausePid, writePausePid } from './pause-file.js';
import { prepareRuntimeDir } from './runtime-dir.js';
import { subordinateRange } from './subids.js';

export interface SetupOptions {
  /** The directory of pause.pid (the user's default runtime directory). */
  dir: string;
  uid: number;
  gid: number;
  /** User name, to look up /etc/subuid and /etc/subgid entries written by name. */
  user: string;
  subuidFile?: string;
  subgidFile?: string;
}

export interface SetupResult {
  pid: number;
  /** existing: another pman call made it meanwhile; rejoined: kept the namespace of running containers. */
  how: 'existing' | 'created' | 'rejoined';
  /** Set when the namespace maps a single ID (no usable subordinate ranges). */
  singleMapping?: { noRanges: boolean; reason: string };
}

const READY_TIMEOUT_MS = 10_000;

/** Starts argv detached (setsid) with stdio on /dev/null and the log; resolves once it is catatonit in a new user namespace. */
async function startPause(argv: string[], logFile: string): Promise<number> {
  const logFd = fs.openSync(logFile, 'w', 0o600);
  let child;
  try {
    child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'ignore', logFd], cwd: '/' });
  } finally {
    fs.closeSync(logFd);
  }
  let failure: string | undefined;
  child.on('error', (err: NodeJS.ErrnoException) => (failure = err.code === 'ENOENT' ? `${argv[0]} is not installed` : err.message));
  child.on('exit', (code, signal) => (failure ??= `${argv[0]} exited with ${signal ?? `status ${code}`}`));
  child.unref();
  const own = nsOf('self', 'user');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const pid = child.pid;
    if (pid && isPauseProcess(pid) && nsOf(pid, 'user') !== own) return pid;
    if (failure || Date.now() > deadline) {
      let log = '';
      try {
        log = fs.readFileSync(logFile, 'utf8').trim();
      } catch {
        /* no log */
      }
      if (pid && !failure) process.kill(pid, 'SIGKILL');
      throw new PmanError(
        'system',
        `cannot create the rootless user namespace: ${log || failure || `${PAUSE_COMM} did not start in ${READY_TIMEOUT_MS / 1000}s`}`,
      );
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Makes sure a live pause process holds the namespace of o.dir; returns its pid. */
export async function ensureUserNamespace(o: SetupOptions): Promise<SetupResult> {
  prepareRuntimeDir(o.dir, o.uid);
  return withLock(pauseFile(o.dir), async () => {
    const current = readPausePid(o.dir);
    if (current && isPauseProcess(current) && nsOf(current, 'user') !== nsOf('self', 'user')) return { pid: current, how: 'existing' };
    const logFile = path.join(o.dir, 'pause.log');
    const member = findNamespaceMember(o.dir, o.uid);
    if (member) {
      const pid = await startPause(
        ['nsenter', '--user', '--mount', '--preserve-credentials', `--target=${member}`, PAUSE_COMM, '-P'],
        logFile,
      );
      writePausePid(o.dir, pid);
      return { pid, how: 'rejoined' };
    }
    // The maps are written from out here once the pause process runs: until then no one joins.
    const pid = await startPause(['unshare', '--user', '--mount', '--propagation', 'private', PAUSE_COMM, '-P'], logFile);
    const subuid = subordinateRange(o.subuidFile ?? '/etc/subuid', o.user, o.uid);
    const subgid = subordinateRange(o.subgidFile ?? '/etc/subgid', o.user, o.uid);
    let mapped;
    try {
      mapped = writeIdMaps({ pid, uid: o.uid, gid: o.gid, subuid, subgid });
    } catch (err) {
      process.kill(pid, 'SIGKILL');
      throw new PmanError('system', `cannot write the ID maps of the rootless user namespace: ${(err as Error).message}`, { cause: err });
    }
    writePausePid(o.dir, pid);
    return { pid, how: 'created', singleMapping: mapped.reason ? { noRanges: mapped.noRanges, reason: mapped.reason } : undefined };
  });
}
