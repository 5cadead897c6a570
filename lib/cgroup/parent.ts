// --cgroup-parent of run/create and pod create (docs/commands.md): the cgroup under which the
// container's (or the pod's) own cgroup is made, read as podman reads it with the cgroupfs manager.
// An absolute path is taken from the root of the cgroup tree; so is a relative one (podman: "relative
// to the cgroups path of the init process", which is the root on a host; runc would otherwise
// resolve it from its caller's cgroup, which differs by controller). The result is normalised:
// "." and empty parts dropped, ".." applied, no trailing "/"; a ".." that climbs above the root is
// refused, so nothing outside the tree is ever named.
import { InvalidArgumentError } from '../errors.js';

const NAME_MAX = 255;

/** The normalised absolute parent ("/" included), or undefined for "" (the default, as podman). */
export function parseCgroupParent(value: string, flag = '--cgroup-parent'): string | undefined {
  if (value === '') return undefined;
  const bad = (why: string) => new InvalidArgumentError(`invalid ${flag} ${JSON.stringify(value)}: ${why}`);
  if (/[\x00-\x1f\x7f]/.test(value)) throw bad('a cgroup name cannot hold control characters; give a path such as /mytest');
  if (value.endsWith('.slice')) {
    throw bad("a systemd slice needs systemd's cgroup manager, and pman manages cgroups itself (cgroupfs, as podman --cgroup-manager cgroupfs); give a cgroup path such as /mytest");
  }
  const parts: string[] = [];
  for (const part of value.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) throw bad('".." climbs above the root of the cgroup tree; give a path under it, such as /mytest');
      parts.pop();
      continue;
    }
    if (Buffer.byteLength(part) > NAME_MAX) throw bad(`a cgroup name is at most ${NAME_MAX} bytes`);
    parts.push(part);
  }
  return `/${parts.join('/')}`;
}
