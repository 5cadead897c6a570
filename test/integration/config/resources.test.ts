// Resource options proven from inside real containers (their own cgroup files, rlimits, OOM
// score), the OOM killer's verdict in inspect, and stats/top/pause reading the cgroup.
import fs from 'node:fs';
import { TestEnv, until } from '../harness.js';

const V2 = fs.existsSync('/sys/fs/cgroup/cgroup.controllers');
/** A cgroup file inside the container, by the version this host runs. */
const cg = (v1: string, v2: string) => `/sys/fs/cgroup/${V2 ? v2 : v1}`;

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const out = async (args: string[], script: string) => {
  // Nothing here is about networking: no bridge to wire for each run (docs/networking.md, Tests).
  const r = await env.pman(['run', '--rm', '--network', 'none', ...args, 'busybox', 'sh', '-c', script]);
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr}`);
  return r.stdout.split('\n');
};

describe('cgroup limits', () => {
  it('apply --memory, --memory-swap and --memory-reservation', async () => {
    const files = V2
      ? [cg('', 'memory.max'), cg('', 'memory.swap.max'), cg('', 'memory.low')]
      : [cg('memory/memory.limit_in_bytes', ''), cg('memory/memory.memsw.limit_in_bytes', ''), cg('memory/memory.soft_limit_in_bytes', '')];
    const lines = await out(['--memory', '64m', '--memory-swap', '96m', '--memory-reservation', '32m'], `cat ${files.join(' ')}`);
    expect(lines).toEqual(V2 ? ['67108864', '33554432', '33554432'] : ['67108864', '100663296', '33554432']);
  });

  it('apply --cpus, --cpu-shares and --cpuset-cpus', async () => {
    const script = V2
      ? `cat ${cg('', 'cpu.max')} ${cg('', 'cpuset.cpus')} ${cg('', 'cpu.weight')}`
      : `cat ${cg('cpu/cpu.cfs_quota_us', '')} ${cg('cpu/cpu.cfs_period_us', '')} ${cg('cpu/cpu.shares', '')} ${cg('cpuset/cpuset.cpus', '')}`;
    const lines = await out(['--cpus', '0.5', '--cpu-shares', '512', '--cpuset-cpus', '0'], script);
    if (V2) {
      // runc turns the shares into a weight; its formula changed between versions, but half the
      // default shares (1024) always gives less than the default weight (100).
      expect(lines.slice(0, 2)).toEqual(['50000 100000', '0']);
      expect(Number(lines[2])).toBeGreaterThanOrEqual(1);
      expect(Number(lines[2])).toBeLessThan(100);
    } else {
      expect(lines).toEqual(['50000', '100000', '512', '0']);
    }
  });

  it('limit processes to 2048 by default and to --pids-limit when given', async () => {
    const file = cg('pids/pids.max', 'pids.max');
    expect(await out([], `cat ${file}`)).toEqual(['2048']);
    expect(await out(['--pids-limit', '10'], `cat ${file}`)).toEqual(['10']);
    expect(await out(['--pids-limit', '-1'], `cat ${file}`)).toEqual(['max']);
  });

  it('turn the OOM killer off with --oom-kill-disable on cgroup v1, and say it cannot on v2', async () => {
    // Each hierarchy has its own outcome; the one this host runs is checked (this is not a skip).
    const r = await env.pman(['run', '--rm', '--memory', '64m', '--oom-kill-disable', 'busybox', 'sh', '-c', V2 ? 'echo ran' : `grep oom_kill_disable ${cg('memory/memory.oom_control', '')}`]);
    expect(r).toEqual(
      V2
        ? { exitCode: 0, stdout: 'ran', stderr: 'WARN: --oom-kill-disable has no effect on cgroup v2 (the kernel has no switch for it there); ignoring it' }
        : { exitCode: 0, stdout: 'oom_kill_disable 1', stderr: '' },
    );
  });
});

describe('process limits', () => {
  it('set --ulimit soft and hard values, unlimited included, and keep working defaults', async () => {
    expect(await out(['--ulimit', 'nofile=512:1024', '--ulimit', 'core=-1'], 'ulimit -n; ulimit -Hn; ulimit -c')).toEqual(['512', '1024', 'unlimited']);
    const [soft] = await out([], 'ulimit -n');
    expect(Number(soft)).toBeGreaterThan(1000);
  });

  it('set --oom-score-adj', async () => {
    expect(await out(['--oom-score-adj', '300'], 'cat /proc/self/oom_score_adj')).toEqual(['300']);
  });
});

describe('the OOM killer', () => {
  it('shows as OOMKilled true and exit 137 in inspect', async () => {
    await env.ok(['run', '-d', '--name', 'hog', '--memory', '16m', '--memory-swap', '16m', 'busybox', 'sh', '-c', 'x=aaaaaaaa; while true; do x=$x$x; done']);
    expect(await env.ok(['wait', 'hog'])).toBe('137');
    expect(await env.ok(['inspect', '--format', '{{.State.OOMKilled}} {{.State.ExitCode}}', 'hog'])).toBe('true 137');
    await env.ok(['rm', 'hog']);
  });

  it('is not blamed for a plain kill', async () => {
    await env.ok(['run', '-d', '--name', 'killed', '--memory', '16m', 'busybox', 'sleep', '100']);
    await env.ok(['kill', 'killed']);
    expect(await env.ok(['wait', 'killed'])).toBe('137');
    expect(await env.ok(['inspect', '--format', '{{.State.OOMKilled}}', 'killed'])).toBe('false');
    await env.ok(['rm', 'killed']);
  });
});

describe('stats, top and pause', () => {
  beforeAll(async () => {
    await env.ok(['run', '-d', '--name', 'busy', '--memory', '100m', 'busybox', 'sh', '-c', 'sleep 1000 & exec sleep 1000']);
  });
  afterAll(async () => {
    await env.pman(['rm', '-f', '-t', '0', 'busy']);
  });

  it('stats --no-stream reads memory limit and pids from the cgroup', async () => {
    const table = (await env.ok(['stats', '--no-stream'])).split('\n');
    expect(table[0]).toMatch(/^ID\s+NAME\s+CPU %\s+MEM USAGE \/ LIMIT\s+MEM %\s+NET IO\s+BLOCK IO\s+PIDS\s+CPU TIME\s+AVG CPU %$/);
    expect(table[1]).toMatch(/busy\s+[0-9.]+%\s+[0-9.]+[kMG]?B \/ 104\.9MB\s+[0-9.]+%\s+-- \/ --\s+\S+ \/ \S+\s+2\s/);
    const json = JSON.parse(await env.ok(['stats', '--no-stream', '--format', 'json', 'busy']));
    expect(json[0]).toMatchObject({ name: 'busy', pids: '2' });
    expect(await env.ok(['stats', '--no-stream', '--format', '{{.Name}} {{.PIDs}}', 'busy'])).toBe('busy 2');
  });

  it('top lists the container\'s processes with podman\'s columns and descriptors', async () => {
    const lines = (await env.ok(['top', 'busy'])).split('\n');
    expect(lines[0]).toMatch(/^USER\s+PID\s+PPID\s+%CPU\s+ELAPSED\s+TTY\s+TIME\s+COMMAND$/);
    expect(lines[1]).toMatch(/^root\s+1\s+0\s+[0-9.]+\s+\S+\s+\?\s+\S+\s+sleep 1000$/);
    expect(lines[2]).toMatch(/^root\s+\d+\s+1\s/);
    expect((await env.ok(['top', 'busy', 'pid', 'comm'])).split('\n').slice(1).map((l) => l.split(/\s+/)[1])).toEqual(['sleep', 'sleep']);
    // Not a descriptor: the arguments go to the container's ps(1), as podman does (podman-flags-2.test.ts).
    expect(await env.ok(['top', 'busy', '-o', 'pid,comm'])).toMatch(/^PID\s+COMMAND\n\s+1 sleep\n/);
  });

  it('pause freezes every process and unpause thaws them', async () => {
    const pid = await env.ok(['inspect', '--format', '{{.State.Pid}}', 'busy']);
    await env.ok(['pause', 'busy']);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}} {{.State.Paused}}', 'busy'])).toBe('paused true');
    expect(await until(() => /State:\s+D/.test(fs.readFileSync(`/proc/${pid}/status`, 'utf8')))).toBe(true);
    expect((await env.pman(['pause', 'busy'])).stderr).toMatch(/already paused/);
    await env.ok(['unpause', 'busy']);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'busy'])).toBe('running');
    expect(fs.readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/State:\s+S/);
  });

  it('stop ends a paused container', async () => {
    await env.ok(['run', '-d', '--name', 'frozen', 'busybox', 'sleep', '1000']);
    await env.ok(['pause', 'frozen']);
    await env.ok(['stop', '-t', '1', 'frozen']);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'frozen'])).toBe('exited');
    await env.ok(['rm', 'frozen']);
  });
});
