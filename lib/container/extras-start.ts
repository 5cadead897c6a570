// Before a container with --requires or a joined namespace (--pid/--ipc/--uts/--cgroupns
// container:NAME) starts, the containers it depends on are started (as podman starts a
// container's dependencies), and its config.json gets their namespace paths of this run.
import fs from 'node:fs';
import path from 'node:path';
import type { Context } from '../context.js';
import { InvalidStateError, NotFoundError } from '../errors.js';
import { parseSpec, serializeSpec } from '../oci/spec.js';
import { writeFileAtomic } from '../state/atomic.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isRunning } from '../state/container-status.js';
import { loadContainer } from '../state/containers.js';
import { containerDir } from '../state/paths.js';
import { applyJoins } from './extras-spec.js';
import { reconcile } from './reconcile.js';

/** The containers `rec` needs running: --requires first, then those whose namespaces it joins. */
export function dependencies(rec: ContainerRecord): string[] {
  const x = rec.config.extras;
  const joined = Object.values(x?.namespaces ?? {}).flatMap((n) => (n.mode === 'container' && n.container ? [n.container] : []));
  return [...new Set([...(x?.requires ?? []), ...joined])];
}

/** Starts what `rec` depends on (through `start`, the caller's start), then refreshes its joined namespaces. */
export async function startDependencies(ctx: Context, rec: ContainerRecord, start: (dep: ContainerRecord) => Promise<unknown>): Promise<void> {
  const x = rec.config.extras;
  if (!x) return;
  for (const id of dependencies(rec)) {
    let dep: ContainerRecord;
    try {
      dep = await reconcile(ctx, loadContainer(ctx, id));
    } catch (err) {
      if (err instanceof NotFoundError) throw new InvalidStateError(`cannot start container "${rec.name}": a container it depends on (${id.slice(0, 12)}) no longer exists`);
      throw err;
    }
    if (!isRunning(dep)) await start(dep);
    if (!isRunning(await reconcile(ctx, loadContainer(ctx, id)))) {
      throw new InvalidStateError(`cannot start container "${rec.name}": container "${dep.name}" it depends on is not running`);
    }
  }
  if (!Object.values(x.namespaces ?? {}).some((n) => n.mode === 'container')) return;
  const file = path.join(containerDir(ctx, rec.id), 'config.json');
  const spec = parseSpec(fs.readFileSync(file, 'utf8'));
  applyJoins(ctx, spec, x);
  writeFileAtomic(file, serializeSpec(spec), 0o600);
}
