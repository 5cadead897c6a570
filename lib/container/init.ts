// pman init (podman's `container init`): a container made ready to start without starting it.
// Its shim mounts the root, wires the network and runs `runc create`, then waits for a Start:
// `pman start` (or `start -a`) sends it. ps and inspect show podman's status "initialized" while
// that shim waits (state/container-status.ts shownStatus).
import type { Context } from '../context.js';
import { InvalidStateError } from '../errors.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isCreated, isExited, isRunning, toInitialized } from '../state/container-status.js';
import { updateContainer } from '../state/containers.js';
import { reconcile } from './reconcile.js';
import { launchShim, shimAlive } from './start.js';

export async function initContainer(ctx: Context, rec0: ContainerRecord): Promise<void> {
  const rec = await reconcile(ctx, rec0);
  // podman's wording and exit code (125) for a container already running or initialized.
  if (isRunning(rec) || (isCreated(rec) && shimAlive(rec))) {
    throw new InvalidStateError(`container ${rec.id} has already been created in runtime: container state improper`);
  }
  await launchShim(ctx, rec, false);
  // An exited container's record keeps its status until it runs: initialized, it is created again.
  await updateContainer(ctx, rec.id, (r) => {
    if (isExited(r) && shimAlive(r)) r.state = toInitialized(r.state);
  });
}
