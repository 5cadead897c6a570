// podman's command groups and the verbs scripts use (#20): `pman container|image|system <verb>`,
// their help, `pman help CMD`, rename, diff, container exists/prune, system df/prune/reset,
// completion, and podman's exit codes for rm/stop of what is missing or running.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { useEnv } from './shared-env.js';

const getEnv = useEnv();
let env: TestEnv;
beforeAll(() => {
  env = getEnv();
});

const id = async (name: string) => (await env.ok(['inspect', '--format', '{{.Id}}', name])).trim();

describe('command groups and help', () => {
  it('lists the container group\'s subcommands on --help, and refuses the bare group word with exit 125', async () => {
    const help = await env.ok(['container', '--help']);
    for (const sub of ['exists', 'prune', 'rename', 'diff', 'ls', 'run', 'inspect']) expect(help).toMatch(new RegExp(`^  ${sub} +\\S`, 'm'));
    expect(await env.ok(['help', 'container'])).toBe(help);
    const bare = await env.pman(['container']);
    expect(bare.exitCode).toBe(125);
    expect(bare.stderr.split('\n')[0]).toBe('Error: missing command "pman container COMMAND"');
    expect(await env.ok(['image', '--help'])).toMatch(/^ {2}untag +Remove names from a local image$/m);
    expect(await env.ok(['system', '--help'])).toMatch(/^ {2}df +Show pman disk usage$/m);
  });

  it('names an unknown subcommand with its group', async () => {
    expect(await env.pman(['container', 'nosuchverb'])).toMatchObject({
      exitCode: 125,
      stderr: 'Error: unrecognized command "pman container nosuchverb": run "pman --help" for the list of commands',
    });
  });

  it('pman help CMD prints the command\'s own help', async () => {
    const help = await env.ok(['help', 'rm']);
    expect(help.split('\n')[0]).toBe('Usage: pman rm [options] CONTAINER...');
    expect(help).toContain('--ignore');
  });

  it('runs verbs under their group: container ls, container inspect, image ls', async () => {
    await env.ok(['create', '--name', 'g-one', 'busybox', 'true']);
    expect((await env.ok(['container', 'ls', '-a', '--format', '{{.Names}}'])).split('\n')).toContain('g-one');
    expect((await env.ok(['container', 'inspect', '--format', '{{.Name}}', 'g-one'])).trim()).toBe('g-one');
    expect(await env.ok(['image', 'ls', '--format', '{{.Repository}}'])).toBe('localhost/busybox');
    await env.ok(['rm', 'g-one']);
  });
});

describe('container exists, rename, diff', () => {
  it('container exists exits 0 for a container, 1 for none, by name, ID and docker\'s /name', async () => {
    await env.ok(['create', '--name', 'ex-one', 'busybox', 'true']);
    expect((await env.pman(['container', 'exists', 'ex-one'])).exitCode).toBe(0);
    expect((await env.pman(['container', 'exists', (await id('ex-one')).slice(0, 12)])).exitCode).toBe(0);
    expect((await env.pman(['container', 'exists', '/ex-one'])).exitCode).toBe(0);
    expect(await env.pman(['container', 'exists', 'ex-none'])).toMatchObject({ exitCode: 1, stdout: '', stderr: '' });
    await env.ok(['rm', 'ex-one']);
  });

  it('rename gives a running container its new name and frees the old one', async () => {
    await env.ok(['run', '-d', '--name', 'rn-old', 'busybox', 'sleep', '1000']);
    const cid = await id('rn-old');
    await env.ok(['rename', 'rn-old', 'rn-new']);
    expect(await id('rn-new')).toBe(cid);
    expect((await env.pman(['container', 'exists', 'rn-old'])).exitCode).toBe(1);
    expect((await env.ok(['inspect', '--format', '{{.State.Status}}', 'rn-new'])).trim()).toBe('running');
    // The old name is free again, the new one taken.
    await env.ok(['create', '--name', 'rn-old', 'busybox', 'true']);
    const taken = await env.pman(['rename', 'rn-old', 'rn-new']);
    expect(taken.exitCode).toBe(125);
    expect(taken.stderr).toMatch(/^Error: the container name "rn-new" is already in use by [0-9a-f]{12}: remove that container or choose another name$/);
    expect((await env.ok(['inspect', '--format', '{{.Name}}', 'rn-old'])).trim()).toBe('rn-old');
    await env.ok(['rm', '-f', '-t', '0', 'rn-new', 'rn-old']);
  });

  it('diff reports added, changed and deleted paths, as lines and as podman\'s JSON', async () => {
    await env.ok(['run', '-d', '--name', 'df-one', 'busybox', 'sleep', '1000']);
    await env.ok(['exec', 'df-one', 'sh', '-c', 'mkdir /tmp/new && echo x > /tmp/new/f && rm /bin/ls && echo y >> /etc/motd-pman']);
    expect(await env.ok(['diff', 'df-one'])).toBe('C /bin\nD /bin/ls\nC /etc\nA /etc/motd-pman\nC /tmp\nA /tmp/new\nA /tmp/new/f');
    expect(JSON.parse(await env.ok(['container', 'diff', '--format', 'json', 'df-one']))).toEqual({
      changed: ['/bin', '/etc', '/tmp'],
      added: ['/etc/motd-pman', '/tmp/new', '/tmp/new/f'],
      deleted: ['/bin/ls'],
    });
    await env.ok(['rm', '-f', '-t', '0', 'df-one']);
  });
});

describe('podman exit codes', () => {
  it('rm of a missing container exits 1, of a running one without --force 2; --ignore passes over the missing', async () => {
    expect(await env.pman(['rm', 'ec-none'])).toMatchObject({ exitCode: 1, stderr: 'Error: no container with name or ID "ec-none" found: run "pman ps -a" to list containers' });
    await env.ok(['run', '-d', '--name', 'ec-up', 'busybox', 'sleep', '1000']);
    const running = await env.pman(['rm', 'ec-up']);
    expect(running.exitCode).toBe(2);
    expect(running.stderr).toBe('Error: cannot remove container "ec-up": container is running, stop it first or use --force');
    expect(await env.pman(['rm', '--ignore', 'ec-none'])).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
    expect((await env.pman(['stop', 'ec-none'])).exitCode).toBe(125);
    expect(await env.pman(['stop', '-i', 'ec-none'])).toMatchObject({ exitCode: 0, stderr: '' });
    await env.ok(['rm', '-f', '-t', '0', 'ec-up']);
  });

  it('rm, stop and kill read --cidfile; stop --filter and --latest select containers', async () => {
    const cidfile = path.join(env.dir, 'cid');
    const cid = (await env.ok(['run', '-d', '--name', 'cf-one', 'busybox', 'sleep', '1000'])).trim();
    fs.writeFileSync(cidfile, `${cid}\n`);
    await env.ok(['run', '-d', '--name', 'cf-two', '--label', 'pick=yes', 'busybox', 'sleep', '1000']);
    expect((await env.ok(['stop', '-t', '0', '--filter', 'label=pick=yes'])).trim()).toBe(await id('cf-two'));
    expect((await env.ok(['kill', '--cidfile', cidfile])).trim()).toBe(cid);
    expect((await env.ok(['wait', 'cf-one'])).trim()).toBe('137');
    expect((await env.ok(['rm', '--cidfile', cidfile])).trim()).toBe(cid);
    const lastId = (await env.ok(['create', '--name', 'cf-last', 'busybox', 'true'])).trim();
    expect((await env.ok(['rm', '--latest'])).trim()).toBe(lastId);
    await env.ok(['rm', 'cf-two']);
  });

  it('a flag given twice takes the last value', async () => {
    await env.ok(['create', '--name', 'tw-one', 'busybox', 'true']);
    expect(await env.ok(['inspect', '--format', '{{.Id}}', '--format', '{{.Name}}', 'tw-one'])).toBe('tw-one');
    expect(await env.ok(['ps', '-a', '--format', '{{.ID}}', '--format', '{{.Names}}', '--filter', 'name=tw-one'])).toBe('tw-one');
    await env.ok(['rm', 'tw-one']);
  });
});

describe('prune, df, reset', () => {
  it('container prune -f removes the containers not running and keeps the running one', async () => {
    await env.ok(['run', '--name', 'pr-exited', 'busybox', 'true']);
    const exited = await id('pr-exited');
    const created = (await env.ok(['create', '--name', 'pr-created', 'busybox', 'true'])).trim();
    await env.ok(['run', '-d', '--name', 'pr-up', 'busybox', 'sleep', '1000']);
    expect((await env.ok(['container', 'prune', '-f'])).split('\n').filter(Boolean).sort()).toEqual([exited, created].sort());
    expect(await env.ok(['ps', '-a', '--format', '{{.Names}}'])).toBe('pr-up');
    await env.ok(['rm', '-f', '-t', '0', 'pr-up']);
  });

  it('system df counts images, containers and volumes, active and reclaimable', async () => {
    await env.ok(['volume', 'create', 'df-vol']);
    await env.ok(['run', '-d', '--name', 'sd-up', '-v', 'df-vol:/data', 'busybox', 'sh', '-c', 'head -c 5000 /dev/zero > /data/f; sleep 1000']);
    await env.ok(['create', '--name', 'sd-created', 'busybox', 'true']);
    const rows = JSON.parse(await env.ok(['system', 'df', '--format', 'json'])) as Array<Record<string, unknown>>;
    expect(rows.map((r) => [r.Type, r.Total, r.Active])).toEqual([
      ['Images', 1, 1],
      ['Containers', 2, 1],
      ['Local Volumes', 1, 1],
    ]);
    const table = await env.ok(['system', 'df', '--format', '{{.Type}}={{.Total}}']);
    expect(table).toBe('Images=1\nContainers=2\nLocal Volumes=1');
    const verbose = await env.ok(['system', 'df', '-v']);
    expect(verbose).toMatch(/^df-vol +1 +5kB$/m);
    await env.ok(['rm', '-f', '-t', '0', 'sd-up', 'sd-created']);
    await env.ok(['volume', 'rm', 'df-vol']);
  });

  it('system prune -f --volumes removes stopped containers and unused volumes, not what a running container uses', async () => {
    await env.ok(['volume', 'create', 'sp-unused']);
    await env.ok(['volume', 'create', 'sp-used']);
    const stopped = (await env.ok(['create', '--name', 'sp-stopped', 'busybox', 'true'])).trim();
    await env.ok(['run', '-d', '--name', 'sp-up', '-v', 'sp-used:/d', 'busybox', 'sleep', '1000']);
    const out = await env.ok(['system', 'prune', '-f', '--volumes']);
    expect(out).toBe(`Deleted Containers\n${stopped}\nDeleted Volumes\nsp-unused\nTotal reclaimed space: 0B`);
    expect(await env.ok(['volume', 'ls', '-q'])).toBe('sp-used');
    expect(await env.ok(['images', '--format', '{{.Repository}}'])).toBe('localhost/busybox');
    await env.ok(['rm', '-f', '-t', '0', 'sp-up']);
    await env.ok(['volume', 'rm', 'sp-used']);
  });

  it('system reset -f removes every container and the whole store', async () => {
    const own = await TestEnv.create();
    try {
      await own.ok(['run', '-d', '--name', 'rs-up', 'busybox', 'sleep', '1000']);
      await own.ok(['volume', 'create', 'rs-vol']);
      expect(await own.pman(['system', 'reset', '-f'])).toMatchObject({ exitCode: 0, stderr: '' });
      expect(fs.existsSync(own.root)).toBe(false);
      expect(fs.existsSync(own.runroot)).toBe(false);
      expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(own.dir);
      expect(await own.ok(['ps', '-a', '-q'])).toBe('');
    } finally {
      await own.cleanup();
    }
  });

  it('system reset without -f asks, and leaves everything on no', async () => {
    await env.ok(['create', '--name', 'rs-keep', 'busybox', 'true']);
    const r = await env.pman(['system', 'reset'], { input: 'n\n' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/Are you sure you want to continue\? \[y\/N\] $/);
    expect((await env.pman(['container', 'exists', 'rs-keep'])).exitCode).toBe(0);
    await env.ok(['rm', 'rs-keep']);
  });
});

describe('completion', () => {
  it('prints bash, zsh and fish completion generated from the command table', async () => {
    const bash = await env.ok(['completion', 'bash']);
    expect(bash).toContain('complete -o default -F _pman pman');
    expect(bash).toMatch(/^_pman_subs_container='[^']*\brename\b[^']*'$/m);
    execFileSync('bash', ['-n'], { input: bash });
    // The function completes `pman container ren` to rename when run by bash itself.
    const words = execFileSync('bash', ['-c', `${bash}\nCOMP_WORDS=(pman container ren); COMP_CWORD=2; _pman; echo "\${COMPREPLY[@]}"`]).toString();
    expect(words.trim()).toBe('rename');
    const zsh = await env.ok(['completion', 'zsh']);
    expect(zsh.split('\n').slice(0, 3)).toEqual(['#compdef pman', expect.stringContaining('zsh completion'), 'autoload -U +X bashcompinit && bashcompinit']);
    const fish = await env.ok(['completion', 'fish']);
    expect(fish).toContain("complete -c pman -n __fish_use_subcommand -a rename -d 'Rename an existing container'");
    expect(fish).toMatch(/^complete -c pman -n '__fish_seen_subcommand_from rm' -l ignore -s i -d /m);
    expect(await env.pman(['completion', 'tcsh'])).toMatchObject({ exitCode: 125, stderr: 'Error: invalid shell "tcsh": use bash, zsh or fish' });
  });
});

describe("podman's global flags", () => {
  it('accepts the values pman uses, refuses the others naming the flag, and --noout silences stdout', async () => {
    await env.ok(['create', '--name', 'gl-one', 'busybox', 'true']);
    const args = ['--cgroup-manager', 'cgroupfs', '--events-backend', 'file', '--storage-driver', 'overlay', '--tmpdir', env.dir];
    expect(await env.ok([...args, 'ps', '-a', '--format', '{{.Names}}'])).toBe('gl-one');
    expect(await env.ok([...args, 'container', 'exists', 'gl-one'])).toBe('');
    expect(await env.pman(['--cgroup-manager', 'systemd', 'ps'])).toMatchObject({ exitCode: 125, stderr: 'Error: --cgroup-manager "systemd" is not supported: pman uses cgroupfs' });
    expect(await env.pman(['--events-backend', 'journald', 'ps'])).toMatchObject({ exitCode: 125, stderr: 'Error: --events-backend "journald" is not supported: pman uses file or none' });
    expect(await env.pman(['--remote', 'ps'])).toMatchObject({ exitCode: 125, stderr: 'Error: --remote is not supported: pman has no remote client' });
    expect(await env.pman(['--noout', 'ps', '-a'])).toMatchObject({ exitCode: 0, stdout: '' });
    expect(await env.pman(['--noout', 'rm', 'gl-nosuch'])).toMatchObject({ exitCode: 1, stdout: '', stderr: expect.stringContaining('gl-nosuch') });
    // Starting a container after value-taking global flags: routing skips their values.
    expect(await env.ok(['--cgroup-manager', 'cgroupfs', 'run', '--rm', 'busybox', 'echo', 'routed'])).toBe('routed');
  });
});
