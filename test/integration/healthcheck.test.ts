// Health checks run by each container's shim: probes on their timer and on demand
// (`healthcheck run`), Docker's rules for the status, a hanging probe killed at its timeout, the
// --health-on-failure actions, an image's HEALTHCHECK, and `wait --condition healthy`.
import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PMAN_BIN, TestEnv, until } from './harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

interface Health {
  Status: string;
  FailingStreak: number;
  Log: Array<{ Start: string; ExitCode: number; Output: string }>;
}

const health = async (name: string): Promise<Health> => JSON.parse(await env.ok(['inspect', '--format', '{{json .State.Health}}', name])) as Health;
const field = async (name: string, tpl: string) => (await env.ok(['inspect', '--format', tpl, name])).trim();
const status = (name: string) => field(name, '{{.State.Status}}');
/** The processes of the container (busybox ps inside it, as seen by a fresh exec). */
const psIn = async (name: string) => (await env.ok(['exec', name, 'ps', '-o', 'pid,args'])).split('\n').slice(1).map((l) => l.trim());
/** A probe that passes once /tmp/ok exists; timers off, so only `healthcheck run` probes. */
const manual = ['--health-cmd', 'test -e /tmp/ok && echo fine', '--health-interval', 'disable'];

describe('health checks', () => {
  it('turns unhealthy when the failing streak reaches --health-retries, and healthy on a pass', async () => {
    await env.ok(['run', '-d', '--name', 'streak', ...manual, '--health-retries', '2', 'busybox', 'sleep', '100000']);
    expect(await health('streak')).toEqual({ Status: 'starting', FailingStreak: 0, Log: [] });
    expect(await env.ok(['ps', '--format', '{{.Status}}', '--filter', 'name=^streak$'])).toMatch(/^Up .* \(starting\)$/);
    const first = await env.pman(['healthcheck', 'run', 'streak']);
    expect(first).toMatchObject({ exitCode: 1, stdout: 'unhealthy' });
    expect(await health('streak')).toMatchObject({ Status: 'starting', FailingStreak: 1 });
    await env.pman(['healthcheck', 'run', 'streak']);
    const h = await health('streak');
    expect(h).toMatchObject({ Status: 'unhealthy', FailingStreak: 2 });
    expect(h.Log.map((r) => r.ExitCode)).toEqual([1, 1]);
    expect(await env.ok(['ps', '--format', '{{.Names}} {{.Status}}', '--filter', 'health=unhealthy'])).toMatch(/^streak Up .* \(unhealthy\)$/);
    await env.ok(['exec', 'streak', 'touch', '/tmp/ok']);
    expect(await env.pman(['healthcheck', 'run', 'streak'])).toMatchObject({ exitCode: 0, stdout: '' });
    const after = await health('streak');
    expect(after).toMatchObject({ Status: 'healthy', FailingStreak: 0 });
    expect(after.Log[2]).toMatchObject({ ExitCode: 0, Output: 'fine\n' });
    expect(await env.ok(['ps', '--format', '{{.Names}}', '--filter', 'health=healthy'])).toBe('streak');
  });

  it('runs probes on its own timer until the container is unhealthy', async () => {
    await env.ok(['run', '-d', '--name', 'timer', '--health-cmd', 'false', '--health-interval', '1s', '--health-retries', '3', 'busybox', 'sleep', '100000']);
    const h = await until(async () => {
      const x = await health('timer');
      return x.Status === 'unhealthy' ? x : undefined;
    });
    expect(h?.FailingStreak).toBeGreaterThanOrEqual(3);
    expect(h?.Log.every((r) => r.ExitCode === 1)).toBe(true);
    await env.ok(['rm', '-f', '-t', '0', 'timer']);
  });

  it('does not count failures during the start period until the first pass', async () => {
    await env.ok(['run', '-d', '--name', 'period', ...manual, '--health-retries', '1', '--health-start-period', '1h', 'busybox', 'sleep', '100000']);
    for (let i = 0; i < 3; i++) expect((await env.pman(['healthcheck', 'run', 'period'])).exitCode).toBe(1);
    expect(await health('period')).toMatchObject({ Status: 'starting', FailingStreak: 0 });
    await env.ok(['exec', 'period', 'touch', '/tmp/ok']);
    await env.ok(['healthcheck', 'run', 'period']);
    await env.ok(['exec', 'period', 'rm', '/tmp/ok']);
    await env.pman(['healthcheck', 'run', 'period']);
    expect(await health('period')).toMatchObject({ Status: 'unhealthy', FailingStreak: 1 });
    expect((await health('period')).Log).toHaveLength(5);
  });

  it('kills a hanging probe and what it started at the timeout, without blocking exec', async () => {
    await env.ok(['run', '-d', '--name', 'hang', '--health-cmd', 'sleep 7777 & sleep 8888', '--health-interval', 'disable', '--health-timeout', '1s', 'busybox', 'sleep', '100000']);
    const probe = env.pman(['healthcheck', 'run', 'hang']);
    // While the probe hangs, exec and the container go on.
    expect(await until(async () => (await psIn('hang')).some((l) => l.endsWith('sleep 8888')))).toBe(true);
    expect(await env.pman(['exec', 'hang', 'echo', 'alive'])).toMatchObject({ exitCode: 0, stdout: 'alive' });
    expect(await probe).toMatchObject({ exitCode: 1, stdout: 'unhealthy' });
    expect((await health('hang')).Log[0]).toMatchObject({ ExitCode: -1, Output: 'Health check exceeded timeout (1s)' });
    const left = await until(async () => ((await psIn('hang')).some((l) => /sleep (7777|8888)/.test(l)) ? undefined : true), 10_000);
    expect(left).toBe(true);
  });

  it('leaves no process and no open file behind after 30 probes', async () => {
    await env.ok(['run', '-d', '--name', 'many', '--health-cmd', 'echo probe; echo err >&2', '--health-interval', 'disable', 'busybox', 'sleep', '100000']);
    const shim = Number(await field('many', '{{.State.ConmonPid}}'));
    const fds = () => fs.readdirSync(`/proc/${shim}/fd`).length;
    const children = () => fs.readFileSync(`/proc/${shim}/task/${shim}/children`, 'utf8').trim();
    // Node opens some descriptors lazily (its thread pool's): counted once it has done all once.
    for (let i = 0; i < 3; i++) await env.ok(['healthcheck', 'run', 'many']);
    const before = await until(async () => {
      const n = fds();
      await new Promise((r) => setTimeout(r, 200));
      return fds() === n ? n : undefined;
    });
    for (let i = 0; i < 30; i++) await env.ok(['healthcheck', 'run', 'many']);
    // The last client's socket closes asynchronously after its Exit.
    expect(await until(() => fds() <= before!)).toBe(true);
    // The container's init is the shim's only child (re-parented to it): no probe is left.
    expect(children()).toBe(await field('many', '{{.State.Pid}}'));
    expect((await psIn('many')).filter((l) => !l.includes('ps -o'))).toEqual(['1 sleep 100000']);
    const h = await health('many');
    expect(h.Log).toHaveLength(5);
    expect(h.Log[4].Output).toBe('probe\nerr\n');
  });

  it('healthcheck run exits 125 for a container without a check, one not running, and a missing one', async () => {
    await env.ok(['run', '-d', '--name', 'plain', 'busybox', 'sleep', '100000']);
    expect(await env.pman(['healthcheck', 'run', 'plain'])).toMatchObject({ exitCode: 125, stderr: 'Error: container "plain" has no defined healthcheck' });
    await env.ok(['create', '--name', 'idle', ...manual, 'busybox', 'true']);
    expect(await env.pman(['healthcheck', 'run', 'idle'])).toMatchObject({ exitCode: 125, stderr: 'Error: cannot run the health check of container "idle": it is not running (state created)' });
    const missing = await env.pman(['healthcheck', 'run', 'nosuch']);
    expect(missing.exitCode).toBe(125);
    expect(missing.stderr).toContain('nosuch');
    expect(await env.pman(['run', '--rm', '--health-retries', 'x', '--health-cmd', 'true', 'busybox', 'true'])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: invalid --health-retries "x": use a whole number of at least 1',
    });
  });

  it('wait --condition healthy returns once the container is healthy', async () => {
    await env.ok(['run', '-d', '--name', 'waiter', '--health-cmd', 'test -e /tmp/ok', '--health-interval', '1s', 'busybox', 'sleep', '100000']);
    const waiting = execa(PMAN_BIN, env.args(['wait', '--condition', 'healthy', 'waiter']), { reject: false });
    // Probes run and fail meanwhile; the wait goes on.
    expect(await until(async () => (await health('waiter')).Log.length >= 2)).toBe(true);
    expect(waiting.exitCode).toBeNull();
    await env.ok(['exec', 'waiter', 'touch', '/tmp/ok']);
    const r = await waiting;
    expect(r).toMatchObject({ exitCode: 0, stdout: '-1' });
    expect((await health('waiter')).Status).toBe('healthy');
    expect(await env.pman(['wait', '--condition', 'healthy', 'plain'])).toMatchObject({ exitCode: 125, stderr: 'Error: cannot wait for container "plain" to be healthy: it has no health check' });
  });

  it('records Start and End as podman 4.3.1 does: RFC3339Nano, with nanoseconds', async () => {
    await env.ok(['run', '-d', '--name', 'stamped', '--network', 'none', '--health-cmd', 'true', '--health-interval', 'disable', 'busybox', 'sleep', '100000']);
    await env.ok(['healthcheck', 'run', 'stamped']);
    const [entry] = JSON.parse(await env.ok(['inspect', '--format', '{{json .State.Health.Log}}', 'stamped'])) as Array<{ Start: string; End: string }>;
    for (const t of [entry!.Start, entry!.End]) expect(t).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d*[1-9])?Z$/);
    // Milliseconds leave at most three digits; a time read in nanoseconds ends in six zeros once in a million.
    const digits = (t: string) => (/\.(\d+)Z$/.exec(t)?.[1] ?? '').length;
    expect(Math.max(digits(entry!.Start), digits(entry!.End))).toBeGreaterThan(3);
  });
});

describe('health checks and the shim', () => {
  it('a shim killed with SIGKILL is reconciled as usual, and the next start begins a fresh schedule', async () => {
    await env.ok(['run', '-d', '--name', 'lost', ...manual, 'busybox', 'sleep', '100000']);
    await env.pman(['healthcheck', 'run', 'lost']);
    expect((await health('lost')).Log).toHaveLength(1);
    const shim = Number(await field('lost', '{{.State.ConmonPid}}'));
    process.kill(shim, 'SIGKILL');
    expect(await until(async () => (await status('lost')) === 'exited')).toBe(true);
    expect(await env.ok(['ps', '-a', '--format', '{{.Status}}', '--filter', 'name=^lost$'])).toMatch(/^Exited \(-1\)/);
    expect(await env.pman(['healthcheck', 'run', 'lost'])).toMatchObject({ exitCode: 125 });
    await env.ok(['start', 'lost']);
    expect(await health('lost')).toEqual({ Status: 'starting', FailingStreak: 0, Log: [] });
    expect((await env.pman(['healthcheck', 'run', 'lost'])).exitCode).toBe(1);
    expect((await health('lost')).FailingStreak).toBe(1);
  });
});

describe('--health-on-failure', () => {
  const failing = ['--health-cmd', 'test ! -e /tmp/bad', '--health-interval', '1s', '--health-retries', '1'];
  /** Waits until the container has exited and the shim that ran it is gone (its restart decided). */
  const exitedFor = async (name: string) => {
    const shim = Number(await field(name, '{{.State.ConmonPid}}'));
    await until(async () => (await status(name)) === 'exited' && !fs.existsSync(`/proc/${shim}`));
  };

  it('kill: the container is killed once unhealthy', async () => {
    await env.ok(['run', '-d', '--name', 'onkill', ...failing, '--health-on-failure', 'kill', 'busybox', 'sleep', '100000']);
    await env.ok(['exec', 'onkill', 'touch', '/tmp/bad']);
    await exitedFor('onkill');
    expect(await field('onkill', '{{.State.ExitCode}}')).toBe('137');
  });

  it('stop: the stop signal is sent and a restart policy does not bring it back', async () => {
    const trap = ['sh', '-c', 'trap "exit 7" TERM; while :; do sleep 0.1; done'];
    await env.ok(['run', '-d', '--name', 'onstop', ...failing, '--health-on-failure', 'stop', '--restart', 'always', 'busybox', ...trap]);
    await env.ok(['exec', 'onstop', 'touch', '/tmp/bad']);
    await exitedFor('onstop');
    expect(await field('onstop', '{{.State.ExitCode}} {{.RestartCount}}')).toBe('7 0');
    expect(await status('onstop')).toBe('exited');
  });

  it('restart: the container comes back, counted as a restart, with a fresh health schedule', async () => {
    // /tmp is a tmpfs: the new run starts without /tmp/bad and turns healthy.
    await env.ok(['run', '-d', '--name', 'onrestart', ...failing, '--tmpfs', '/tmp', '--health-on-failure', 'restart', '--stop-timeout', '1', 'busybox', 'sleep', '100000']);
    await until(async () => (await health('onrestart')).Status === 'healthy');
    await env.ok(['exec', 'onrestart', 'touch', '/tmp/bad']);
    expect(await until(async () => (await field('onrestart', '{{.RestartCount}} {{.State.Status}}')) === '1 running')).toBe(true);
    const started = Date.parse(JSON.parse(await field('onrestart', '{{json .State.StartedAt}}')) as string);
    const h = await until(async () => {
      const x = await health('onrestart');
      return x.Status === 'healthy' ? x : undefined;
    });
    expect(h?.Log.every((r) => Date.parse(r.Start) >= started && r.ExitCode === 0)).toBe(true);
  });
});

describe("an image's HEALTHCHECK", () => {
  it('applies unless --no-healthcheck, with the flags over its settings', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pman-hc-build-'));
    try {
      fs.writeFileSync(path.join(dir, 'Containerfile'), 'FROM busybox\nHEALTHCHECK --interval=1s --retries=4 CMD echo from-image\n');
      await env.ok(['build', '--format', 'docker', '-t', 'hcimage', dir]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    await env.ok(['run', '-d', '--name', 'fromimage', '--health-timeout', '7s', 'hcimage', 'sleep', '100000']);
    expect(JSON.parse(await field('fromimage', '{{json .Config.Healthcheck}}'))).toEqual({
      Test: ['CMD-SHELL', 'echo from-image'],
      Interval: 1e9,
      Timeout: 7e9,
      StartPeriod: 0,
      StartInterval: 5e9,
      Retries: 4,
    });
    const h = await until(async () => {
      const x = await health('fromimage');
      return x.Status === 'healthy' ? x : undefined;
    });
    expect(h?.Log[0].Output).toBe('from-image\n');
    await env.ok(['run', '-d', '--name', 'nocheck', '--no-healthcheck', 'hcimage', 'sleep', '100000']);
    expect(JSON.parse(await field('nocheck', '{{json .State.Health}}'))).toEqual({ Status: '', FailingStreak: 0, Log: null });
    expect(JSON.parse(await field('nocheck', '{{json .Config}}'))).not.toHaveProperty('Healthcheck');
    expect(await env.pman(['healthcheck', 'run', 'nocheck'])).toMatchObject({ exitCode: 125 });
  });
});
