// `pman pause` / `pman unpause`: freeze and thaw every process of a running container through the
// runtime (runc pause/resume use the cgroup freezer, v1 or v2), and record the state.
import type { Context } from '../context.js';
import { runRuntime, runtimeError } from '../oci/runtime.js';
import type { ContainerRecord } from '../state/container-record.js';
import { updateContainer } from '../state/containers.js';
import { runcRoot } from '../state/paths.js';
import { reconcile } from './reconcile.js';
import { containerEvents } from '../events/events-file.js';
import { assertCan, toPaused, toUnpaused } from '../state/container-status.js';

async function freeze(ctx: Context, rec0: ContainerRecord, pause: boolean): Promise<ContainerRecord> {
  const rec = await reconcile(ctx, rec0);
  const after = await updateContainer(ctx, rec.id, async (r) => {
    assertCan(r, pause ? 'pause' : 'unpause');
    const verb = pause ? 'pause' : 'resume';
    const res = await runRuntime({ runtime: r.config.runtime, root: runcRoot(ctx) }, [verb, r.id]);
    if (res.code !== 0) throw runtimeError(`${pause ? 'pause' : 'unpause'} container "${r.name}"`, res.stderr.trim().split('\n').pop() ?? '');
    r.state = pause ? toPaused(r.state) : toUnpaused(r.state);
  });
  containerEvents(ctx, after, [pause ? 'pause' : 'unpause']);
  return after;
}

export function pauseContainer(ctx: Context, rec: ContainerRecord): Promise<ContainerRecord> {
  return freeze(ctx, rec, true);
}

export function unpauseContainer(ctx: Context, rec: ContainerRecord): Promise<ContainerRecord> {
  return freeze(ctx, rec, false);
}
