// The one place a container's cgroup path is read from its record: the path recorded at create
// (--cgroup-parent, or its pod's cgroup) or the default "/pman/<id>". The OCI spec, stats, top,
// OOM detection at exit and inspect all take it from here, never from a /pman prefix of their own.
import { containerCgroupPath, parentCgroup } from '../cgroup/cgroup.js';
import type { ContainerRecord } from './container-record.js';

export function cgroupPathOf(rec: Pick<ContainerRecord, 'id' | 'config'>): string {
  return rec.config.extras?.cgroupPath ?? containerCgroupPath(rec.id);
}

/** The parent podman shows as HostConfig.CgroupParent: the given one, "" for pman's default. */
export function cgroupParentOf(rec: Pick<ContainerRecord, 'id' | 'config'>): string {
  const p = rec.config.extras?.cgroupPath;
  return p === undefined ? '' : parentCgroup(p);
}
