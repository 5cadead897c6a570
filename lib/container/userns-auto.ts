// --userns=auto for root containers (docs/userns.md): each container gets host IDs no other
// container of the store has, from the /etc/subuid and /etc/subgid ranges of storage.conf's
// root-auto-userns-user ("containers"). Loaded only when a container asks for it.
//
// The allocation runs under the store's lock locks/userns-auto. The new container's record does
// not exist yet then, so the IDs it got are written to a reservation, userns-auto/<id>, which
// counts while its creator is creating it (containers/.creating-<id>: a crash leaves a
// reservation nobody counts) and is removed when the create ends either way; from then on the
// record's config.idMaps holds them, until `rm` removes the record and so frees them.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { loadAutoUsernsConf, type AutoUsernsConf } from '../config/storage-conf.js';
import type { ResolvedUser } from '../oci/spec.js';
import { readImageFile } from '../oci/user.js';
import { writeFileAtomic, listStateDir } from '../state/atomic.js';
import type { IdMapRange, IdMapsConfig } from '../state/container-record.js';
import { beingCreated, listContainers } from '../state/containers.js';
import { ID_RE, shortId } from '../state/ids.js';
import { withLock } from '../state/lock.js';
import { locksDir } from '../state/paths.js';
import { checkNetworkForMaps, checkPassable } from './idmaps.js';
import { subIdRangesOf } from './parse/idmaps.js';
import { walkTree } from '../util/tree-size.js';
import { accountsSize, allocateAutoMaps, autoUsernsSize, countIds, hostSide, normalize, parseAutoUserns, type AutoUsernsSpec, type Interval } from './parse/userns-auto.js';

/** What a container asking for --userns=auto needs, settled before anything is created. */
export interface AutoUsernsRequest {
  spec: AutoUsernsSpec;
  size: number;
  conf: AutoUsernsConf;
  /** Where the mode came from when not --userns (PODMAN_USERNS, containers.conf): refusals say so. */
  from?: string;
  mode?: string;
}

/** A refusal of an auto mode that came from PODMAN_USERNS or containers.conf names that source too. */
function sourced(err: unknown, from: string | undefined, mode: string | undefined): unknown {
  return from && err instanceof InvalidArgumentError ? new InvalidArgumentError(`${err.message} (${from} is "${mode}")`) : err;
}

export function reservationsDir(ctx: Context): string {
  return path.join(ctx.root, 'userns-auto');
}

function reservationFile(ctx: Context, id: string): string {
  return path.join(reservationsDir(ctx), id);
}

function lockFile(ctx: Context): string {
  return path.join(locksDir(ctx), 'userns-auto');
}

function readSubIds(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The auto user's host IDs in one of the files; refused in one line when it has none. */
function poolOf(conf: AutoUsernsConf, file: '/etc/subuid' | '/etc/subgid'): Interval[] {
  const ranges = subIdRangesOf(readSubIds(file), conf.user);
  if (ranges.length === 0) {
    const where = conf.file ? ` (root-auto-userns-user in ${conf.file})` : '';
    throw new InvalidArgumentError(
      `cannot use --userns=auto: ${file} has no range for "${conf.user}"${where}; add one for the containers' IDs, e.g. the line ${conf.user}:2147483647:2147483648 (podman's recommendation) to /etc/subuid and /etc/subgid`,
    );
  }
  return normalize(ranges.map(hostSide));
}

/** The highest UID or GID owning a file in the layers, plus one (symlinks not followed). */
export function layersSize(layers: string[]): number {
  let size = 0;
  for (const layer of layers) walkTree(layer, (st) => (size = Math.max(size, st.uid + 1, st.gid + 1)));
  return size;
}

/**
 * Checks --userns=auto for a container of the image `layers` run as `user`, and works out the
 * namespace's size: size=, or the image's highest ID in use (files and accounts) and the user's,
 * plus one, at least auto-userns-min-size and at most auto-userns-max-size (storage.conf).
 */
export function autoUsernsRequest(ctx: Context, mode: string, user: ResolvedUser, layers: string[], env: NodeJS.ProcessEnv, network?: string, from?: string): AutoUsernsRequest {
  try {
    return { ...checkedRequest(ctx, mode, user, layers, env, network), ...(from ? { from, mode } : {}) };
  } catch (err) {
    throw sourced(err, from, mode);
  }
}

function checkedRequest(ctx: Context, mode: string, user: ResolvedUser, layers: string[], env: NodeJS.ProcessEnv, network?: string): AutoUsernsRequest {
  const spec = parseAutoUserns(mode);
  checkNetworkForMaps(network);
  checkPassable(ctx.root, undefined);
  const conf = loadAutoUsernsConf(env);
  poolOf(conf, '/etc/subuid');
  poolOf(conf, '/etc/subgid');
  const forced = (ranges: IdMapRange[], id: number) => ranges.some((r) => id >= r.container && id < r.container + r.size);
  // The user counts unless a forced range maps it already.
  const userNeeds = Math.max(forced(spec.uidMapping, user.uid) ? 0 : user.uid + 1, forced(spec.gidMapping, user.gid) ? 0 : user.gid + 1);
  const needed = Math.max(layersSize(layers), accountsSize(readImageFile(layers, 'etc/passwd'), readImageFile(layers, 'etc/group')), userNeeds);
  const size = autoUsernsSize(spec, needed, conf);
  const inside = (ranges: IdMapRange[], id: number) => id < size || forced(ranges, id);
  if (!inside(spec.uidMapping, user.uid)) throw new InvalidArgumentError(`the container's user (UID ${user.uid}) is not in its user namespace of ${size} IDs: give a larger --userns=auto:size=, or choose another --user`);
  if (!inside(spec.gidMapping, user.gid)) throw new InvalidArgumentError(`the container's group (GID ${user.gid}) is not in its user namespace of ${size} IDs: give a larger --userns=auto:size=, or choose another --user`);
  return { spec, size, conf };
}

function isRange(r: unknown): r is IdMapRange {
  const x = r as IdMapRange;
  return typeof r === 'object' && r !== null && [x.container, x.host, x.size].every((n) => Number.isSafeInteger(n) && n >= 0);
}

/** A reservation's maps (untrusted: anything malformed counts for nothing). */
function readReservation(file: string): IdMapsConfig | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(file, 'utf8')) as IdMapsConfig;
    return Array.isArray(m.uidMap) && Array.isArray(m.gidMap) && m.uidMap.every(isRange) && m.gidMap.every(isRange) ? m : undefined;
  } catch {
    return undefined;
  }
}

/** Reservations whose creator is gone (for `system check` and the next allocation). */
export function staleReservations(ctx: Context): string[] {
  return listStateDir(reservationsDir(ctx), 'user namespace reservations', (n) => ID_RE.test(n)).filter((id) => !beingCreated(ctx, id));
}

/** Every range held: the maps of all containers (given or auto) and of live reservations. */
function usedRanges(ctx: Context): { uid: IdMapRange[]; gid: IdMapRange[] } {
  const used = { uid: [] as IdMapRange[], gid: [] as IdMapRange[] };
  const add = (m: IdMapsConfig | undefined) => {
    if (!m) return;
    used.uid.push(...m.uidMap);
    used.gid.push(...m.gidMap);
  };
  for (const rec of listContainers(ctx)) add(rec.config.idMaps);
  const stale = new Set(staleReservations(ctx));
  for (const id of listStateDir(reservationsDir(ctx), 'user namespace reservations', (n) => ID_RE.test(n))) {
    if (stale.has(id)) fs.rmSync(reservationFile(ctx, id), { force: true });
    else add(readReservation(reservationFile(ctx, id)));
  }
  return used;
}

/**
 * For tests only (docs/userns.md): PMAN_USERNS_AUTO_HOLD=FILE stops the allocation once it has
 * chosen the IDs and before it reserves them: FILE.held is made, and it goes on when FILE.go
 * exists. Read when this module is loaded, i.e. only by a create with --userns=auto.
 */
const HOLD = process.env.PMAN_USERNS_AUTO_HOLD;

async function holdForTest(file: string): Promise<void> {
  fs.writeFileSync(`${file}.held`, '');
  while (!fs.existsSync(`${file}.go`)) await new Promise((r) => setTimeout(r, 20));
}

/** Allocates container `id`'s maps under the store's lock and reserves them until its create ends. */
export async function reserveAutoUserns(ctx: Context, id: string, req: AutoUsernsRequest): Promise<IdMapsConfig> {
  try {
    return await reserveUnderLock(ctx, id, req);
  } catch (err) {
    throw sourced(err, req.from, req.mode);
  }
}

function reserveUnderLock(ctx: Context, id: string, req: AutoUsernsRequest): Promise<IdMapsConfig> {
  return withLock(lockFile(ctx), async () => {
    const available = { uid: poolOf(req.conf, '/etc/subuid'), gid: poolOf(req.conf, '/etc/subgid') };
    const got = allocateAutoMaps(req.size, req.spec, available, usedRanges(ctx));
    if (!('uidMap' in got)) {
      const file = got.side === 'uid' ? '/etc/subuid' : '/etc/subgid';
      const what = got.side === 'uid' ? 'UIDs' : 'GIDs';
      if (got.ranges) {
        throw new InvalidArgumentError(`cannot give container ${shortId(id)} a user namespace with --userns=auto: the free ${what} of "${req.conf.user}" in ${file} are split into ${got.ranges} pieces, more than the 340 a map may have; remove containers, or add a larger range to ${file}`);
      }
      throw new InvalidArgumentError(
        `cannot give container ${shortId(id)} a user namespace of ${got.needed} ${what} with --userns=auto: only ${got.free} of the ${countIds(available[got.side])} ${what} of "${req.conf.user}" in ${file} are not used by other containers; remove containers, give a smaller --userns=auto:size=, or add a range to ${file}`,
      );
    }
    if (HOLD) await holdForTest(HOLD);
    fs.mkdirSync(reservationsDir(ctx), { recursive: true, mode: 0o700 });
    writeFileAtomic(reservationFile(ctx, id), JSON.stringify(got));
    return got;
  });
}

/** Ends container `id`'s reservation (its record holds the maps now, or it was not made). */
export function dropAutoReservation(ctx: Context, id: string): void {
  fs.rmSync(reservationFile(ctx, id), { force: true });
}
