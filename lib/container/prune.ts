// `pman container prune`: removes every container that is not running (created or exited), as
// podman does; --filter label=, label!=, until= narrow it.
import type { Context } from '../context.js';
import { InvalidArgumentError } from '../errors.js';
import { parseUntil } from '../format/until.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isRunning } from '../state/container-status.js';
import { listContainers } from '../state/containers.js';
import { parseFilter } from './ps.js';
import { reconcile } from './reconcile.js';
import { removeContainer } from './remove.js';

function pruneFilter(spec: string): (r: ContainerRecord) => boolean {
  const eq = spec.indexOf('=');
  const key = spec.slice(0, eq);
  const value = spec.slice(eq + 1);
  if (key === 'until') {
    const before = parseUntil(value);
    return (r) => Date.parse(r.created) < before;
  }
  if (key === 'label!=' || spec.startsWith('label!=')) {
    const keep = parseFilter(`label=${spec.slice('label!='.length)}`);
    return (r) => !keep(r, undefined);
  }
  if (key === 'label') {
    const keep = parseFilter(spec);
    return (r) => keep(r, undefined);
  }
  throw new InvalidArgumentError(`invalid --filter "${spec}": use label=, label!= or until=`);
}

/** The containers prune would remove now. */
export async function prunableContainers(ctx: Context, filters: string[]): Promise<ContainerRecord[]> {
  const tests = filters.map(pruneFilter);
  const recs = await Promise.all(listContainers(ctx).map((r) => reconcile(ctx, r)));
  return recs.filter((r) => !isRunning(r) && tests.every((t) => t(r)));
}

/** Removes them; returns the IDs removed and the errors of those that could not be. */
export async function pruneContainers(ctx: Context, filters: string[]): Promise<{ removed: string[]; errors: Error[] }> {
  const removed: string[] = [];
  const errors: Error[] = [];
  // Those that joined another's network namespace first: the other cannot go before them.
  const joinersFirst = (await prunableContainers(ctx, filters)).sort((a, b) => Number(b.config.network?.mode === 'container') - Number(a.config.network?.mode === 'container'));
  for (const rec of joinersFirst) {
    try {
      if (await removeContainer(ctx, rec.id, { force: false })) removed.push(rec.id);
    } catch (err) {
      errors.push(err as Error);
    }
  }
  return { removed, errors };
}
