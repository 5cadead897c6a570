// A `--rm` container's files, retired: its directory is renamed out of the store's view in one
// step, to `containers/.removing-<id>-<pid>-<start time>` (the process doing it), and removed by that
// same process once its client has been told the exit. So `pman run --rm` returns as soon as the
// container is gone (no record, no directory under its ID, its name free: what podman guarantees),
// without waiting for the ~30 unlink/rmdir calls of its directory, each of which waits on the
// filesystem's journal when other processes write. A retired directory whose process is gone
// (killed between the two steps) is a leftover: `system check` reports it, --repair and `rm --all`
// remove it (lib/container/leftovers.ts; docs/state-layout.md, docs/reliability.md).
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { processAlive, processStartTime } from '../util/proc.js';
import { listStateDir } from './atomic.js';
import { deleteContainerFiles, releaseName } from './containers.js';
import type { ContainerRecord } from './container-record.js';
import { ID_RE } from './ids.js';
import { containerDir, containersDir } from './paths.js';

const PREFIX = '.removing-';
const RETIRED_RE = /^\.removing-([0-9a-f]{64})-([1-9][0-9]*)-([0-9]+)$/;

/**
 * Takes the container out of the store (its directory, record included, renamed in one step; its
 * name released) and returns where its files now are, for removeRetired. When the rename cannot
 * be done, the files are removed here and now instead (and undefined is returned).
 */
export function retireContainerFiles(ctx: Context, rec: ContainerRecord): string | undefined {
  if (!ID_RE.test(rec.id)) throw new Error(`not a container ID: ${rec.id}`);
  const retired = path.join(containersDir(ctx), `${PREFIX}${rec.id}-${process.pid}-${processStartTime(process.pid)}`);
  try {
    fs.renameSync(containerDir(ctx, rec.id), retired);
  } catch {
    deleteContainerFiles(ctx, rec);
    return undefined;
  }
  releaseName(ctx, rec.name, rec.id);
  return retired;
}

/** Removes a directory retireContainerFiles returned. */
export function removeRetired(retired: string | undefined): void {
  if (retired !== undefined) fs.rmSync(retired, { recursive: true, force: true });
}

export interface Retired {
  /** The container's ID. */
  id: string;
  path: string;
  /** Whether the process that retired it is still there (and so still removing it). */
  alive: boolean;
}

/** The retired directories in the store. */
export function retiredContainers(ctx: Context): Retired[] {
  const out: Retired[] = [];
  for (const name of listStateDir(containersDir(ctx), 'containers', (n) => n.startsWith(PREFIX))) {
    const m = RETIRED_RE.exec(name);
    if (!m) continue;
    out.push({ id: m[1], path: path.join(containersDir(ctx), name), alive: processAlive(Number(m[2]), Number(m[3])) });
  }
  return out;
}
