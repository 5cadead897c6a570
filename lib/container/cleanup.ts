// pman container cleanup (podman's): what a stopped container's last run may still hold — runc's
// state, its networking, its root mount, its runtime directory — freed, as its shim does when a run
// ends (lib/shim/cleanup.ts) and reconciliation does when a shim died (reconcile.ts). A mount of
// the user's (`pman mount`) stays, as podman's cleanup leaves it. Running, paused and initialized
// containers are refused, as podman refuses them.
import fs from 'node:fs';
import type { Context } from '../context.js';
import { InvalidStateError } from '../errors.js';
import { unwireContainer } from '../network/wiring.js';
import { isMounted, rootfsPaths, unmountRootfs } from '../oci/rootfs.js';
import { runtimeDelete } from '../oci/runtime.js';
import type { ContainerRecord } from '../state/container-record.js';
import { isRunning } from '../state/container-status.js';
import { withContainerLock } from '../state/containers.js';
import { mountCount } from '../state/mount-count.js';
import { containerRunDir, runcRoot } from '../state/paths.js';
import { reconcile } from './reconcile.js';
import { shimAlive } from './start.js';

export async function cleanupContainer(ctx: Context, rec0: ContainerRecord): Promise<void> {
  const rec = await reconcile(ctx, rec0);
  await withContainerLock(ctx, rec.id, async (r) => {
    // A live shim (running, initialized, or handing over to a restart) owns all of it.
    if (isRunning(r) || shimAlive(r)) {
      throw new InvalidStateError(`container ${r.id} is running or paused, refusing to clean up: container state improper`);
    }
    await runtimeDelete({ runtime: r.config.runtime, root: runcRoot(ctx) }, r.id, true).catch((err) => ctx.warn(`container ${r.name}: ${(err as Error).message}`));
    await unwireContainer(ctx, r.id).catch((err) => ctx.warn(`container ${r.name}: ${(err as Error).message}`));
    if (mountCount(ctx, r.id) === 0 && isMounted(rootfsPaths(ctx, r.id).merged)) unmountRootfs(ctx, r.id);
    fs.rmSync(containerRunDir(ctx, r.id), { recursive: true, force: true });
  });
}
