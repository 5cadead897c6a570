// ID maps of the user namespace: written once for the pause process when the namespace is made
// (newuidmap/newgidmap for the subordinate ranges, else a single mapping the user may write
// alone), and read back from inside by the spec generator.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import type { IdRange } from './subids.js';

export interface MappingRequest {
  pid: number;
  uid: number;
  gid: number;
  subuid?: IdRange;
  subgid?: IdRange;
}

export interface MappingResult {
  /** Both maps cover 0 plus the subordinate ranges. */
  full: boolean;
  /** The user has no range in /etc/subuid or /etc/subgid at all. */
  noRanges: boolean;
  /** Why a map got the single mapping (for one warning), when one did. */
  reason?: string;
}

function helper(tool: string, pid: number, id: number, range: IdRange): string | undefined {
  const args = [String(pid), '0', String(id), '1', '1', String(range.start), String(range.count)];
  const r = spawnSync(tool, args, { encoding: 'utf8' });
  if (r.error) return `${tool}: ${(r.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not installed (install uidmap)' : r.error.message}`;
  if (r.status !== 0) return `${tool}: ${(r.stderr || `exit status ${r.status}`).trim()}`;
  return undefined;
}

/** 0 -> the user only: what an unprivileged process may write itself (after denying setgroups). */
function single(pid: number, kind: 'uid' | 'gid', id: number): void {
  if (kind === 'gid') fs.writeFileSync(`/proc/${pid}/setgroups`, 'deny');
  fs.writeFileSync(`/proc/${pid}/${kind}_map`, `0 ${id} 1\n`);
}

/**
 * Maps 0 to the user and 1..count to the subordinate range (like podman), falling back to the
 * single mapping for whichever map the helper could not write.
 */
export function writeIdMaps(req: MappingRequest): MappingResult {
  const uidError = req.subuid ? helper('newuidmap', req.pid, req.uid, req.subuid) : 'no range in /etc/subuid';
  if (uidError) single(req.pid, 'uid', req.uid);
  const gidError = req.subgid ? helper('newgidmap', req.pid, req.gid, req.subgid) : 'no range in /etc/subgid';
  if (gidError) single(req.pid, 'gid', req.gid);
  const reason = [uidError, gidError].filter(Boolean).join('; ') || undefined;
  return { full: !reason, noRanges: !req.subuid && !req.subgid, reason };
}

/** How many IDs a map text (/proc/PID/uid_map) covers. */
export function mappedCount(text: string): number {
  let n = 0;
  for (const line of text.trim().split('\n')) {
    const count = Number(line.trim().split(/\s+/)[2]);
    if (Number.isFinite(count)) n += count;
  }
  return n;
}

export interface OwnMapping {
  /** More than one uid is mapped (the subordinate range is there). */
  subuids: boolean;
  subgids: boolean;
  /** setgroups(2) is allowed (it is denied with a single gid mapping). */
  setgroups: boolean;
}

/** The mapping of the namespace this process runs in. */
export function ownMapping(): OwnMapping {
  const read = (f: string) => {
    try {
      return fs.readFileSync(`/proc/self/${f}`, 'utf8');
    } catch {
      return '';
    }
  };
  return {
    subuids: mappedCount(read('uid_map')) > 1,
    subgids: mappedCount(read('gid_map')) > 1,
    setgroups: read('setgroups').trim() !== 'deny',
  };
}
