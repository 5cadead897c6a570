// ps, inspect, stop, kill, rm, restart, wait, logs against real containers.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from './harness.js';

const env = TestEnv.forFile();

const status = async (name: string) => (await env.pman(['inspect', '--format', '{{.State.Status}}', name])).stdout;

describe('ps', () => {
  beforeAll(async () => {
    await env.ok(['run', '-d', '--name', 'ps-up', '-l', 'tier=web', 'busybox', 'sleep', '1000']);
    expect((await env.pman(['run', '--name', 'ps-done', '-l', 'tier=db', 'busybox', 'sh', '-c', 'exit 2'])).exitCode).toBe(2);
    await env.ok(['create', '--name', 'ps-new', 'busybox', 'true']);
  });

  it('lists running containers with podman columns, and -a lists all', async () => {
    const out = await env.ok(['ps']);
    const lines = out.split('\n');
    expect(lines[0]).toMatch(/^CONTAINER ID\s+IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).pop())).toEqual(['ps-up']);
    expect(out).toMatch(/Up (Less than a second|\d+ seconds?)/);
    const all = await env.ok(['ps', '-a']);
    expect(all).toMatch(/Exited \(2\) .* ago\s+ps-done/);
    expect(all).toMatch(/Created\s+ps-new/);
  });

  it('-q prints short IDs and --no-trunc full ones', async () => {
    const ids = (await env.ok(['ps', '-aq'])).split('\n');
    expect(ids.length).toBeGreaterThanOrEqual(3);
    ids.forEach((id) => expect(id).toMatch(/^[0-9a-f]{12}$/));
    const full = (await env.ok(['ps', '-aq', '--no-trunc'])).split('\n');
    full.forEach((id) => expect(id).toMatch(/^[0-9a-f]{64}$/));
  });

  it('filters by status, name, id, label and exit code', async () => {
    const names = async (...f: string[]) => (await env.ok(['ps', '-a', ...f.flatMap((x) => ['--filter', x]), '--format', '{{.Names}}'])).split('\n').filter(Boolean).sort();
    expect(await names('status=running')).toEqual(['ps-up']);
    expect(await names('status=exited', 'name=^ps-')).toEqual(['ps-done']);
    expect(await names('label=tier=db')).toEqual(['ps-done']);
    expect(await names('label=tier')).toEqual(['ps-done', 'ps-up']);
    expect(await names('exited=2')).toEqual(['ps-done']);
    const id = (await env.ok(['inspect', '--format', '{{.Id}}', 'ps-new'])).slice(0, 8);
    expect(await names(`id=${id}`)).toEqual(['ps-new']);
  });

  it('rejects an unknown filter key with exit 125', async () => {
    const r = await env.pman(['ps', '--filter', 'color=red']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/unknown key "color"/);
  });

  it('renders --format templates, table headers and json', async () => {
    expect(await env.ok(['ps', '--format', '{{.Names}} {{.State}} {{index .Labels "tier"}}'])).toBe('ps-up running web');
    const table = (await env.ok(['ps', '--format', 'table {{.Names}}\t{{.Status}}'])).split('\n');
    expect(table[0]).toMatch(/^NAMES\s+STATUS$/);
    const json = JSON.parse(await env.ok(['ps', '--format', '{{json .}}'])) as { Names: string; State: string };
    expect(json.Names).toBe('ps-up');
    expect(json.State).toBe('running');
  });

  it('rejects a broken template with exit 125', async () => {
    const r = await env.pman(['ps', '--format', '{{.Names']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/invalid --format template/);
  });
});

describe('inspect', () => {
  it('gives podman-shaped JSON with state, config, image and log path', async () => {
    expect((await env.pman(['run', '--name', 'insp', '-e', 'X=1', '-w', '/tmp', '-l', 'a=b', 'busybox', 'sh', '-c', 'exit 5'])).exitCode).toBe(5);
    const [doc] = JSON.parse(await env.ok(['inspect', 'insp'])) as Array<Record<string, any>>;
    expect(doc.Id).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.Name).toBe('insp');
    expect(doc.State).toMatchObject({ Status: 'exited', Running: false, ExitCode: 5, Pid: 0 });
    expect(Date.parse(doc.State.StartedAt)).toBeLessThanOrEqual(Date.parse(doc.State.FinishedAt));
    expect(doc.Config).toMatchObject({ Cmd: ['sh', '-c', 'exit 5'], Entrypoint: [], WorkingDir: '/tmp', User: '', Labels: { a: 'b' } });
    expect(doc.Config.Env).toContain('X=1');
    expect(doc.ImageName).toBe('localhost/busybox:latest');
    expect(doc.Image).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.existsSync(doc.LogPath)).toBe(true);
  });

  it('records the image by the name it was given, as podman does', async () => {
    await env.ok(['tag', 'busybox', 'insp-alias:v1']);
    try {
      await env.ok(['create', '--name', 'insp-alias', 'insp-alias:v1', 'true']);
      expect((await env.ok(['inspect', '--format', '{{.ImageName}}', 'insp-alias'])).trim()).toBe('localhost/insp-alias:v1');
      expect((await env.ok(['ps', '-a', '--filter', 'name=insp-alias', '--format', '{{.Image}}'])).trim()).toBe('localhost/insp-alias:v1');
    } finally {
      await env.pman(['rm', '-f', 'insp-alias']);
      await env.pman(['untag', 'busybox', 'localhost/insp-alias:v1']);
    }
  });

  it('shows the pid of a running container', async () => {
    await env.ok(['run', '-d', '--name', 'insp-run', 'busybox', 'sleep', '1000']);
    const pid = Number(await env.ok(['inspect', '--format', '{{.State.Pid}}', 'insp-run']));
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).toBe('sleep\u00001000\u0000');
  });

  it('fails with 125 for an unknown name but prints the known ones', async () => {
    const r = await env.pman(['inspect', '--format', '{{.Name}}', 'insp', 'nosuch']);
    expect(r.exitCode).toBe(125);
    expect(r.stdout).toBe('insp');
    expect(r.stderr).toMatch(/nosuch/);
  });
});

describe('stop, kill, wait, restart', () => {
  it('stop sends the stop signal and the container exits with its handler status', async () => {
    await env.ok(['run', '-d', '--name', 'trap', 'busybox', 'sh', '-c', 'trap "echo got-term; exit 42" TERM; while true; do sleep 0.1; done']);
    await until(async () => (await env.ok(['logs', 'trap'])) === '' && (await status('trap')) === 'running');
    await new Promise((r) => setTimeout(r, 300));
    expect(await env.ok(['stop', 'trap'])).toBe('trap');
    expect(await env.ok(['inspect', '--format', '{{.State.ExitCode}}', 'trap'])).toBe('42');
    expect(await env.ok(['logs', 'trap'])).toBe('got-term');
  });

  it('stop -t escalates to SIGKILL when the signal is ignored', async () => {
    await env.ok(['run', '-d', '--name', 'stubborn', 'busybox', 'sleep', '1000']);
    const r = await env.pman(['stop', '-t', '1', 'stubborn']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/resorting to SIGKILL/);
    expect(await env.ok(['inspect', '--format', '{{.State.ExitCode}}', 'stubborn'])).toBe('137');
  });

  it('stop of a stopped container succeeds and changes nothing', async () => {
    await env.ok(['run', '--name', 'already', 'busybox', 'true']);
    expect((await env.pman(['stop', 'already'])).exitCode).toBe(0);
    expect(await status('already')).toBe('exited');
  });

  it('kill -s delivers a chosen signal', async () => {
    await env.ok(['run', '-d', '--name', 'usr1', 'busybox', 'sh', '-c', 'trap "exit 7" USR1; while true; do sleep 0.1; done']);
    await new Promise((r) => setTimeout(r, 300));
    expect(await env.ok(['kill', '-s', 'USR1', 'usr1'])).toBe('usr1');
    expect(await env.ok(['wait', 'usr1'])).toBe('7');
  });

  it('kill of a stopped container and an invalid signal fail with 125', async () => {
    await env.ok(['run', '--name', 'dead', 'busybox', 'true']);
    expect((await env.pman(['kill', 'dead'])).exitCode).toBe(125);
    await env.ok(['run', '-d', '--name', 'alive', 'busybox', 'sleep', '1000']);
    const r = await env.pman(['kill', '-s', 'SIGBOGUS', 'alive']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/invalid --signal "SIGBOGUS"/);
  });

  it('wait prints each exit code once the containers stop', async () => {
    await env.ok(['run', '-d', '--name', 'w1', 'busybox', 'sh', '-c', 'sleep 0.5; exit 3']);
    await env.ok(['run', '-d', '--name', 'w2', 'busybox', 'sh', '-c', 'exit 4']);
    expect(await env.ok(['wait', 'w1', 'w2'])).toBe('3\n4');
  });

  it('restart runs the container again and its log grows', async () => {
    await env.ok(['run', '-d', '--name', 'rs', 'busybox', 'sh', '-c', 'echo run; sleep 1000']);
    await until(async () => (await env.ok(['logs', 'rs'])) === 'run');
    const pid1 = await env.ok(['inspect', '--format', '{{.State.Pid}}', 'rs']);
    await env.ok(['restart', '-t', '0', 'rs']);
    expect(await status('rs')).toBe('running');
    expect(await env.ok(['inspect', '--format', '{{.State.Pid}}', 'rs'])).not.toBe(pid1);
    expect(await until(async () => (await env.ok(['logs', 'rs'])) === 'run\nrun')).toBe(true);
  });
});

describe('rm', () => {
  it('refuses to remove a running container without --force', async () => {
    await env.ok(['run', '-d', '--name', 'busy', 'busybox', 'sleep', '1000']);
    const r = await env.pman(['rm', 'busy']);
    expect(r.exitCode).toBe(2); // podman's code for a running container
    expect(r.stderr).toMatch(/cannot remove container "busy": container is running, stop it first or use --force/);
    expect(await status('busy')).toBe('running');
  });

  it('rm -f kills and removes a running container with its mount, runtime state and files', async () => {
    const id = (await env.ok(['run', '-d', '--name', 'gone', 'busybox', 'sleep', '1000'])).trim();
    const dir = path.join(env.root, 'containers', id);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).toContain(path.join(dir, 'merged'));
    expect(await env.ok(['rm', '-f', 'gone'])).toBe('gone'); // as podman: the name given
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
    expect(fs.existsSync(path.join(env.runroot, 'runc', id))).toBe(false);
    expect((await env.pman(['inspect', 'gone'])).exitCode).toBe(125);
    // The name is free again.
    await env.ok(['create', '--name', 'gone', 'busybox', 'true']);
  });

  it('removes several containers, reporting the unknown one and exiting 1 as podman does', async () => {
    await env.ok(['create', '--name', 'm1', 'busybox', 'true']);
    await env.ok(['create', '--name', 'm2', 'busybox', 'true']);
    const r = await env.pman(['rm', 'm1', 'nosuch', 'm2']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/no container with name or ID "nosuch"/);
  });

  it('resolves unique ID prefixes and refuses ambiguous ones', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await env.ok(['create', 'busybox', 'true'])).trim());
    const id = ids[0];
    expect(await env.ok(['inspect', '--format', '{{.Id}}', id.slice(0, 10)])).toBe(id);
    // Among 20+ IDs two share a first hex digit (pigeonhole over 16 digits).
    const first = ids.map((x) => x[0]).find((c, i, a) => a.indexOf(c) !== i)!;
    const r = await env.pman(['inspect', first]);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/ambiguous/);
  });

  it('rm --all removes every container', async () => {
    const other = await TestEnv.create();
    try {
      await other.ok(['run', '-d', 'busybox', 'sleep', '1000']);
      await other.ok(['create', 'busybox', 'true']);
      await other.ok(['rm', '-af']);
      expect(await other.ok(['ps', '-aq'])).toBe('');
    } finally {
      await other.cleanup();
    }
  });
});

describe('logs (plain replay)', () => {
  it('replays stdout to stdout and stderr to stderr', async () => {
    await env.ok(['run', '--name', 'lg', 'busybox', 'sh', '-c', 'echo o1; echo e1 >&2; echo o2']);
    const r = await env.pman(['logs', 'lg']);
    expect(r.stdout).toBe('o1\no2');
    expect(r.stderr).toBe('e1');
  });

  it('is a clear error for an unknown container', async () => {
    const r = await env.pman(['logs', 'nosuch']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(/no container with name or ID "nosuch"/);
  });
});
