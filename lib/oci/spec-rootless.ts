// The changes a rootless container's OCI spec needs, applied to the generated spec: runc runs as
// root of the user's namespace, which owns no cgroup (none on cgroup v1), may lack subordinate
// group IDs (devpts gid=5, supplementary groups) and can mount sysfs only with its own network
// namespace. docs/rootless.md explains each.
import type { OwnMapping } from '../rootless/id-map.js';
import { checkRootlessResources } from '../rootless/unsupported.js';
import type { ContainerRecord } from '../state/container-record.js';
import { sysfsAsBind, type SpecMount } from './spec-userns.js';

interface SpecShape {
  process?: { user?: { additionalGids?: number[] } };
  mounts?: SpecMount[];
  linux?: { cgroupsPath?: string; resources?: unknown; namespaces?: Array<{ type: string }> };
}

/** Adapts spec (in place) for a rootless container and returns it; refuses cgroup limits naming the flag. */
export function rootlessSpec<T extends object>(spec: T, rec: ContainerRecord, mapping: OwnMapping): T {
  checkRootlessResources(rec.config.resources);
  const s = spec as SpecShape;
  if (s.linux) {
    delete s.linux.cgroupsPath;
    delete s.linux.resources;
  }
  const ownNetwork = (s.linux?.namespaces ?? []).some((n) => n.type === 'network');
  s.mounts = (s.mounts ?? [])
    .filter((m) => m.type !== 'cgroup')
    .map((m) => {
      if (m.type === 'devpts' && !mapping.subgids) return { ...m, options: (m.options ?? []).filter((o) => !o.startsWith('gid=')) };
      // sysfs may only be mounted by the owner of the network namespace: with the host's, bind it.
      if (m.type === 'sysfs' && !ownNetwork) return sysfsAsBind(m);
      return m;
    });
  // Without setgroups (single gid mapping) runc refuses any supplementary group.
  if (!mapping.setgroups && s.process?.user) s.process.user.additionalGids = [];
  return spec;
}
