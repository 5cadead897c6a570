// Storage options proven inside real containers: binds, named and anonymous volumes, tmpfs,
// read-only roots, --volumes-from, the volume commands, and errors before anything is created.
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';

let env: TestEnv;
let host: string;
beforeAll(async () => {
  env = await TestEnv.create();
  host = path.join(env.dir, 'host');
  fs.mkdirSync(host);
  fs.writeFileSync(path.join(host, 'hello.txt'), 'from the host\n');
});
afterAll(async () => {
  await env.cleanup();
});

// Nothing here is about networking: no bridge to wire for each run (docs/networking.md, Tests).
const sh = (args: string[], script: string) => env.pman(['run', '--rm', '--network', 'none', ...args, 'busybox', 'sh', '-c', script]);

describe('bind mounts', () => {
  it('shows host files, writes through a rw bind and refuses writes to a ro one', async () => {
    const rw = await sh(['-v', `${host}:/data`], 'cat /data/hello.txt; echo written > /data/out.txt');
    expect(rw).toMatchObject({ exitCode: 0, stdout: 'from the host' });
    expect(fs.readFileSync(path.join(host, 'out.txt'), 'utf8')).toBe('written\n');
    const ro = await sh(['-v', `${host}:/data:ro`], 'cat /data/hello.txt; echo x > /data/no.txt');
    expect(ro.stdout).toBe('from the host');
    expect(ro.stderr).toMatch(/Read-only file system/);
    expect(fs.existsSync(path.join(host, 'no.txt'))).toBe(false);
  });

  it('accepts --mount type=bind with readonly', async () => {
    const r = await sh(['--mount', `type=bind,source=${host},target=/m,readonly`], 'cat /m/hello.txt; touch /m/x 2>&1 | grep -c Read-only');
    expect(r.stdout).toBe('from the host\n1');
  });

  it('chowns the source to the container user with U', async () => {
    const dir = path.join(env.dir, 'owned');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'f'), '');
    await sh(['-u', '1000:1000', '-v', `${dir}:/o:U`], 'touch /o/g');
    expect([fs.statSync(dir).uid, fs.statSync(path.join(dir, 'f')).uid, fs.statSync(path.join(dir, 'g')).gid]).toEqual([1000, 1000, 1000]);
  });
});

describe('named volumes', () => {
  it('are created on first use, filled from the image, and keep data across containers', async () => {
    const first = await sh(['-v', 'etcvol:/etc'], 'cat /etc/group | head -1; echo kept > /etc/marker');
    expect(first).toMatchObject({ exitCode: 0, stdout: 'root:x:0:' });
    expect(await env.ok(['volume', 'ls', '--format', '{{.Name}}'])).toContain('etcvol');
    const second = await sh(['-v', 'etcvol:/mnt/v'], 'cat /mnt/v/marker; ls /mnt/v/passwd');
    expect(second.stdout).toBe('kept\n/mnt/v/passwd');
  });

  it('are filled from the image only when new and without nocopy', async () => {
    expect((await sh(['-v', 'copied:/usr/bin'], 'ls /usr/bin')).stdout).toBe('env');
    expect((await sh(['-v', 'emptyvol:/usr/bin:nocopy'], 'ls /usr/bin | wc -l')).stdout).toBe('0');
  });

  it('refuse volume rm while a container uses them, then go once it is removed', async () => {
    await env.ok(['create', '--name', 'holder', '-v', 'busyvol:/data', 'busybox', 'true']);
    const r = await env.pman(['volume', 'rm', 'busyvol']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/volume busyvol is being used by the following container\(s\): [0-9a-f]{12} \(holder\)/);
    await env.ok(['rm', 'holder']);
    expect(await env.ok(['volume', 'rm', 'busyvol'])).toBe('busyvol');
    expect((await env.pman(['volume', 'inspect', 'busyvol'])).stderr).toMatch(/no volume with name "busyvol" found/);
  });

  it('are listed, inspected, filtered and pruned', async () => {
    await env.ok(['volume', 'create', '--label', 'team=a', 'va']);
    await env.ok(['volume', 'create', 'vb']);
    await env.ok(['create', '--name', 'user-of-vb', '-v', 'vb:/x', 'busybox', 'true']);
    expect(await env.ok(['volume', 'ls', '--filter', 'label=team=a', '--format', '{{.Name}}'])).toBe('va');
    const table = await env.ok(['volume', 'ls', '--filter', 'name=v']);
    expect(table.split('\n')[0]).toMatch(/^DRIVER\s+VOLUME NAME$/);
    const doc = JSON.parse(await env.ok(['volume', 'inspect', 'va']))[0];
    expect(doc).toMatchObject({ Name: 'va', Driver: 'local', Labels: { team: 'a' }, Scope: 'local' });
    expect(fs.statSync(doc.Mountpoint).isDirectory()).toBe(true);
    expect(await env.ok(['volume', 'inspect', '--format', '{{.Name}}={{.Labels.team}}', 'va'])).toBe('va=a');
    expect((await env.pman(['volume', 'create', 'va'])).stderr).toMatch(/already exists/);
    expect(await env.ok(['volume', 'create', '--ignore', 'va'])).toBe('va');
    const pruned = (await env.ok(['volume', 'prune', '--force', '--filter', 'label=team=a'])).split('\n');
    expect(pruned).toEqual(['va']);
    const all = (await env.ok(['volume', 'prune', '-f'])).split('\n');
    expect(all).not.toContain('vb');
    await env.ok(['rm', 'user-of-vb']);
  });

  it('removes an anonymous volume with run --rm, and keeps a named one', async () => {
    await sh(['-v', '/anon', '-v', 'named-kept:/named'], 'touch /anon/x /named/x');
    const names = (await env.ok(['volume', 'ls', '--format', '{{.Name}}'])).split('\n');
    expect(names).toContain('named-kept');
    expect(names.filter((n) => /^[0-9a-f]{64}$/.test(n))).toEqual([]);
  });
});

describe("the image's VOLUME paths", () => {
  beforeAll(async () => {
    // An image declaring VOLUME /data (holding a file from the image) and VOLUME /cache/.
    await env.ok(['run', '--name', 'vol-src', 'busybox', 'sh', '-c', 'mkdir -p /data /cache && echo from-image > /data/seed']);
    await env.ok(['commit', '-q', '-c', 'VOLUME ["/data", "/cache/"]', 'vol-src', 'localhost/with-volumes']);
    await env.ok(['rm', 'vol-src']);
  });
  const anonymous = async () => (await env.ok(['volume', 'ls', '--format', '{{.Name}}'])).split('\n').filter((n) => /^[0-9a-f]{64}$/.test(n));

  it('get a new anonymous volume each, filled from the image, removed with the container', async () => {
    const before = await anonymous();
    await env.ok(['create', '--name', 'vol-user', 'localhost/with-volumes', 'sh', '-c', 'cat /data/seed; grep -c " /data \\| /cache " /proc/mounts; echo new > /data/seed']);
    const made = (await anonymous()).filter((n) => !before.includes(n));
    expect(made).toHaveLength(2);
    const mounts = JSON.parse(await env.ok(['inspect', '-f', '{{json .Mounts}}', 'vol-user'])) as Array<{ Type: string; Name: string; Destination: string }>;
    expect(mounts.map((m) => [m.Type, m.Destination]).sort()).toEqual([['volume', '/cache'], ['volume', '/data']]);
    expect(mounts.map((m) => m.Name).sort()).toEqual([...made].sort());
    expect(await env.ok(['ps', '-a', '--filter', 'name=vol-user', '--format', '{{.Mounts}}'])).toBe('[/data /cache]');
    await env.ok(['start', '-a', 'vol-user']).then((out) => expect(out).toBe('from-image\n2'));
    await env.ok(['rm', '-v', 'vol-user']);
    expect((await anonymous()).filter((n) => made.includes(n))).toEqual([]);
    // The write went to that volume, not to the image: a new container starts from the image's file.
    expect((await env.pman(['run', '--rm', 'localhost/with-volumes', 'cat', '/data/seed'])).stdout).toBe('from-image');
  });

  it('leave room for an explicit mount of the same path, and follow --image-volume tmpfs and ignore', async () => {
    const before = await anonymous();
    const named = await env.pman(['run', '--rm', '-v', 'mine:/data', 'localhost/with-volumes', 'sh', '-c', 'ls /data | wc -l; grep -c " /cache " /proc/mounts']);
    expect(named.stdout).toBe('1\n1'); // the named volume got the image's file by copy-up
    // A tmpfs, filled with the image's files as --tmpfs mounts are (tmpcopyup).
    const tmpfs = await env.pman(['run', '--rm', '--image-volume', 'tmpfs', 'localhost/with-volumes', 'sh', '-c', 'grep -E " /(data|cache) " /proc/mounts | cut -d" " -f1,3; cat /data/seed']);
    expect(tmpfs.stdout).toBe('tmpfs tmpfs\ntmpfs tmpfs\nfrom-image');
    const ignored = await env.pman(['run', '--rm', '--image-volume=ignore', 'localhost/with-volumes', 'sh', '-c', 'grep -c " /data " /proc/mounts; cat /data/seed']);
    expect(ignored.stdout).toBe('0\nfrom-image');
    expect(await anonymous()).toEqual(before);
    const bad = await env.pman(['run', '--rm', '--image-volume', 'copy', 'localhost/with-volumes', 'true']);
    expect(bad.exitCode).toBe(125);
    expect(bad.stderr).toBe('Error: invalid --image-volume "copy": use bind, tmpfs or ignore');
    await env.ok(['volume', 'rm', 'mine']);
  });
});

describe('tmpfs and read-only roots', () => {
  it('mounts --tmpfs and --mount type=tmpfs with their options', async () => {
    const r = await sh(['--tmpfs', '/t1:size=1m,mode=700', '--mount', 'type=tmpfs,target=/t2,tmpfs-size=2m'], 'grep -E " /t[12] " /proc/mounts; stat -c %a /t1');
    expect(r.stdout).toMatch(/tmpfs \/t1 tmpfs rw,nosuid,nodev,relatime,size=1024k,mode=700/);
    expect(r.stdout).toMatch(/tmpfs \/t2 tmpfs rw,nosuid,nodev,relatime,size=2048k/);
    expect(r.stdout.split('\n').pop()).toBe('700');
  });

  it('refuses writes to a --read-only root but gives it a writable /tmp, /run and /var/tmp', async () => {
    const r = await sh(['--read-only'], 'touch /root-file 2>&1; touch /tmp/a /run/b /var/tmp/c && echo tmp-ok');
    expect(r.stdout).toMatch(/Read-only file system/);
    expect(r.stdout).toMatch(/tmp-ok$/);
    const bare = await sh(['--read-only', '--read-only-tmpfs=false'], 'touch /tmp/a 2>&1');
    expect(bare.stdout).toMatch(/Read-only file system/);
  });
});

describe('--volumes-from', () => {
  it('gives a second container the first one\'s volumes and binds, read-only when asked', async () => {
    await env.ok(['run', '--name', 'src', '-v', 'shared-vol:/shared', '-v', `${host}:/hostdir`, 'busybox', 'sh', '-c', 'echo from-src > /shared/f']);
    const r = await sh(['--volumes-from', 'src:ro'], 'cat /shared/f /hostdir/hello.txt; touch /shared/g 2>&1 | grep -c Read-only');
    expect(r.stdout).toBe('from-src\nfrom the host\n1');
    await env.ok(['rm', 'src']);
  });
});

describe('mistakes are reported before anything is created', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['a bind source that does not exist', ['-v', '/no/such/dir:/x'], /bind source "\/no\/such\/dir" does not exist/],
    ['a relative container path', ['-v', `${'/tmp'}:relative`], /container path "relative" must be absolute/],
    ['an unknown option', ['-v', '/tmp:/x:sideways'], /unknown option "sideways"/],
    ['an unknown --mount key', ['--mount', 'type=bind,src=/tmp,dst=/x,speed=fast'], /unknown key "speed"/],
    ['two mounts on one path', ['-v', '/tmp:/x', '--tmpfs', '/x'], /duplicate mount destination "\/x"/],
  ];
  it.each(cases)('%s', async (_what, args, message) => {
    const r = await env.pman(['create', '--name', 'never', ...args, '-v', 'never-vol:/nv', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toMatch(message);
    expect((await env.pman(['inspect', 'never'])).exitCode).toBe(125);
    expect(await env.ok(['volume', 'ls', '--format', '{{.Name}}'])).not.toContain('never-vol');
  });
});
