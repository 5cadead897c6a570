import { jest } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keepWriting, ownCgroupProcsFile, sharedWhileUsed, warmRuncAttach } from '../../../lib/cgroup/attach-warmup.js';
import { cgroupMounts, parseCgroupMounts } from '../../../lib/cgroup/cgroup.js';

const HYBRID = [
  '31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw',
  '32 30 0:28 / /sys/fs/cgroup/systemd rw,nosuid shared:11 - cgroup cgroup rw,xattr,name=systemd',
  '33 30 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid shared:12 - cgroup cgroup rw,cpu,cpuacct',
  '34 30 0:30 / /sys/fs/cgroup/pids rw,nosuid shared:13 - cgroup cgroup rw,pids',
].join('\n');
const UNIFIED = '30 25 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate';
// Inside a container whose cgroup namespace was not unshared: its mount shows /docker/abc as "/".
const NESTED = '34 30 0:30 /docker/abc /sys/fs/cgroup/pids rw,nosuid shared:13 - cgroup cgroup rw,pids';

describe('the cgroup attach warm-up', () => {
  it("names this process's own cgroup.procs: v1's pids hierarchy first, else v2's unified one", () => {
    const self1 = '9:name=systemd:/user.slice\n8:pids:/user.slice/session-1.scope\n3:cpu,cpuacct:/work\n0::/user.slice\n';
    expect(ownCgroupProcsFile(parseCgroupMounts(HYBRID), self1)).toBe('/sys/fs/cgroup/pids/user.slice/session-1.scope/cgroup.procs');
    // No pids line: another controller pman knows.
    expect(ownCgroupProcsFile(parseCgroupMounts(HYBRID), '3:cpu,cpuacct:/work\n')).toBe('/sys/fs/cgroup/cpu,cpuacct/work/cgroup.procs');
    expect(ownCgroupProcsFile(parseCgroupMounts(UNIFIED), '0::/system.slice/x.service\n')).toBe('/sys/fs/cgroup/system.slice/x.service/cgroup.procs');
    expect(ownCgroupProcsFile(parseCgroupMounts(UNIFIED), '0::/\n')).toBe('/sys/fs/cgroup/cgroup.procs');
  });

  it('finds the file under a mount whose root is a sub-tree, and nothing outside what it shows', () => {
    expect(ownCgroupProcsFile(parseCgroupMounts(NESTED), '8:pids:/docker/abc/inner\n')).toBe('/sys/fs/cgroup/pids/inner/cgroup.procs');
    expect(ownCgroupProcsFile(parseCgroupMounts(NESTED), '8:pids:/elsewhere\n')).toBeUndefined();
    expect(ownCgroupProcsFile(parseCgroupMounts(UNIFIED), '')).toBeUndefined();
  });

  it('writes at once, again while it runs, and never after it is stopped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-warm-'));
    const writes = jest.spyOn(fs, 'write');
    try {
      const file = path.join(dir, 'cgroup.procs');
      fs.writeFileSync(file, '');
      const stop = keepWriting(file, '42\n');
      expect(writes).toHaveBeenCalledTimes(1);
      // Written again while it is not stopped (polled: no timing assumed).
      for (let i = 0; i < 500 && writes.mock.calls.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      stop();
      const calls = writes.mock.calls.length;
      expect(calls).toBeGreaterThanOrEqual(3);
      // Its descriptor is closed once stopped: a timer left running would write to whatever file
      // gets that number next.
      await new Promise((r) => setTimeout(r, 100));
      expect(writes).toHaveBeenCalledTimes(calls);
      expect(fs.readFileSync(file, 'utf8')).toMatch(/^(42\n){3,}$/);
    } finally {
      writes.mockRestore();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not throw when the file cannot be opened (a head start only)', () => {
    expect(() => keepWriting('/nonexistent-dir/cgroup.procs', '1')()).not.toThrow();
  });

  it('shares one run among overlapping users: started by the first, stopped by the last, again after', () => {
    let starts = 0;
    let stops = 0;
    const use = sharedWhileUsed(() => {
      starts++;
      return () => stops++;
    });
    const a = use();
    const b = use();
    expect([starts, stops]).toEqual([1, 0]);
    a();
    a(); // released twice: counts once, b still holds it
    expect([starts, stops]).toEqual([1, 0]);
    b();
    expect([starts, stops]).toEqual([1, 1]);
    use()();
    expect([starts, stops]).toEqual([2, 2]);
  });

  it('around runc: rootful opens its own cgroup.procs once for overlapping runc processes, rootless nothing', () => {
    const own = ownCgroupProcsFile(cgroupMounts(), fs.readFileSync('/proc/self/cgroup', 'utf8'));
    expect(own).toMatch(/\/cgroup\.procs$/);
    // Refused opens: nothing is written to the real cgroup (a head start only, so no error either).
    const opens = jest.spyOn(fs, 'openSync').mockImplementation(() => {
      throw Object.assign(new Error('refused by the test'), { code: 'EACCES' });
    });
    try {
      warmRuncAttach(true)();
      expect(opens).not.toHaveBeenCalled();
      const first = warmRuncAttach(false);
      const second = warmRuncAttach(false);
      expect(opens.mock.calls.map((c) => c[0])).toEqual([own]);
      first();
      second();
      warmRuncAttach(false)();
      expect(opens).toHaveBeenCalledTimes(2);
    } finally {
      opens.mockRestore();
    }
  });
});
