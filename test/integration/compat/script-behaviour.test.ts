// What scripts written for podman rely on beyond flags (#20), as scripts/podman-diff.mjs found
// pman differing from podman 4.3.1: exit codes of removals of what is missing (0 with --force),
// what rm and restart print, exists for volumes, --noheading on every list.
import { spawn } from 'node:child_process';
import { PMAN_BIN, TestEnv } from '../harness.js';
import { useEnv } from './shared-env.js';

const getEnv = useEnv();
let env: TestEnv;
beforeAll(() => {
  env = getEnv();
});

describe('removing what does not exist', () => {
  it('exits 1 for a missing container, pod or volume, and 0 silently with --force, as podman', async () => {
    for (const args of [['rm'], ['pod', 'rm'], ['volume', 'rm']]) {
      const plain = await env.pman([...args, 'nosuch']);
      expect([args.join(' '), plain.exitCode, plain.stdout]).toEqual([args.join(' '), 1, '']);
      expect(plain.stderr).toMatch(/^Error: no (container|pod|volume) with name/);
      expect([args.join(' '), await env.pman([...args, '-f', 'nosuch'])]).toEqual([args.join(' '), { exitCode: 0, stdout: '', stderr: '' }]);
    }
    // --force still removes what exists among the names, and fails on what it cannot do.
    await env.ok(['volume', 'create', 'there']);
    expect(await env.pman(['volume', 'rm', '-f', 'nosuch', 'there'])).toEqual({ exitCode: 0, stdout: 'there', stderr: '' });
    // network rm: the same codes (podman 4.3.1 words its error otherwise).
    expect(await env.pman(['network', 'rm', 'nosuch'])).toMatchObject({ exitCode: 1, stdout: '' });
    expect(await env.pman(['network', 'rm', '-f', 'nosuch'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
  });
});

describe('what the lifecycle verbs print', () => {
  it('rm and restart print the name or ID as given, rm --all full IDs', async () => {
    const id = (await env.ok(['run', '-d', '--name', 'given', '--network', 'none', 'busybox', 'sleep', '1000'])).trim();
    expect(await env.ok(['restart', '-t', '0', 'given'])).toBe('given');
    expect(await env.ok(['restart', '-t', '0', id.slice(0, 7)])).toBe(id.slice(0, 7));
    expect(await env.ok(['rm', '-f', '-t', '0', id.slice(0, 9)])).toBe(id.slice(0, 9));
    const other = (await env.ok(['create', '--name', 'other', '--network', 'none', 'busybox', 'true'])).trim();
    expect(await env.ok(['rm', '--all'])).toBe(other);
  });
});

describe('volumes as scripts query them', () => {
  it('volume exists exits 0 or 1, and a name that could never be a volume is not one', async () => {
    await env.ok(['volume', 'create', 'vx']);
    expect(await env.pman(['volume', 'exists', 'vx'])).toEqual({ exitCode: 0, stdout: '', stderr: '' });
    expect(await env.pman(['volume', 'exists', 'nosuch'])).toEqual({ exitCode: 1, stdout: '', stderr: '' });
    expect((await env.pman(['volume', 'exists', '../volumes/vx'])).exitCode).toBe(1);
  });

  it('volume ls and network ls take --noheading, and a wrong flag names the command as typed', async () => {
    await env.ok(['volume', 'create', 'vh']);
    expect(await env.ok(['volume', 'ls', '--noheading'])).toMatch(/^local +vh$/);
    expect(await env.ok(['network', 'ls', '--noheading', '--format', 'table {{.Name}}', '--filter', 'name=^pman$'])).toBe('pman');
    expect(await env.pman(['volume', 'ls', '--bogus'])).toMatchObject({ exitCode: 125, stderr: 'Error: Unknown argument: bogus: see "pman volume ls --help"' });
  });
});

describe('networks as scripts query them', () => {
  it('templates see podman\'s Go names in subnets and labels as a map in inspect; json keeps netavark\'s keys', async () => {
    await env.ok(['network', 'create', '--subnet', '10.252.42.0/24', '--label', 'nl=1', 'tplnet']);
    try {
      const tpl = '{{range .Subnets}}{{.Subnet}} {{.Gateway}}{{end}}|{{.Labels}}|{{index .Labels "nope"}}|{{json .Subnets}}';
      expect(await env.ok(['network', 'inspect', '--format', tpl, 'tplnet'])).toBe('10.252.42.0/24 10.252.42.1|map[nl:1]||[{"subnet":"10.252.42.0/24","gateway":"10.252.42.1"}]');
      // ls rows: podman 4.3.1 joins the labels into one string there.
      expect(await env.ok(['network', 'ls', '--filter', 'name=tplnet', '--format', '{{range .Subnets}}{{.Subnet}}{{end}} {{.Labels}}'])).toBe('10.252.42.0/24 nl=1');
    } finally {
      await env.pman(['network', 'rm', '-f', 'tplnet']);
    }
  });
});

describe('images as scripts list them', () => {
  it('a commit descends from its container\'s image: untagged, that image is intermediate (images -a only, not dangling) and goes with its last child', async () => {
    await env.ok(['run', '--name', 'c1', '--network', 'none', 'busybox', 'true']);
    await env.ok(['commit', '-q', 'c1', 'cbase']);
    await env.ok(['create', '--name', 'c2', '--network', 'none', 'cbase', 'true']);
    await env.ok(['commit', '-q', 'c2', 'cchild']);
    await env.ok(['rm', 'c1', 'c2']);
    const base = (await env.ok(['images', '-q', '--no-trunc', 'cbase'])).trim();
    await env.ok(['untag', 'cbase']);
    try {
      const list = (...args: string[]) => env.ok(['images', '--no-trunc', '--format', '{{.ID}} {{.Repository}}', ...args]);
      expect(await list()).not.toContain(base);
      expect(await list('-a')).toContain(`${base} <none>`);
      expect(await env.ok(['images', '-q', '--filter', 'dangling=true'])).toBe('');
      expect(await env.ok(['image', 'prune', '-f'])).toBe('');
    } finally {
      await env.pman(['rmi', 'cchild']);
    }
    expect(await env.ok(['images', '-a', '-q', '--no-trunc'])).not.toContain(base); // rmi took the dangling parent too
  });
});

describe('flags Node itself would take', () => {
  it('run --env-file of a missing file is pman\'s one-line error, not Node\'s (Node 20 reads --env-file after the script too)', async () => {
    const r = await env.pman(['run', '--rm', '--network', 'none', '--env-file', '/nonexistent/env', 'busybox', 'true']);
    expect(r).toEqual({ exitCode: 125, stdout: '', stderr: 'Error: cannot read env file "/nonexistent/env": no such file' });
  });
});

describe('output to a reader that went away', () => {
  it('logs -f ends with 141 (as SIGPIPE would) and no stack trace once stdout\'s reader closed, as `pman logs -f c | head -0`', async () => {
    await env.ok(['run', '-d', '--name', 'talker', '--network', 'none', 'busybox', 'sh', '-c', 'echo one; sleep 1000']);
    const child = spawn(PMAN_BIN, env.args(['logs', '-f', 'talker']), { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // the read end closed before pman writes: its first write fails
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect({ code, stderr }).toEqual({ code: 141, stderr: '' });
  });
});

describe('inspect as scripts read it', () => {
  it('templates see the fields of podman\'s structs that its JSON leaves out, and {{.ID}} as {{.Id}}', async () => {
    const id = (await env.ok(['create', '--name', 'gof', '--network', 'none', 'busybox', 'true'])).trim();
    expect(await env.ok(['inspect', '--format', '{{.ID}} {{.NetworkSettings.Networks}}', 'gof'])).toBe(`${id} map[]`);
    const image = JSON.parse(await env.ok(['image', 'inspect', 'busybox']))[0];
    expect(await env.ok(['image', 'inspect', '--format', '{{.ID}} {{.Config.Cmd}} {{.Config.Entrypoint}} {{.Config.WorkingDir}}|', 'busybox'])).toBe(`${image.Id} [] [] |`);
    // The JSON stays as podman's: no ID key, no empty Networks, no Cmd the image lacks.
    const doc = JSON.parse(await env.ok(['inspect', 'gof']))[0];
    expect([doc.ID, doc.NetworkSettings.Networks, image.ID, image.Config.Cmd]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('prints "[]" for names that all fail, with exit 125, as podman (and nothing with --format)', async () => {
    for (const args of [['inspect'], ['container', 'inspect'], ['image', 'inspect'], ['volume', 'inspect']]) {
      const r = await env.pman([...args, 'nosuch']);
      expect([args.join(' '), r.exitCode, r.stdout]).toEqual([args.join(' '), 125, '[]']);
      expect(r.stderr).toMatch(/^Error: .*"nosuch"/);
    }
    expect(await env.pman(['inspect', '--format', '{{.Id}}', 'nosuch'])).toMatchObject({ exitCode: 125, stdout: '' });
  });
});

describe('ps filters as podman applies them', () => {
  it('label= filters must all match; volume= matches a named volume or a mount destination', async () => {
    await env.ok(['create', '--name', 'both', '--network', 'none', '--label', 'app=web', '--label', 'tier=front', '-v', 'fv:/data', 'busybox', 'true']);
    await env.ok(['create', '--name', 'one', '--network', 'none', '--label', 'app=db', '--tmpfs', '/scratch', 'busybox', 'true']);
    const names = (...filters: string[]) => env.ok(['ps', '-a', '--sort', 'names', '--format', '{{.Names}}', ...filters.flatMap((f) => ['--filter', f])]);
    expect(await names('label=app')).toBe('both\none');
    expect(await names('label=app', 'label=tier')).toBe('both');
    expect(await names('label=app=db', 'label=tier')).toBe('');
    expect(await names('name=both', 'name=one')).toBe('both\none'); // other keys: any value
    expect(await names('volume=fv')).toBe('both');
    expect(await names('volume=/scratch')).toBe('one');
    expect(await names('volume=/data', 'volume=/scratch')).toBe('both\none');
    expect(await names('volume=nosuch')).toBe('');
    // podman's Label method of a ps row, as compose-style scripts use it.
    expect(await env.ok(['ps', '-a', '--sort', 'names', '--format', '{{.Names}}:{{.Label "tier"}}:{{.Label "app"}}'])).toBe('both:front:web\none::db');
  });

  it('before=, since=, until=, pod=, network= and restart-policy= relate containers to other objects, as podman 4.3.1', async () => {
    await env.ok(['network', 'create', '--subnet', '10.252.41.0/24', 'relnet']);
    await env.ok(['pod', 'create', '--infra=false', '--name', 'relpod']);
    try {
      await env.ok(['create', '--name', 'old', '--network', 'none', '--restart', 'always', 'busybox', 'true']);
      await env.ok(['create', '--name', 'mid', '--network', 'relnet', 'busybox', 'true']);
      await env.ok(['create', '--name', 'new', '--network', 'none', '--pod', 'relpod', '--restart', 'no', 'busybox', 'true']);
      const names = (...filters: string[]) => env.ok(['ps', '-a', '--sort', 'names', '--format', '{{.Names}}', ...filters.flatMap((f) => ['--filter', f])]);
      expect(await names('before=mid')).toBe('old');
      expect(await names('since=mid')).toBe('new');
      expect(await names('since=old', 'before=new')).toBe('mid');
      expect(await names('until=2000-01-01')).toBe('');
      expect(await names('until=2999-01-01')).toBe('mid\nnew\nold');
      expect(await names('pod=relpod')).toBe('new');
      expect(await names('pod=nosuch')).toBe(''); // podman: a missing pod matches nothing, exit 0
      expect(await names('network=relnet')).toBe('mid');
      expect(await names('network=none')).toBe(''); // not a network: podman matches nothing
      expect(await names('restart-policy=always')).toBe('old');
      // podman 4.3.1 tells --restart no (no) from none given (none).
      expect(await names('restart-policy=no')).toBe('new');
      expect(await names('restart-policy=none')).toBe('mid');
      // --restart no still goes with --rm (podman too).
      await env.ok(['create', '--name', 'gone', '--network', 'none', '--rm', '--restart', 'no', 'busybox', 'true']);
      expect(await names('restart-policy=no')).toBe('gone\nnew');
      const bad = await env.pman(['ps', '-a', '--filter', 'restart-policy=sometimes']);
      expect([bad.exitCode, bad.stderr]).toEqual([125, expect.stringMatching(/^Error: invalid restart-policy filter "sometimes": use one of none, no,/)]);
      expect(await env.pman(['ps', '-a', '--filter', 'before=nosuch'])).toMatchObject({ exitCode: 125, stdout: '' });
    } finally {
      await env.pman(['rm', '-af', '-t', '0']);
      await env.pman(['pod', 'rm', '-f', 'relpod']);
      await env.pman(['network', 'rm', '-f', 'relnet']);
    }
  });
});
