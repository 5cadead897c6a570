// Which containers are volatile: a --rm container does not outlive a machine crash (podman makes
// its --rm containers volatile for the same reason). Its bundle files are written without fsync
// (its record still is fsynced: the state directory stays readable after a crash), its log is not
// flushed before it is removed, and its root filesystem is an overlay mounted with `volatile`, so
// that unmounting it does not sync the whole filesystem under the store. docs/performance.md has
// what each of these saves. A build step's container is volatile too (config.volatile): it is
// removed once its upper directory became a layer, and syncing the filesystem at every step's
// unmount was most of what made the layer's files slow to delete later (docs/build.md).
import type { ContainerRecord } from './container-record.js';

export function isVolatile(rec: ContainerRecord): boolean {
  return rec.config.autoRemove || rec.config.volatile === true;
}

/** writeFileAtomic's options for a file of the container's bundle. */
export function bundleDurability(rec: ContainerRecord): { sync: boolean } {
  return { sync: !isVolatile(rec) };
}
