import { parseCgroupParent } from '../../../lib/cgroup/parent.js';
import { InvalidArgumentError } from '../../../lib/errors.js';

describe('--cgroup-parent', () => {
  it.each([
    ['/mytest', '/mytest'],
    ['/mytest/', '/mytest'],
    ['/my//test/./sub', '/my/test/sub'],
    // Relative: from the root of the cgroup tree (init's cgroup on a host), as podman documents.
    ['mytest/sub', '/mytest/sub'],
    // A ".." that stays inside the tree is applied, as podman (runc) cleans the path.
    ['/a/../b', '/b'],
    ['a/b/../../c', '/c'],
    ['/', '/'],
    ['a b', '/a b'],
  ])('takes %j as %j', (given, parent) => {
    expect(parseCgroupParent(given)).toBe(parent);
  });

  it('takes "" as the default, as podman', () => {
    expect(parseCgroupParent('')).toBeUndefined();
  });

  it.each([
    ['../x', '".." climbs above the root of the cgroup tree; give a path under it, such as /mytest'],
    ['/../x', '".." climbs above the root of the cgroup tree; give a path under it, such as /mytest'],
    ['a/../../x', '".." climbs above the root of the cgroup tree; give a path under it, such as /mytest'],
    ['/a/b/../../..', '".." climbs above the root of the cgroup tree; give a path under it, such as /mytest'],
    ['machine.slice', "a systemd slice needs systemd's cgroup manager, and pman manages cgroups itself (cgroupfs, as podman --cgroup-manager cgroupfs); give a cgroup path such as /mytest"],
    ['a\nb', 'a cgroup name cannot hold control characters; give a path such as /mytest'],
    [`/${'x'.repeat(256)}`, 'a cgroup name is at most 255 bytes'],
  ])('refuses %j in one line naming the flag and the value', (given, why) => {
    let err: unknown;
    try {
      parseCgroupParent(given);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as Error).message).toBe(`invalid --cgroup-parent ${JSON.stringify(given)}: ${why}`);
    expect((err as Error).message).not.toContain('\n');
  });
});
