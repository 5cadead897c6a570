// The named-volume store: create (atomically: a complete directory is renamed into place), load,
// list, find the containers using a volume, remove. Changes to one volume happen under its lock
// (locks/volumes/<name>), which container creation also holds while it records a new user, so a
// volume cannot be removed between being checked and being used.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { ConflictError, InvalidArgumentError, NotFoundError, PmanError, systemError } from '../errors.js';
import { listStateDir, loadEach, readJsonValidated, writeJsonAtomic } from '../state/atomic.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers } from '../state/containers.js';
import { NAME_RE, newId, shortId } from '../state/ids.js';
import { withLock } from '../state/lock.js';
import { locksDir, volumesDir } from '../state/paths.js';
import { objectEvent } from '../events/events-file.js';
import { validateVolumeRecord, type VolumeRecord } from './volume-record.js';
import { failpoint } from '../util/failpoint.js';

export function volumeDir(ctx: Context, name: string): string {
  return path.join(volumesDir(ctx), name);
}

/** The directory containers see: what `inspect` calls the Mountpoint. */
export function volumeDataDir(ctx: Context, name: string): string {
  return path.join(volumeDir(ctx, name), '_data');
}

function recordFile(ctx: Context, name: string): string {
  return path.join(volumeDir(ctx, name), 'volume.json');
}

export function loadVolume(ctx: Context, name: string): VolumeRecord {
  if (!NAME_RE.test(name)) throw new NotFoundError(`no volume with name "${name}" found: run "pman volume ls" to list volumes`);
  try {
    return readJsonValidated(recordFile(ctx, name), validateVolumeRecord, `volume "${name}" record`);
  } catch (err) {
    if (err instanceof NotFoundError) throw new NotFoundError(`no volume with name "${name}" found: run "pman volume ls" to list volumes`);
    throw err;
  }
}

export function volumeExists(ctx: Context, name: string): boolean {
  return NAME_RE.test(name) && fs.existsSync(recordFile(ctx, name));
}

/** All volumes; a corrupt record is reported once and left out, like containers. */
export function listVolumes(ctx: Context): VolumeRecord[] {
  const names = listStateDir(volumesDir(ctx), 'volumes', (n) => NAME_RE.test(n)).sort();
  return loadEach(names, (name) => loadVolume(ctx, name), ctx.warn);
}

/** Runs fn holding the locks of the given volumes (taken in name order, so two callers never deadlock). */
export async function withVolumeLocks<T>(ctx: Context, names: string[], fn: () => Promise<T> | T): Promise<T> {
  const sorted = [...new Set(names)].sort();
  const take = (i: number): Promise<T> =>
    i >= sorted.length ? Promise.resolve(fn()) : withLock(path.join(locksDir(ctx), 'volumes', sorted[i]), () => take(i + 1));
  return take(0);
}

export interface CreateVolumeOptions {
  name?: string;
  labels?: Record<string, string>;
  options?: Record<string, string>;
  anonymous?: boolean;
}

/** Owner for the data directory from --opt o=uid=N,gid=N (the local driver's one option pman has). */
export function parseVolumeOptions(options: Record<string, string>): { uid?: number; gid?: number } {
  const out: { uid?: number; gid?: number } = {};
  for (const [k, v] of Object.entries(options)) {
    if (k !== 'o') {
      throw new InvalidArgumentError(`invalid volume option "${k}": only o=uid=N,gid=N is supported (pman's local volumes are plain directories)`);
    }
    for (const part of v.split(',').filter(Boolean)) {
      const m = /^(uid|gid)=([0-9]+)$/.exec(part);
      if (!m) throw new InvalidArgumentError(`invalid volume option o="${v}": only uid=N and gid=N are supported`);
      out[m[1] as 'uid' | 'gid'] = Number(m[2]);
    }
  }
  return out;
}

/** The data directory's owner a volume was given (o=uid=N,gid=N); none from options that do not read. */
export function volumeOwner(rec: VolumeRecord): { uid?: number; gid?: number } {
  try {
    return parseVolumeOptions(rec.options);
  } catch {
    return {};
  }
}

/** Whether the volume was given an owner: its first use then copies files in but changes no owner (podman: no chown). */
export function keepsOwner(rec: VolumeRecord): boolean {
  const own = volumeOwner(rec);
  return own.uid !== undefined || own.gid !== undefined;
}

/**
 * podman's NeedsChown: the volume's first use is still to give its data directory an owner (the
 * image's directory's there, else the container user's). Never for a volume made with an owner.
 */
export function needsChown(rec: VolumeRecord): boolean {
  return rec.needsCopyUp && rec.ownerGiven !== true && !keepsOwner(rec);
}

/** A volume's options as podman lists them (inspect, `--filter opt=`): as given, plus UID and GID read out of o=. */
export function listedOptions(rec: VolumeRecord): Record<string, string> {
  const own = volumeOwner(rec);
  const all: Record<string, string> = { ...rec.options };
  if (own.uid !== undefined) all.UID = String(own.uid);
  if (own.gid !== undefined) all.GID = String(own.gid);
  // Go prints a map's keys sorted.
  return Object.fromEntries(Object.entries(all).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Creates a volume (a random 64-hex name when anonymous). The caller holds the volume's lock when
 * the name is given. Throws ConflictError when it exists.
 */
export function createVolume(ctx: Context, opts: CreateVolumeOptions): VolumeRecord {
  const name = opts.name ?? newId();
  if (!NAME_RE.test(name)) throw new InvalidArgumentError(`invalid volume name "${name}": names must match [a-zA-Z0-9][a-zA-Z0-9_.-]*`);
  const owner = parseVolumeOptions(opts.options ?? {});
  const rec: VolumeRecord = {
    version: 1,
    name,
    driver: 'local',
    created: new Date().toISOString(),
    labels: opts.labels ?? {},
    options: opts.options ?? {},
    anonymous: opts.anonymous === true,
    needsCopyUp: true,
  };
  const base = volumesDir(ctx);
  const tmp = path.join(base, `.tmp-${name}-${process.pid}-${Date.now()}`);
  try {
    fs.mkdirSync(base, { recursive: true, mode: 0o700 });
    fs.mkdirSync(tmp, { mode: 0o700 });
    fs.mkdirSync(path.join(tmp, '_data'), { mode: 0o755 });
    if (owner.uid !== undefined || owner.gid !== undefined) fs.chownSync(path.join(tmp, '_data'), owner.uid ?? 0, owner.gid ?? 0);
    writeJsonAtomic(path.join(tmp, 'volume.json'), rec);
    failpoint('volume.after-create');
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err instanceof PmanError ? err : systemError(`create volume "${name}"`, err);
  }
  if (volumeExists(ctx, name)) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw new ConflictError(`volume with name "${name}" already exists: choose another name or remove it first`);
  }
  try {
    // An existing volume directory is never empty, so rename cannot replace it.
    fs.renameSync(tmp, volumeDir(ctx, name));
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') throw new ConflictError(`volume with name "${name}" already exists: choose another name or remove it first`);
    throw systemError(`create volume "${name}"`, err);
  }
  objectEvent(ctx, 'volume', 'create', name, name);
  return rec;
}

/** Marks a volume's first use done (its copy-up happened or was skipped). */
export function markCopiedUp(ctx: Context, rec: VolumeRecord): void {
  if (!rec.needsCopyUp) return;
  rec.needsCopyUp = false;
  writeJsonAtomic(recordFile(ctx, rec.name), rec);
}

/** Marks a volume's data directory given its owner, its copy-up still to come (needsChown turns false). */
export function markOwnerGiven(ctx: Context, rec: VolumeRecord): void {
  if (rec.ownerGiven === true || !rec.needsCopyUp) return;
  rec.ownerGiven = true;
  writeJsonAtomic(recordFile(ctx, rec.name), rec);
}

/** Containers whose mounts use the volume. */
export function volumeUsers(ctx: Context, name: string, containers: ContainerRecord[] = listContainers(ctx)): ContainerRecord[] {
  return containers.filter((c) => (c.config.mounts ?? []).some((m) => m.type === 'volume' && m.source === name));
}

/** A volume in use: podman exits 2 for it. */
export class VolumeInUseError extends PmanError {
  constructor(name: string, users: ContainerRecord[]) {
    super('conflict', `volume ${name} is being used by the following container(s): ${users.map((u) => `${shortId(u.id)} (${u.name})`).join(', ')}: remove them first or use --force`, {
      exitCode: 2,
    });
  }
}

/** Deletes a volume's files; the caller holds its lock and has checked it is unused. */
export function deleteVolumeFiles(ctx: Context, name: string): void {
  const dir = volumeDir(ctx, name);
  const doomed = path.join(volumesDir(ctx), `.rm-${name}-${process.pid}-${Date.now()}`);
  try {
    // Rename first so a half-deleted volume is never visible under its name.
    fs.renameSync(dir, doomed);
    failpoint('volume.after-rm-record');
    fs.rmSync(doomed, { recursive: true, force: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw systemError(`remove volume "${name}"`, err);
  }
  objectEvent(ctx, 'volume', 'remove', name, name);
}

/**
 * What a crashed `volume create` or `volume rm` left in the volumes directory: `.tmp-NAME-PID-MS`
 * (made, not yet renamed into place) and `.rm-NAME-PID-MS` (renamed away, not yet deleted), once
 * the process that made them is gone.
 */
export function volumeLeftovers(ctx: Context, alive: (pid: number) => boolean): Array<{ subject: string; problem: string; repair: { what: string; run: () => void } }> {
  const out = [];
  for (const name of listStateDir(volumesDir(ctx), 'volumes', (n) => /^\.(tmp|rm)-.+-[0-9]+-[0-9]+$/.test(n))) {
    const pid = Number(/-([0-9]+)-[0-9]+$/.exec(name)![1]);
    if (alive(pid)) continue;
    const p = path.join(volumesDir(ctx), name);
    out.push({
      subject: `volume directory "${name}"`,
      problem: `left by a ${name.startsWith('.tmp-') ? 'create' : 'removal'} that did not finish`,
      repair: { what: 'removed', run: () => fs.rmSync(p, { recursive: true, force: true }) },
    });
  }
  return out;
}
