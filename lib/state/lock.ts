// Cross-process locks on state files: an atomic mkdir of "<file>.lock" (proper-lockfile's
// protocol), refreshed while held, taken over when stale so a crashed holder never blocks others
// forever. A free lock is taken right here with one mkdir; only a busy one goes through
// proper-lockfile (retries with back-off, stale take-over). Both sides keep the same protocol, so
// either may meet the other's lock.
import fs from 'node:fs';
import path from 'node:path';
import { PmanError } from '../errors.js';

/** A lock whose directory is older than this is taken over (its holder died). */
export const STALE_MS = 10_000;

/** Lock directories this process holds (mkdir fast path): removed if it exits holding them. */
const held = new Set<string>();
let exitHook = false;

function removeHeld(): void {
  for (const dir of held) {
    try {
      fs.rmdirSync(dir);
    } catch {
      /* gone */
    }
  }
  held.clear();
}

/** Takes the lock if it is free: one mkdir. Returns its release, or undefined when it is busy. */
function tryLock(file: string): (() => void) | undefined {
  const dir = `${file}.lock`;
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw new PmanError('system', `cannot lock "${file}": ${(err as Error).message}`, { cause: err });
  }
  held.add(dir);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', removeHeld);
  }
  // Held longer than half the stale time (a pull, a load): keep its mtime fresh, as
  // proper-lockfile does, so nobody takes it for abandoned.
  const refresh = setInterval(() => {
    const now = new Date();
    try {
      fs.utimesSync(dir, now, now);
    } catch {
      /* removed under us: the next holder's business */
    }
  }, STALE_MS / 2);
  refresh.unref();
  return () => {
    clearInterval(refresh);
    held.delete(dir);
    try {
      fs.rmdirSync(dir);
    } catch {
      /* taken over as stale meanwhile */
    }
  };
}

/** Waits for a busy lock (proper-lockfile, loaded only then: with graceful-fs it is ~3 ms). */
async function waitForLock(file: string): Promise<() => Promise<void>> {
  const { default: lockfile } = await import('proper-lockfile');
  try {
    return await lockfile.lock(file, {
      realpath: false,
      stale: STALE_MS,
      retries: { retries: 600, factor: 1.2, minTimeout: 5, maxTimeout: 100 },
    });
  } catch (err) {
    throw new PmanError('system', `cannot lock "${file}": ${(err as Error).message}; another pman command may be stuck`, { cause: err });
  }
}

/** Runs fn while holding the lock on `file` (which need not exist). */
export async function withLock<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const free = tryLock(file);
  const release = free ?? (await waitForLock(file));
  try {
    return await fn();
  } finally {
    await Promise.resolve(release()).catch(() => undefined);
  }
}
