// podman's container verbs of #20: `init` (runc create done, the process not started; ps/inspect
// say "initialized"; start runs it), `mount`/`unmount` (the root mounted for the user and counted,
// so each unmount undoes one and a run's own exit leaves it), and `container cleanup` (what a
// stopped container still holds, freed).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

const mounted = (dir: string) => fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').some((l) => l.split(' ')[4] === dir);
const runcStatus = (id: string) => {
  try {
    return JSON.parse(execFileSync('runc', ['--root', path.join(env.runroot, 'runc'), 'state', id], { stdio: ['ignore', 'pipe', 'ignore'] }).toString()).status as string;
  } catch {
    return 'none';
  }
};

describe('pman init', () => {
  it('creates the container in runc without starting it; start -a and start then run it', async () => {
    const id = (await env.ok(['create', '--name', 'ini', '--network', 'none', 'busybox', 'sh', '-c', 'echo ran'])).trim();
    expect(await env.ok(['init', 'ini'])).toBe('ini');
    expect(runcStatus(id)).toBe('created');
    expect(await env.ok(['ps', '-a', '--filter', 'name=ini', '--format', '{{.Status}}|{{.State}}'])).toBe('Initialized|initialized');
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'ini'])).toBe('initialized');
    expect(await env.ok(['logs', 'ini'])).toBe('');
    // podman's answer for a container already initialized (or running).
    expect(await env.pman(['container', 'init', 'ini'])).toMatchObject({ exitCode: 125, stderr: `Error: container ${id} has already been created in runtime: container state improper` });
    expect(await env.pman(['start', '-a', 'ini'])).toMatchObject({ exitCode: 0, stdout: 'ran' });
    // An exited container is initialized again; a detached start runs it.
    expect(await env.ok(['init', 'ini'])).toBe('ini');
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'ini'])).toBe('initialized');
    expect(await env.ok(['start', 'ini'])).toBe('ini');
    expect(await env.ok(['wait', 'ini'])).toBe('0');
    expect(await env.ok(['logs', 'ini'])).toBe('ran\nran');
    expect(runcStatus(id)).toBe('none');
    await env.ok(['rm', 'ini']);
  });

  it('refuses a running container and passes over it with --all', async () => {
    const id = (await env.ok(['run', '-d', '--name', 'ini-run', '--network', 'none', 'busybox', 'sleep', '1000'])).trim();
    try {
      const created = (await env.ok(['create', '--name', 'ini-new', '--network', 'none', 'busybox', 'true'])).trim();
      expect(await env.pman(['init', 'ini-run'])).toMatchObject({ exitCode: 125, stderr: `Error: container ${id} has already been created in runtime: container state improper` });
      expect(await env.ok(['init', '--all'])).toBe(created);
      expect(await env.ok(['ps', '-a', '--format', '{{.Names}} {{.State}}'])).toBe('ini-run running\nini-new initialized');
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'ini-run', 'ini-new']);
    }
  });
});

describe('pman mount and unmount', () => {
  it('mounts a stopped container, a file written there is seen by the container, each unmount undoes one mount', async () => {
    const id = (await env.ok(['create', '--name', 'mnt', '--network', 'none', 'busybox', 'cat', '/hello'])).trim();
    const merged = path.join(env.root, 'containers', id, 'merged');
    expect(await env.ok(['mount', 'mnt'])).toBe(merged);
    expect(await env.ok(['container', 'mount', 'mnt'])).toBe(merged);
    fs.writeFileSync(path.join(merged, 'hello'), 'from the mount\n');
    expect(await env.ok(['mount'])).toBe(`${id.slice(0, 12)}  ${merged}`);
    expect(await env.ok(['mount', '--notruncate'])).toBe(`${id}  ${merged}`);
    expect(JSON.parse(await env.ok(['mount', '--format', 'json']))).toEqual([{ id, Names: ['mnt'], mountpoint: merged }]);
    // The run's own mount and unmount leave the user's in place.
    expect(await env.pman(['start', '-a', 'mnt'])).toMatchObject({ exitCode: 0, stdout: 'from the mount' });
    expect(mounted(merged)).toBe(true);
    expect(await env.ok(['umount', 'mnt'])).toBe('mnt');
    expect(mounted(merged)).toBe(true);
    expect(await env.ok(['container', 'unmount', 'mnt'])).toBe('mnt');
    expect(mounted(merged)).toBe(false);
    expect(await env.ok(['mount'])).toBe('');
    // -f undoes every mount at once; --all those of every container.
    await env.ok(['mount', 'mnt']);
    await env.ok(['mount', 'mnt']);
    expect(await env.ok(['unmount', '-f', 'mnt'])).toBe('mnt');
    expect(mounted(merged)).toBe(false);
    await env.ok(['mount', 'mnt']);
    expect(await env.ok(['unmount', '--all'])).toBe(id);
    expect(mounted(merged)).toBe(false);
    await env.ok(['rm', 'mnt']);
  });

  it('rm of a mounted container unmounts it; an unknown container is one error line', async () => {
    const id = (await env.ok(['create', '--name', 'mnt-rm', '--network', 'none', 'busybox', 'true'])).trim();
    const merged = (await env.ok(['mount', 'mnt-rm'])).trim();
    expect(await env.ok(['rm', 'mnt-rm'])).toBe('mnt-rm');
    expect(mounted(merged)).toBe(false);
    expect(fs.existsSync(path.join(env.runroot, 'mounts', id))).toBe(false);
    expect(await env.pman(['mount', 'nosuch'])).toMatchObject({ exitCode: 125, stderr: 'Error: no container with name or ID "nosuch" found: run "pman ps -a" to list containers' });
    expect(await env.pman(['mount', '--format', '{{.ID}}'])).toMatchObject({ exitCode: 125, stderr: 'Error: unknown --format argument: "{{.ID}}": mount lists as a table or json' });
  });
});

describe('pman container cleanup', () => {
  it('frees the mount an exited container still holds, leaves the user\'s, refuses a running one, removes with --rm', async () => {
    const id = (await env.ok(['run', '--name', 'cln', '--network', 'none', 'busybox', 'true'])).trim() || (await env.ok(['inspect', '--format', '{{.Id}}', 'cln'])).trim();
    const dir = path.join(env.root, 'containers', id);
    const merged = path.join(dir, 'merged');
    expect(mounted(merged)).toBe(false);
    // What a crash between mount and record would leave: the root mounted with nobody running it.
    execFileSync('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${path.join(dir, 'l/0')},upperdir=${path.join(dir, 'upper')},workdir=${path.join(dir, 'work')}`, merged]);
    expect(mounted(merged)).toBe(true);
    expect(await env.ok(['container', 'cleanup', 'cln'])).toBe('cln');
    expect(mounted(merged)).toBe(false);
    // A mount of the user's stays, as podman's cleanup leaves it.
    await env.ok(['mount', 'cln']);
    expect(await env.ok(['container', 'cleanup', '--latest'])).toBe(id);
    expect(mounted(merged)).toBe(true);
    await env.ok(['unmount', 'cln']);

    await env.ok(['run', '-d', '--name', 'cln-run', '--network', 'none', 'busybox', 'sleep', '1000']);
    const runId = (await env.ok(['inspect', '--format', '{{.Id}}', 'cln-run'])).trim();
    try {
      expect(await env.pman(['container', 'cleanup', 'cln-run'])).toMatchObject({ exitCode: 125, stderr: `Error: container ${runId} is running or paused, refusing to clean up: container state improper` });
      expect(await env.pman(['container', 'cleanup', '--exec', 'abc', 'cln-run'])).toMatchObject({ exitCode: 125, stderr: `Error: container ${runId} has no exec session with ID abc: no such exec session` });
      expect(await env.ok(['container', 'cleanup', '--all'])).toBe(id);
      expect(await env.ok(['container', 'cleanup', '--rm', 'cln'])).toBe('cln');
      expect(await env.pman(['container', 'exists', 'cln'])).toMatchObject({ exitCode: 1 });
      expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'cln-run'])).toBe('running');
    } finally {
      await env.pman(['rm', '-f', '-t', '0', 'cln-run']);
    }
  });
});
