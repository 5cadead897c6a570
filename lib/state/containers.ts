// The container store: records on disk, names, ID resolution, locked updates. Every change to a
// record happens in updateContainer (under that container's lock) or at creation.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { ConflictError, CorruptStateError, InvalidArgumentError, NotFoundError, PmanError, systemError } from '../errors.js';
import { listStateDir, loadEach, readJsonValidated, writeJsonAtomic } from './atomic.js';
import { initialState, validateContainerRecord, ZERO_TIME, type ContainerRecord } from './container-record.js';
import { ID_RE, NAME_RE, shortId } from './ids.js';
import { withLock } from './lock.js';
import { containerDir, containersDir, namesDir, podRecordPath } from './paths.js';
import { processAlive, processStartTime } from '../util/proc.js';

export function recordPath(ctx: Context, id: string): string {
  return path.join(containerDir(ctx, id), 'container.json');
}

export function loadContainer(ctx: Context, id: string): ContainerRecord {
  return readJsonValidated(recordPath(ctx, id), validateContainerRecord, `container ${shortId(id)} record`);
}

/**
 * The record, or for one that cannot be read (corrupt, invalid) a stand-in with status `unknown`
 * and the reason in `state.error`: enough to list, inspect, read the logs of, and remove the
 * container (docs/reliability.md). Never written back.
 */
export function loadContainerOrUnreadable(ctx: Context, id: string, warn?: (message: string) => void): ContainerRecord {
  try {
    return loadContainer(ctx, id);
  } catch (err) {
    if (!(err instanceof CorruptStateError)) throw err;
    warn?.(err.message);
    return unreadableContainer(ctx, id, err.message);
  }
}

/** Is this the stand-in for a record that cannot be read? */
export function isUnreadable(rec: ContainerRecord): boolean {
  return rec.state.status === 'unknown';
}

function unreadableContainer(ctx: Context, id: string, reason: string): ContainerRecord {
  const dir = containerDir(ctx, id);
  let created = ZERO_TIME;
  try {
    created = fs.statSync(dir).mtime.toISOString();
  } catch {
    /* removed meanwhile: the zero time */
  }
  return {
    version: 1,
    id,
    name: nameOf(ctx, id) ?? shortId(id),
    created,
    image: '',
    imageName: '',
    layers: [],
    config: {
      entrypoint: [], cmd: [], env: [], workingDir: '/', user: '', hostname: shortId(id), labels: {}, stopSignal: 'SIGTERM',
      stopTimeout: 10, tty: false, interactive: false, autoRemove: false, logDriver: 'k8s-file', logPath: path.join(dir, 'ctr.log'), runtime: 'runc',
    },
    state: { ...initialState(), status: 'unknown', error: reason },
  };
}

/** The name reserved for a container ID (a scan of the names: only for a record that cannot say). */
export function nameOf(ctx: Context, id: string): string | undefined {
  return listStateDir(namesDir(ctx), 'names', (n) => NAME_RE.test(n)).find((n) => nameOwner(ctx, n) === id);
}

export function saveContainer(ctx: Context, rec: ContainerRecord): void {
  writeJsonAtomic(recordPath(ctx, rec.id), rec);
}

/** Re-reads the record under its lock, lets fn change it, writes it back. Returns the new record. */
export async function updateContainer(
  ctx: Context,
  id: string,
  fn: (rec: ContainerRecord) => void | Promise<void>,
): Promise<ContainerRecord> {
  return withLock(recordPath(ctx, id), async () => {
    const rec = loadContainer(ctx, id);
    await fn(rec);
    saveContainer(ctx, rec);
    return rec;
  });
}

/** Runs fn under the container's lock with the current record, without writing it. */
export async function withContainerLock<T>(ctx: Context, id: string, fn: (rec: ContainerRecord) => Promise<T> | T): Promise<T> {
  return withLock(recordPath(ctx, id), () => fn(loadContainer(ctx, id)));
}

export function listContainerIds(ctx: Context): string[] {
  return listStateDir(containersDir(ctx), 'containers', (n) => ID_RE.test(n));
}

/**
 * All container records. A corrupt record is reported with one warning naming its file and left
 * out of the list (it is never silently dropped or overwritten); a record that vanished while
 * listing (removed concurrently) is skipped.
 */
export function listContainers(ctx: Context): ContainerRecord[] {
  return loadEach(listContainerIds(ctx), (id) => loadContainer(ctx, id), ctx.warn);
}

/**
 * Every container, those whose record cannot be read as `unknown` stand-ins (each still warned
 * about once): for `ps` and `rm --all`, which must show and free them.
 */
export function listContainersWithUnreadable(ctx: Context): ContainerRecord[] {
  return loadEach(listContainerIds(ctx), (id) => loadContainerOrUnreadable(ctx, id, ctx.warn), ctx.warn);
}

/** Reserves a name for a container ID atomically (a symlink names/<name> -> id). */
export function reserveName(ctx: Context, name: string, id: string): void {
  if (!NAME_RE.test(name)) {
    throw new InvalidArgumentError(`invalid container name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  }
  fs.mkdirSync(namesDir(ctx), { recursive: true, mode: 0o700 });
  try {
    fs.symlinkSync(id, path.join(namesDir(ctx), name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      const owner = nameOwner(ctx, name);
      if (owner && !fs.existsSync(recordPath(ctx, owner)) && !fs.existsSync(podRecordPath(ctx, owner)) && !beingCreated(ctx, owner)) {
        // A leftover from a crashed create or rm (its directory may be left too: it holds no
        // record, so it names no container): reclaim it.
        fs.rmSync(path.join(namesDir(ctx), name), { force: true });
        fs.rmSync(creatingMarker(ctx, owner), { force: true });
        return reserveName(ctx, name, id);
      }
      if (owner && fs.existsSync(podRecordPath(ctx, owner))) {
        throw new ConflictError(`the name "${name}" is already in use by pod ${shortId(owner)}: remove that pod or choose another name`);
      }
      throw new ConflictError(
        `the container name "${name}" is already in use by ${owner ? shortId(owner) : 'another container'}: remove that container or choose another name`,
      );
    }
    throw systemError(`reserve container name "${name}"`, err);
  }
}

/**
 * While a container is being created, `.creating-<id>` in the containers directory names the
 * creating process (pid and start time). A name reserved for an ID with no record yet is a
 * leftover of a crash only when no live process is still creating that container: without this,
 * a second `create --name X` could take the name in the moment between the first one's reservation
 * and its record, and both would succeed.
 */
export function creatingMarker(ctx: Context, id: string): string {
  return path.join(containersDir(ctx), `.creating-${id}`);
}

export function markCreating(ctx: Context, id: string): void {
  fs.mkdirSync(containersDir(ctx), { recursive: true, mode: 0o700 });
  fs.writeFileSync(creatingMarker(ctx, id), `${process.pid} ${processStartTime(process.pid)}\n`, { mode: 0o600 });
}

export function unmarkCreating(ctx: Context, id: string): void {
  fs.rmSync(creatingMarker(ctx, id), { force: true });
}

export function beingCreated(ctx: Context, id: string): boolean {
  let text: string;
  try {
    text = fs.readFileSync(creatingMarker(ctx, id), 'utf8');
  } catch {
    return false;
  }
  const [pid, start] = text.trim().split(' ').map(Number);
  return Number.isSafeInteger(pid) && processAlive(pid, start);
}

export function releaseName(ctx: Context, name: string, id: string): void {
  if (nameOwner(ctx, name) === id) fs.rmSync(path.join(namesDir(ctx), name), { force: true });
}

export function nameOwner(ctx: Context, name: string): string | undefined {
  try {
    return fs.readlinkSync(path.join(namesDir(ctx), name));
  } catch {
    return undefined;
  }
}

/**
 * Finds a container by full ID, name, or unique ID prefix (podman's order). Throws NotFoundError
 * or an "ambiguous" InvalidArgumentError.
 */
export function resolveContainer(ctx: Context, ref0: string): ContainerRecord {
  // docker's API and `docker inspect` show names with a leading "/": scripts pass them back.
  const ref = ref0.startsWith('/') && NAME_RE.test(ref0.slice(1)) ? ref0.slice(1) : ref0;
  if (!ref) throw new InvalidArgumentError('a container name or ID is required');
  if (ID_RE.test(ref) && fs.existsSync(recordPath(ctx, ref))) return loadContainerOrUnreadable(ctx, ref);
  if (NAME_RE.test(ref)) {
    const owner = nameOwner(ctx, ref);
    if (owner && fs.existsSync(recordPath(ctx, owner))) return loadContainerOrUnreadable(ctx, owner);
  }
  if (/^[0-9a-f]+$/.test(ref)) {
    const matches = listContainerIds(ctx).filter((id) => id.startsWith(ref));
    if (matches.length > 1) {
      throw new InvalidArgumentError(
        `container ID prefix "${ref}" is ambiguous: it matches ${matches.map(shortId).join(', ')}; give more characters`,
      );
    }
    if (matches.length === 1) return loadContainerOrUnreadable(ctx, matches[0]);
  }
  throw new NotFoundError(`no container with name or ID "${ref}" found: run "pman ps -a" to list containers`);
}

/** Creates the container's directory and first record; the name must already be reserved. */
export function createContainerRecord(ctx: Context, rec: ContainerRecord): void {
  const dir = containerDir(ctx, rec.id);
  try {
    fs.mkdirSync(containersDir(ctx), { recursive: true, mode: 0o700 });
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    throw systemError(`create container directory "${dir}"`, err);
  }
  saveContainer(ctx, rec);
}

/**
 * Removes a container's record, its directory and its name. The caller has stopped and unmounted
 * it, and removes a log kept outside that directory (removeContainerLog in lib/logs/log-files.ts).
 */
export function deleteContainerFiles(ctx: Context, rec: ContainerRecord): void {
  const dir = containerDir(ctx, rec.id);
  // Drop the record first so a crash half-way leaves no record pointing at half-removed files.
  try {
    fs.rmSync(recordPath(ctx, rec.id), { force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  } catch (err) {
    throw new PmanError('system', `cannot remove container ${shortId(rec.id)} files in "${dir}": ${(err as Error).message}`, { cause: err });
  }
  releaseName(ctx, rec.name, rec.id);
}
