// --cgroup-parent of run/create and pod create, with real runc: the container's cgroup is made
// under the parent in every hierarchy, stats, top, pause and the OOM check read it there, and
// it goes with the container (the parent, the user's, stays: podman leaves it too). A pod's
// cgroup is its members' parent and goes with the pod.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';

const env = TestEnv.forFile();
// This file's own parent; runc makes it, the afterAll below removes it.
const PARENT = `/pman-it-cgparent-${process.pid}`;

/** The mount points of every cgroup hierarchy (v1 controllers, named ones, v2). */
function hierarchies(): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => / - cgroup2? /.test(l))
    .map((l) => l.split(' ')[4]);
}

/** Where a cgroup path exists as a directory. */
const existing = (cg: string) => hierarchies().map((h) => path.join(h, cg)).filter((d) => fs.existsSync(d));

/** The cgroup paths a process is in (/proc/PID/cgroup), one per distinct path. */
const cgroupsOf = (pid: string) => [...new Set(fs.readFileSync(`/proc/${pid}/cgroup`, 'utf8').trim().split('\n').map((l) => l.split(':').slice(2).join(':')))];

const inspect = (name: string, format: string) => env.ok(['inspect', '--format', format, name]);

afterAll(async () => {
  await env.pman(['pod', 'rm', '-af', '-t', '0']);
  await env.pman(['rm', '-af', '-t', '0']);
  // Empty by now: rmdir, deepest first (cgroupfs directories hold only the kernel's files).
  for (const top of existing(PARENT)) execFileSync('find', [top, '-depth', '-type', 'd', '-exec', 'rmdir', '{}', '+']);
});

describe('run --cgroup-parent', () => {
  it("makes the container's cgroup under the parent, where stats, top and pause read it; rm removes it", async () => {
    // A trailing slash and a "." are normalised, as podman (runc) cleans the path.
    await env.ok(['run', '-d', '--name', 'c1', '--network', 'none', '--memory', '64m', '--cgroup-parent', `${PARENT}/./sub/`, 'busybox', 'sh', '-c', 'sleep 1000 & exec sleep 1000']);
    const id = await inspect('c1', '{{.Id}}');
    const cg = `${PARENT}/sub/pman-${id}`;
    try {
      expect(cgroupsOf(await inspect('c1', '{{.State.Pid}}'))).toEqual([cg]);
      expect(await inspect('c1', '{{.HostConfig.CgroupParent}} {{.State.CgroupPath}}')).toBe(`${PARENT}/sub ${cg}`);
      expect(existing(`/pman/${id}`)).toEqual([]);
      // The limit and the two processes are read from the cgroup under the parent.
      expect(await env.ok(['stats', '--no-stream', '--format', '{{.MemUsage}} {{.PIDs}}', 'c1'])).toMatch(/^\S+ \/ 67\.11MB 2$/);
      expect((await env.ok(['top', 'c1', 'pid', 'comm'])).split('\n').slice(1).map((l) => l.trim().split(/\s+/)[1])).toEqual(['sleep', 'sleep']);
      await env.ok(['pause', 'c1']);
      expect(await inspect('c1', '{{.State.Status}}')).toBe('paused');
      await env.ok(['unpause', 'c1']);
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'c1']);
    }
    expect(existing(cg)).toEqual([]);
    expect(existing(`${PARENT}/sub`)).not.toEqual([]);
  });

  it('reports an OOM kill under --memory (OOMKilled, exit 137) of a container under a parent', async () => {
    await env.ok(['run', '-d', '--name', 'hog', '--network', 'none', '--memory', '16m', '--memory-swap', '16m', '--cgroup-parent', PARENT, 'busybox', 'sh', '-c', 'x=aaaaaaaa; while true; do x=$x$x; done']);
    try {
      expect(await env.ok(['wait', 'hog'])).toBe('137');
      expect(await inspect('hog', '{{.State.OOMKilled}} {{.State.ExitCode}}')).toBe('true 137');
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'hog']);
    }
  });

  it('refuses a parent that climbs out of the cgroup tree or names a systemd slice, in one line, exit 125', async () => {
    for (const [value, why] of [
      ['../x', '".." climbs above the root of the cgroup tree; give a path under it, such as /mytest'],
      [`${PARENT}/../../x`, '".." climbs above the root of the cgroup tree; give a path under it, such as /mytest'],
      ['machine.slice', "a systemd slice needs systemd's cgroup manager, and pman manages cgroups itself (cgroupfs, as podman --cgroup-manager cgroupfs); give a cgroup path such as /mytest"],
    ]) {
      const r = await env.pman(['create', '--network', 'none', '--cgroup-parent', value, 'busybox', 'true']);
      expect(r).toEqual({ exitCode: 125, stdout: '', stderr: `Error: invalid --cgroup-parent "${value}": ${why}` });
    }
    const pod = await env.pman(['pod', 'create', '--cgroup-parent', '/a/../..']);
    expect(pod).toEqual({ exitCode: 125, stdout: '', stderr: 'Error: invalid --cgroup-parent "/a/../..": ".." climbs above the root of the cgroup tree; give a path under it, such as /mytest' });
    expect(await env.ok(['ps', '-aq'])).toBe('');
    expect(await env.ok(['pod', 'ps', '-q'])).toBe('');
  });
});

describe('--cpu-rt-runtime under a --cgroup-parent', () => {
  it("is checked against the given parent's real-time budget, not /pman's", async () => {
    const rt = `${PARENT}/rt`;
    const refused = await env.pman(['create', '--network', 'none', '--cgroup-parent', rt, '--cpu-rt-runtime', '1000', 'busybox', 'true']);
    // v1's cpu hierarchy, where real-time group scheduling has its files (not on v2, nor without CONFIG_RT_GROUP_SCHED).
    const cpu = fs
      .readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .find((l) => / - cgroup cgroup /.test(l) && l.split(' - ')[1].split(' ')[2].split(',').includes('cpu'))
      ?.split(' ')[4];
    if (cpu && fs.existsSync(path.join(cpu, 'cpu.rt_runtime_us'))) {
      // The parent does not exist yet: runc would make it with no budget.
      expect([refused.exitCode, refused.stderr]).toEqual([125, expect.stringContaining(`real-time budget of 0 microseconds (${path.join(cpu, rt, 'cpu.rt_runtime_us')})`)]);
      // Given a budget (the parent first: a child gets at most its parent's), the container gets its share.
      for (const dir of [PARENT, rt]) {
        fs.mkdirSync(path.join(cpu, dir), { recursive: true });
        fs.writeFileSync(path.join(cpu, dir, 'cpu.rt_runtime_us'), '1000');
      }
      expect(await env.ok(['run', '--rm', '--network', 'none', '--cgroup-parent', rt, '--cpu-rt-runtime', '1000', 'busybox', 'cat', '/sys/fs/cgroup/cpu/cpu.rt_runtime_us'])).toBe('1000');
    } else {
      expect([refused.exitCode, refused.stderr]).toEqual([125, expect.stringMatching(/^Error: cannot use --cpu-rt-runtime: /)]);
    }
  });
});

describe('pod create --cgroup-parent', () => {
  it("makes the pod's cgroup its containers' parent (a member's own --cgroup-parent wins); pod rm removes it", async () => {
    const podId = await env.ok(['pod', 'create', '--name', 'cgpod', '--network', 'none', '--cgroup-parent', PARENT]);
    const podCg = `${PARENT}/${podId}`;
    expect(await env.ok(['pod', 'inspect', '--format', '{{.CgroupParent}} {{.CgroupPath}} {{.CreateCgroup}}', 'cgpod'])).toBe(`${PARENT} ${podCg} true`);
    await env.ok(['run', '-d', '--pod', 'cgpod', '--name', 'm1', 'busybox', 'sleep', '1000']);
    await env.ok(['create', '--pod', 'cgpod', '--name', 'm2', '--cgroup-parent', `${PARENT}/own`, 'busybox', 'true']);
    const infra = await env.ok(['pod', 'inspect', '--format', '{{.InfraContainerID}}', 'cgpod']);
    for (const c of ['m1', infra]) {
      const id = await inspect(c, '{{.Id}}');
      expect(cgroupsOf(await inspect(c, '{{.State.Pid}}'))).toEqual([`${podCg}/pman-${id}`]);
      expect(await inspect(c, '{{.HostConfig.CgroupParent}}')).toBe(podCg);
    }
    expect(await inspect('m2', '{{.HostConfig.CgroupParent}}')).toBe(`${PARENT}/own`);
    expect(existing(podCg)).not.toEqual([]);
    await env.ok(['pod', 'rm', '-f', '-t', '0', 'cgpod']);
    expect(existing(podCg)).toEqual([]);
  });
});
