// Cross-process locks on state files. A lock is the directory "<file>.lock", made with an atomic
// mkdir, and it belongs to the process named by its `owner` link ("PID STARTTIME PIDNS", made with
// an atomic symlink: it cannot exist half-written). A waiter that finds the owner dead takes the
// lock over at once; a live owner, however slow, is never robbed. docs/reliability.md gives the
// protocol and why each step is safe; in short:
// - taking: mkdir, then symlink `owner` (whoever makes `owner` holds the lock: a creator that was
//   too slow and finds one there waits like anyone else);
// - releasing: rename the directory to a unique name, then remove that (a take-over in progress
//   can then not put the old owner back into a released or newer lock);
// - taking over: rename `owner` to `taking-<our id>` (only one waiter can), look at it again: dead,
//   we make our own `owner`; alive after all (the lock changed hands meanwhile), we link it back.
//   No one else makes `owner` while it is away: the directory still exists, so nobody can mkdir it;
// - a lock without an owner (a creator killed between mkdir and symlink, an older pman, which
//   knows only the directory), or with an owner we cannot judge, is taken over once not refreshed
//   for STALE_MS; `taking-` links of a waiter that died mid-way are adopted by the next one.
// Holders refresh the directory's and the link's times every STALE_MS / 2 for that rule.
import fs from 'node:fs';
import path from 'node:path';
import { PmanError } from '../errors.js';
import { trace } from '../util/trace.js';
import { ownerId, ownerPid, ownerState } from './lock-owner.js';

/** A lock neither refreshed nor provably held for this long is taken over. */
export const STALE_MS = 10_000;

const OWNER = 'owner';
const TAKING = 'taking-';
/** How often a waiter looks again (ms), growing to MAX_DELAY; after ATTEMPTS it gives up (~60 s). */
const FIRST_DELAY = 5;
const MAX_DELAY = 100;
const ATTEMPTS = 600;

/** Lock directories this process holds: released if it exits holding them. */
const held = new Map<string, () => void>();
let exitHook = false;
let released = 0;

function code(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException).code;
}

function lockError(file: string, err: unknown): PmanError {
  return new PmanError('system', `cannot lock "${file}": ${(err as Error).message}`, { cause: err });
}

function readOwner(link: string): string | undefined {
  try {
    return fs.readlinkSync(link);
  } catch {
    return undefined;
  }
}

function olderThanStale(p: string): boolean {
  try {
    return Date.now() - fs.lstatSync(p).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

/** Whether the owner recorded in `link` has let go of the lock for good. */
function abandoned(link: string, owner: string): boolean {
  const state = ownerState(owner);
  return state === 'unknown' ? olderThanStale(link) : state === 'dead';
}

/** Makes `owner` in dir: true when it is ours now. */
function claim(file: string, dir: string): boolean {
  try {
    fs.symlinkSync(ownerId(), path.join(dir, OWNER));
    return true;
  } catch (err) {
    if (code(err) === 'EEXIST' || code(err) === 'ENOENT') return false;
    throw lockError(file, err);
  }
}

/** Our hold on dir (its `owner` is ours): kept fresh, released by the function returned. */
function hold(dir: string): () => void {
  const link = path.join(dir, OWNER);
  // Held longer than half the stale time (a pull, a load): keep the times fresh, so a waiter that
  // cannot judge us (or an older pman) does not take us for gone.
  const refresh = setInterval(() => {
    const now = new Date();
    try {
      fs.utimesSync(dir, now, now);
      fs.lutimesSync(link, now, now);
    } catch {
      /* removed under us */
    }
  }, STALE_MS / 2);
  refresh.unref();
  const release = () => {
    clearInterval(refresh);
    held.delete(dir);
    // Someone else's now? Only a holder nobody could judge that stopped refreshing is taken
    // from. (No owner: a waiter has it in hand and will put it back, unless the lock is gone.)
    const owner = readOwner(link);
    if (owner !== undefined && owner !== ownerId()) return;
    // Out of the way in one step, then removed.
    const gone = `${dir}.gone-${ownerId().replaceAll(' ', '-')}-${released++}`;
    try {
      fs.renameSync(dir, gone);
    } catch (err) {
      if (code(err) === 'ENOENT') return; // removed with its parent (rm of a container)
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    }
    fs.rmSync(gone, { recursive: true, force: true });
  };
  held.set(dir, release);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => [...held.values()].forEach((r) => r()));
  }
  return release;
}

/** Takes the lock if it is free: mkdir and symlink. Returns its release, or undefined when busy. */
function tryLock(file: string, dir: string): (() => void) | undefined {
  try {
    fs.mkdirSync(dir);
  } catch (err) {
    if (code(err) === 'EEXIST') return undefined;
    throw lockError(file, err);
  }
  return claim(file, dir) ? hold(dir) : undefined;
}

/**
 * `taking` is an owner link we moved out of the lock: its owner gone, the lock is ours to claim;
 * alive after all, it goes back.
 */
function settle(file: string, dir: string, taking: string): (() => void) | undefined {
  const owner = readOwner(taking);
  if (owner !== undefined && !abandoned(taking, owner)) {
    try {
      fs.linkSync(taking, path.join(dir, OWNER));
    } catch {
      /* the lock was released (renamed away) meanwhile */
    }
    fs.rmSync(taking, { force: true });
    return undefined;
  }
  const ours = claim(file, dir);
  fs.rmSync(taking, { force: true });
  if (!ours) return undefined;
  const how = owner === undefined ? 'an empty owner link' : ownerState(owner) === 'dead' ? `dead pid ${ownerPid(owner)}` : `pid ${ownerPid(owner)}, stale`;
  trace(`lock ${dir}: taken over from ${how}`);
  return hold(dir);
}

/** Takes a busy lock over when its holder is provably gone (or stale); undefined otherwise. */
function takeOver(file: string, dir: string): (() => void) | undefined {
  const link = path.join(dir, OWNER);
  const taking = path.join(dir, `${TAKING}${ownerId().replaceAll(' ', '-')}`);
  const owner = readOwner(link);
  if (owner !== undefined) {
    if (!abandoned(link, owner)) return undefined;
    try {
      fs.renameSync(link, taking);
    } catch {
      return undefined; // another waiter moved it first, or it was released
    }
    return settle(file, dir, taking);
  }
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return undefined; // released
  }
  // An owner link in transit: its taker is about to settle it, unless it died doing so.
  for (const name of names.filter((n) => n.startsWith(TAKING))) {
    const taker = name.slice(TAKING.length).replaceAll('-', ' ');
    if (!abandoned(path.join(dir, name), taker)) return undefined;
    try {
      fs.renameSync(path.join(dir, name), taking);
    } catch {
      continue;
    }
    return settle(file, dir, taking);
  }
  if (names.includes(OWNER) || !olderThanStale(dir) || !claim(file, dir)) return undefined;
  trace(`lock ${dir}: taken over, nobody owned it for ${STALE_MS / 1000} s`);
  return hold(dir);
}

/** Waits for a busy lock, taking it over when its holder is gone. */
async function waitForLock(file: string, dir: string): Promise<() => void> {
  trace(`lock ${dir}: waiting`);
  let delay = FIRST_DELAY;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(MAX_DELAY, delay * 1.2);
    const release = tryLock(file, dir) ?? takeOver(file, dir);
    if (release) return release;
  }
  const owner = readOwner(path.join(dir, OWNER));
  const by = owner === undefined ? '' : ` by pid ${ownerPid(owner)}`;
  throw new PmanError('system', `cannot lock "${file}": it is held${by}; another pman command may be stuck`);
}

/** Runs fn while holding the lock on `file` (which need not exist). */
export async function withLock<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const dir = `${file}.lock`;
  const release = tryLock(file, dir) ?? takeOver(file, dir) ?? (await waitForLock(file, dir));
  try {
    return await fn();
  } finally {
    release();
  }
}

/**
 * Why the lock directory `dir` is abandoned (its owner gone, or nobody owning it nor refreshing it
 * for STALE_MS), or undefined while it may be held. For `system check`.
 */
export function abandonedLock(dir: string): string | undefined {
  const owner = readOwner(path.join(dir, OWNER));
  if (owner !== undefined) {
    if (!abandoned(path.join(dir, OWNER), owner)) return undefined;
    return ownerState(owner) === 'dead' ? `held by pid ${ownerPid(owner)}, which is gone` : `held by nobody for over ${STALE_MS / 1000} s`;
  }
  return olderThanStale(dir) ? `held by nobody for over ${STALE_MS / 1000} s` : undefined;
}

/** For `system check`: why a directory named NAME.lock.gone-ID-N is left over, if it is (its releaser died). */
export function releaseRemains(name: string): string | undefined {
  const m = /\.lock\.gone-([0-9]+-[0-9]+-[0-9]+)-[0-9]+$/.exec(name);
  return m && ownerState(m[1].replaceAll('-', ' ')) !== 'alive' ? 'left by a release that was cut short' : undefined;
}

/** Frees an abandoned lock the way a waiter would (take it over, release it); false if it is held. */
export function breakLock(dir: string): boolean {
  const file = dir.slice(0, -'.lock'.length);
  const release = takeOver(file, dir);
  release?.();
  return release !== undefined;
}
