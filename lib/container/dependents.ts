// The containers that cannot outlive another one: those that joined its network namespace
// (`--network container:NAME`). Their records name it; once it is removed, they could not start
// again. podman calls them dependent containers and refuses `rm` of the one they depend on
// unless `--depend` removes them first.
import type { Context } from '../context.js';
import { ConflictError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { listContainers } from '../state/containers.js';
import { shortId } from '../state/ids.js';

/** The containers that joined `rec`'s network namespace, running or not. */
export function dependentContainers(ctx: Context, rec: ContainerRecord): ContainerRecord[] {
  return listContainers(ctx).filter((c) => c.id !== rec.id && c.config.network?.mode === 'container' && c.config.network.container === rec.id);
}

/** The refusal of rm when dependents exist, naming them (podman's wording, and what to do). */
export function dependentsError(rec: ContainerRecord, dependents: ContainerRecord[]): ConflictError {
  const list = dependents.map((d) => `${shortId(d.id)} (${d.name})`).join(', ');
  return new ConflictError(`cannot remove container "${rec.name}": it has dependent containers which must be removed before it: ${list} joined its network namespace (--network container:${rec.name}); remove them first or use --depend`);
}
