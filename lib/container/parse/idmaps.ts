// The ID-map flags of create/run (--uidmap, --gidmap, --subuidname, --subgidname) checked and
// turned into the user namespace a root container gets (docs/userns.md). Pure: the subordinate-ID
// files' text comes in through readSubIds.
import { InvalidArgumentError } from '../../errors.js';
import { rootlessUnsupported } from '../../rootless/unsupported.js';
import type { IdMapRange, IdMapsConfig } from '../../state/container-record.js';

export interface IdMapFlags {
  uidmap: string[];
  gidmap: string[];
  subuidname?: string;
  subgidname?: string;
}

export interface IdMapContext {
  /** --userns as given (it conflicts with every ID-map flag). */
  userns?: string;
  rootless: boolean;
  /** The text of /etc/subuid or /etc/subgid ('' when missing). */
  readSubIds: (file: '/etc/subuid' | '/etc/subgid') => string;
}

/** The largest ID a user namespace can map: 2^32-1 is the kernel's "no ID". */
export const MAX_ID = 4294967294;

export function hasIdMapFlags(f: IdMapFlags | undefined): boolean {
  return !!f && (f.uidmap.length > 0 || f.gidmap.length > 0 || !!f.subuidname || !!f.subgidname);
}

/** One CONTAINER:HOST[:SIZE] (podman 4's syntax; SIZE defaults to 1 as podman 5 reads it). */
export function parseIdRange(text: string, flag: string): IdMapRange {
  const usage = `use CONTAINER_ID:HOST_ID:SIZE, e.g. ${flag} 0:100000:65536`;
  if (/^[+@]/.test(text)) {
    throw new InvalidArgumentError(`invalid ${flag} "${text}": the "+" and "@" prefixes of newer podman releases are for rootless user namespaces; ${usage}`);
  }
  const parts = text.split(':');
  if ((parts.length !== 2 && parts.length !== 3) || parts.some((p) => !/^[0-9]+$/.test(p))) throw new InvalidArgumentError(`invalid ${flag} "${text}": ${usage}`);
  const [container, host, size = 1] = parts.map(Number);
  if (size < 1) throw new InvalidArgumentError(`invalid ${flag} "${text}": the size must be at least 1`);
  if (container + size - 1 > MAX_ID || host + size - 1 > MAX_ID) {
    throw new InvalidArgumentError(`invalid ${flag} "${text}": the range ends beyond ID ${MAX_ID}, the largest a user namespace can map`);
  }
  return { container, host, size };
}

/** Refuses ranges that overlap on either side (the kernel would refuse the map, less clearly). */
export function checkOverlaps(ranges: IdMapRange[], flag: string): void {
  const show = (r: IdMapRange) => `${r.container}:${r.host}:${r.size}`;
  for (let i = 0; i < ranges.length; i++) {
    for (let j = i + 1; j < ranges.length; j++) {
      const a = ranges[i];
      const b = ranges[j];
      for (const side of ['container', 'host'] as const) {
        if (a[side] < b[side] + b.size && b[side] < a[side] + a.size) {
          throw new InvalidArgumentError(`invalid ${flag}: the ranges ${show(a)} and ${show(b)} overlap in their ${side} IDs; give each ID once`);
        }
      }
    }
  }
  // The kernel takes at most 340 lines per map.
  if (ranges.length > 340) throw new InvalidArgumentError(`invalid ${flag}: ${ranges.length} ranges given, a user namespace takes at most 340`);
}

/** Every range of NAME in subuid/subgid text, mapped one after the other from container ID 0. */
export function subIdRanges(text: string, name: string, flag: string, file: string): IdMapRange[] {
  const out = subIdRangesOf(text, name);
  if (out.length === 0) throw new InvalidArgumentError(`invalid ${flag} "${name}": ${file} has no range for "${name}"; add a line ${name}:START:COUNT to it`);
  return out;
}

/** subIdRanges without the check: [] when NAME has no range. */
export function subIdRangesOf(text: string, name: string): IdMapRange[] {
  const out: IdMapRange[] = [];
  let next = 0;
  for (const line of text.split('\n')) {
    const f = line.trim().split(':');
    if (line.trim().startsWith('#') || f.length !== 3 || f[0] !== name) continue;
    if (!/^[0-9]+$/.test(f[1]) || !/^[0-9]+$/.test(f[2]) || Number(f[2]) < 1) continue;
    const host = Number(f[1]);
    const size = Math.min(Number(f[2]), MAX_ID + 1 - host, MAX_ID + 1 - next);
    if (size < 1) continue;
    out.push({ container: next, host, size });
    next += size;
  }
  return out;
}

/**
 * The container's ID maps, or undefined for none of the flags. As podman: a UID map alone serves
 * for GIDs too (and the other way round), and one --sub*name stands for both files.
 */
export function parseIdMaps(f: IdMapFlags, c: IdMapContext): IdMapsConfig | undefined {
  if (!hasIdMapFlags(f)) return undefined;
  const given = f.uidmap.length ? '--uidmap' : f.gidmap.length ? '--gidmap' : f.subuidname ? '--subuidname' : '--subgidname';
  if (c.rootless) {
    throw rootlessUnsupported(given, "a rootless container already runs in your user namespace (root mapped to you, the rest to your /etc/subuid range), and pman does not nest a second one in it");
  }
  if (c.userns) throw new InvalidArgumentError(`${given} cannot be combined with --userns "${c.userns}": the ID maps already choose the container's user namespace`);
  if (f.subuidname && f.uidmap.length) throw new InvalidArgumentError('--subuidname cannot be combined with --uidmap: give the UID map one way');
  if (f.subgidname && f.gidmap.length) throw new InvalidArgumentError('--subgidname cannot be combined with --gidmap: give the GID map one way');
  let uidMap = f.subuidname
    ? subIdRanges(c.readSubIds('/etc/subuid'), f.subuidname, '--subuidname', '/etc/subuid')
    : f.uidmap.map((m) => parseIdRange(m, '--uidmap'));
  let gidMap = f.subgidname
    ? subIdRanges(c.readSubIds('/etc/subgid'), f.subgidname, '--subgidname', '/etc/subgid')
    : f.gidmap.map((m) => parseIdRange(m, '--gidmap'));
  if (uidMap.length === 0 && f.subgidname) uidMap = subIdRanges(c.readSubIds('/etc/subuid'), f.subgidname, '--subgidname', '/etc/subuid');
  if (gidMap.length === 0 && f.subuidname) gidMap = subIdRanges(c.readSubIds('/etc/subgid'), f.subuidname, '--subuidname', '/etc/subgid');
  if (uidMap.length) checkOverlaps(uidMap, f.subuidname ? '--subuidname' : '--uidmap');
  if (gidMap.length) checkOverlaps(gidMap, f.subgidname ? '--subgidname' : '--gidmap');
  return { uidMap: uidMap.length ? uidMap : gidMap, gidMap: gidMap.length ? gidMap : uidMap };
}
