// --userns=auto[:size=N][,uidmapping=C:H:S][,gidmapping=C:H:S] for root containers
// (docs/userns.md): the spec checked, the size a container needs, and the allocation of host IDs
// that no other container uses from the ranges of the auto user (storage.conf's
// root-auto-userns-user, "containers"). Pure: files, records and locks are userns-auto.ts's.
import { InvalidArgumentError } from '../../errors.js';
import type { IdMapRange, IdMapsConfig } from '../../state/container-record.js';
import { checkOverlaps, MAX_ID } from './idmaps.js';

export interface AutoUsernsSpec {
  /** size=: the namespace's size, else computed from the image (autoUsernsSize). */
  size?: number;
  /** uidmapping=/gidmapping=: ranges forced into the map as given, host IDs included. */
  uidMapping: IdMapRange[];
  gidMapping: IdMapRange[];
}

/** [start, end) intervals of IDs. */
export interface Interval {
  start: number;
  end: number;
}

const USAGE = 'use auto[:size=N][,uidmapping=CONTAINER_ID:HOST_ID:SIZE][,gidmapping=CONTAINER_ID:HOST_ID:SIZE]';

export function isAutoUserns(mode: string | undefined): boolean {
  return mode === 'auto' || (mode?.startsWith('auto:') ?? false);
}

/** `from`: where the mode came from when not --userns (PODMAN_USERNS, containers.conf's userns). */
function bad(mode: string, why: string, from = '--userns'): InvalidArgumentError {
  return new InvalidArgumentError(`invalid ${from} "${mode}": ${why}`);
}

function mapping(mode: string, key: string, value: string, from?: string): IdMapRange {
  if (!/^[0-9]+:[0-9]+:[0-9]+$/.test(value)) throw bad(mode, `${key} takes CONTAINER_ID:HOST_ID:SIZE, e.g. ${key}=0:100000:1`, from);
  const [container, host, size] = value.split(':').map(Number);
  if (size < 1 || container + size - 1 > MAX_ID || host + size - 1 > MAX_ID) {
    throw bad(mode, `the ${key} range ${value} must have a size of at least 1 and end at or below ID ${MAX_ID}`, from);
  }
  return { container, host, size };
}

/** Parses an auto mode as podman 4 does (options after the first ':', separated by ','). */
export function parseAutoUserns(mode: string, from?: string): AutoUsernsSpec {
  const spec: AutoUsernsSpec = { uidMapping: [], gidMapping: [] };
  if (mode === 'auto') return spec;
  const options = mode.slice('auto:'.length);
  if (options === '') throw bad(mode, `no option after "auto:"; ${USAGE}`, from);
  for (const option of options.split(',')) {
    const eq = option.indexOf('=');
    const key = eq < 0 ? option : option.slice(0, eq);
    const value = eq < 0 ? undefined : option.slice(eq + 1);
    if (value === undefined || !['size', 'uidmapping', 'gidmapping'].includes(key)) throw bad(mode, `unknown option "${option}"; ${USAGE}`, from);
    if (key === 'size') {
      if (!/^[0-9]+$/.test(value) || Number(value) < 1 || Number(value) > MAX_ID + 1) throw bad(mode, `size must be a whole number from 1 to ${MAX_ID + 1}, not "${value}"`, from);
      spec.size = Number(value);
    } else {
      (key === 'uidmapping' ? spec.uidMapping : spec.gidMapping).push(mapping(mode, key, value, from));
    }
  }
  checkOverlaps(spec.uidMapping, `${from ?? '--userns'} uidmapping`);
  checkOverlaps(spec.gidMapping, `${from ?? '--userns'} gidmapping`);
  return spec;
}

/**
 * The highest ID the image's accounts use, plus one (0 for none), as containers/storage counts
 * them: the nobody/nogroup accounts and ID 65534 are left out, or most images would need 65535.
 */
export function accountsSize(passwd: string, group: string): number {
  let size = 0;
  const take = (name: string, id: string | undefined) => {
    if (name === 'nobody' || name === 'nogroup' || id === undefined || !/^[0-9]+$/.test(id)) return;
    const n = Number(id);
    if (n !== 65534 && n + 1 > size && n <= MAX_ID) size = n + 1;
  };
  for (const line of passwd.split('\n')) {
    const f = line.split(':');
    if (f.length < 4) continue;
    take(f[0], f[2]);
    take(f[0], f[3]);
  }
  for (const line of group.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3) take(f[0], f[2]);
  }
  return size;
}

export interface SizeLimits {
  minSize: number;
  maxSize: number;
}

/**
 * The namespace's size: size= as given; otherwise what the image and the container's user need
 * (highest ID + 1), at least minSize, refused beyond maxSize (0: no maximum), as podman does.
 */
export function autoUsernsSize(spec: AutoUsernsSpec, needed: number, limits: SizeLimits): number {
  if (spec.size !== undefined) return spec.size;
  const size = Math.max(limits.minSize, needed, 1);
  if (limits.maxSize > 0 && size > limits.maxSize) {
    throw new InvalidArgumentError(
      `cannot give the container a user namespace with --userns=auto: it needs ${size} IDs (its image's files and accounts use IDs up to ${size - 1}), more than auto-userns-max-size (${limits.maxSize}) of storage.conf; give the size with --userns=auto:size=${size}, or raise auto-userns-max-size`,
    );
  }
  return size;
}

/** Sorted, merged intervals. */
export function normalize(list: Interval[]): Interval[] {
  const sorted = list.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

/** from without any ID in minus. */
export function subtract(from: Interval[], minus: Interval[]): Interval[] {
  let out = normalize(from);
  for (const m of normalize(minus)) {
    out = out.flatMap((i) => {
      if (m.end <= i.start || m.start >= i.end) return [i];
      return [
        ...(m.start > i.start ? [{ start: i.start, end: m.start }] : []),
        ...(m.end < i.end ? [{ start: m.end, end: i.end }] : []),
      ];
    });
  }
  return out;
}

export function countIds(list: Interval[]): number {
  return list.reduce((n, i) => n + i.end - i.start, 0);
}

export const hostSide = (r: IdMapRange): Interval => ({ start: r.host, end: r.host + r.size });
const containerSide = (r: IdMapRange): Interval => ({ start: r.container, end: r.container + r.size });

/** A side's allocation, or how many host IDs were free when there are not enough. */
export type SideResult = { map: IdMapRange[] } | { free: number; needed: number };

/**
 * One side (UIDs or GIDs): container IDs 0..size-1 except those of the forced ranges are given,
 * in order, the lowest host IDs of `available` that no range in `used` or the forced ranges
 * holds; the forced ranges are added as they are.
 */
export function allocateSide(size: number, available: Interval[], used: IdMapRange[], forced: IdMapRange[]): SideResult {
  const wanted = subtract([{ start: 0, end: size }], forced.map(containerSide));
  const free = subtract(available, [...used, ...forced].map(hostSide));
  const needed = countIds(wanted);
  if (countIds(free) < needed) return { free: countIds(free), needed };
  const map: IdMapRange[] = [];
  let f = 0;
  let at = free[0]?.start ?? 0;
  for (const w of wanted) {
    let c = w.start;
    while (c < w.end) {
      const n = Math.min(w.end - c, free[f].end - at);
      map.push({ container: c, host: at, size: n });
      c += n;
      at += n;
      if (at === free[f].end && f + 1 < free.length) at = free[++f].start;
    }
  }
  return { map: [...map, ...forced].sort((a, b) => a.container - b.container) };
}

/** The maps, or the side that ran short; more than 340 ranges (a fragmented pool) is refused. */
export function allocateAutoMaps(
  size: number,
  spec: AutoUsernsSpec,
  available: { uid: Interval[]; gid: Interval[] },
  used: { uid: IdMapRange[]; gid: IdMapRange[] },
): IdMapsConfig | { side: 'uid' | 'gid'; free: number; needed: number; ranges?: number } {
  const uid = allocateSide(size, available.uid, used.uid, spec.uidMapping);
  if (!('map' in uid)) return { side: 'uid', ...uid };
  const gid = allocateSide(size, available.gid, used.gid, spec.gidMapping);
  if (!('map' in gid)) return { side: 'gid', ...gid };
  for (const [side, map] of [['uid', uid.map], ['gid', gid.map]] as const) {
    if (map.length > 340) return { side, free: 0, needed: size, ranges: map.length };
  }
  return { uidMap: uid.map, gidMap: gid.map, auto: true };
}
