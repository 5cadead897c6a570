// Cross-process locks on state files (proper-lockfile: an atomic mkdir of "<file>.lock", refreshed
// while held, taken over when stale so a crashed holder never blocks others forever).
import fs from 'node:fs';
import path from 'node:path';
import { PmanError } from '../errors.js';

const STALE_MS = 10_000;

/** Loads the lock code ahead of its first use (a shim does, while runc works). */
export function preloadLock(): Promise<unknown> {
  return import('proper-lockfile');
}

/** Runs fn while holding the lock on `file` (which need not exist). */
export async function withLock<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Loaded on first use (with graceful-fs and signal-exit it is ~3 ms of start-up that a
  // command taking no lock, like most `run`s and every `exec`, need not pay).
  const { default: lockfile } = await import('proper-lockfile');
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      realpath: false,
      stale: STALE_MS,
      retries: { retries: 600, factor: 1.2, minTimeout: 5, maxTimeout: 100 },
    });
  } catch (err) {
    throw new PmanError('system', `cannot lock "${file}": ${(err as Error).message}; another pman command may be stuck`, { cause: err });
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
