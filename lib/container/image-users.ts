// The containers that use an image: what keeps `rmi` from deleting it, and what `rmi --force`
// removes first, as podman 4.3.1's rmi does (docker's keeps them and only untags the image).
import type { Context } from '../context.js';
import { listContainers } from '../state/containers.js';

/** Names of the containers made from the image with this ID. */
export function imageUsers(ctx: Context, imageId: string): string[] {
  return listContainers(ctx).filter((c) => c.image === imageId).map((c) => c.name);
}

/**
 * Removes the containers made from the image, running ones stopped first (as `rm -f`). A pod's
 * infra container is refused (remove the pod), and the image then stays.
 */
export async function removeImageUsers(ctx: Context, imageId: string): Promise<void> {
  // Loaded only when there is something to remove: rmi's start-up does not need it.
  const { removeContainer } = await import('./remove.js');
  for (const c of listContainers(ctx).filter((r) => r.image === imageId)) await removeContainer(ctx, c.id, { force: true });
}
