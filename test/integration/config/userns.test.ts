// Root containers in a user namespace of their own (--uidmap, --gidmap, --subuidname,
// --subgidname, the idmap mount option; docs/userns.md): idmapped image layers under the overlay,
// real runc.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { PROJECT, TestEnv } from '../harness.js';

// A subordinate-ID name only this file uses, added for the test and removed after it.
const SUBNAME = 'pmanidmaptest';
const SUBLINE = `${SUBNAME}:3300000:65536`;
const editSubIds = (script: string) => execFileSync('flock', ['/tmp/pman-rootless-users.lock', 'sh', '-ec', script], { stdio: ['ignore', 'ignore', 'pipe'] });

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
  // runc mounts from inside the user namespace: the test's 0700 directory must let it through.
  fs.chmodSync(env.dir, 0o711);
  editSubIds(['/etc/subuid', '/etc/subgid'].map((f) => `grep -qx '${SUBLINE}' ${f} || echo '${SUBLINE}' >> ${f}`).join('\n'));
});
afterAll(async () => {
  await env.cleanup();
  editSubIds(['/etc/subuid', '/etc/subgid'].map((f) => `sed -i '/^${SUBNAME}:/d' ${f}`).join('\n'));
});

/** The host's mounts (mountinfo lines) whose mount point or source mentions the container. */
function mountsOf(id: string): string[] {
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n').filter((l) => l.includes(id));
}

/** Mounts anywhere on the host with the idmapped per-mount option (mountinfo field 6). */
function idmappedMountsUnder(dir: string): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.split(' ')[5]?.split(',').includes('idmapped') && l.includes(dir));
}

describe('ID maps of root containers', () => {
  it('give the container root, its map and root-owned files; what it writes is the mapped IDs on the host; exec works; stop and rm unmount everything', async () => {
    const data = fs.mkdtempSync(path.join(env.dir, 'data-'));
    fs.writeFileSync(path.join(data, 'given'), 'x');
    // An idmapped bind mount: host root's files are the container root's, and the other way round.
    const shared = fs.mkdtempSync(path.join(env.dir, 'shared-'));
    fs.chmodSync(shared, 0o755);
    fs.writeFileSync(path.join(shared, 'host-made'), 'x');
    const id = (
      await env.ok(['run', '-d', '--uidmap', '0:100000:65536', '--gidmap', '0:200000:65536', '-v', `${data}:/data:U`, '--mount', `type=bind,src=${shared},dst=/shared,idmap`, 'busybox', 'sleep', '1000'])
    ).trim();
    try {
      const inside = await env.ok([
        'exec', id, 'sh', '-c',
        'id -u; id -g; cat /proc/self/uid_map /proc/self/gid_map; stat -c "%u:%g %n" / /bin/busybox /etc/passwd /etc/hosts /data/given /shared/host-made; touch /made /data/made /shared/made',
      ]);
      expect(inside.split('\n').map((l) => l.trim().split(/\s+/).join(' '))).toEqual([
        '0',
        '0',
        '0 100000 65536',
        '0 200000 65536',
        '0:0 /',
        '0:0 /bin/busybox',
        '0:0 /etc/passwd',
        '0:0 /etc/hosts',
        '0:0 /data/given',
        '0:0 /shared/host-made',
      ]);
      const upper = path.join(env.root, 'containers', id, 'upper');
      const owner = (p: string) => `${fs.statSync(p).uid}:${fs.statSync(p).gid}`;
      // The container's writes, and U, are the mapped IDs on the host.
      expect([owner(path.join(upper, 'made')), owner(path.join(data, 'made')), owner(path.join(data, 'given'))]).toEqual(['100000:200000', '100000:200000', '100000:200000']);
      expect(owner(path.join(shared, 'made'))).toBe('0:0');
      // Another container's namespaces cannot be entered from a user namespace of one's own.
      const join = await env.pman(['create', '--pid', `container:${id}`, '--uidmap', '0:100000:65536', 'busybox', 'true']);
      expect([join.exitCode, join.stderr]).toEqual([125, expect.stringMatching(/^Error: cannot give a container ID maps and join the pid namespace at "\/proc\/\d+\/ns\/pid": it belongs to another user namespace/)]);
      expect((await env.ok(['ps', '-aq', '--no-trunc'])).trim()).toBe(id);
      // The layers' idmapped mounts were only there while the overlay was made; the bind's stays
      // as long as the container runs.
      expect(idmappedMountsUnder(env.root).map((l) => l.split(' ')[4])).toEqual([path.join(env.root, 'containers', id, 'mapped-binds', '0')]);
      expect(mountsOf(id).length).toBeGreaterThan(0);
      await env.ok(['stop', '-t', '0', id]);
      expect(mountsOf(id)).toEqual([]);
      expect(idmappedMountsUnder(env.root)).toEqual([]);
      // A restart mounts it again the same way; the file written before is still the container's.
      await env.ok(['start', id]);
      expect((await env.ok(['exec', id, 'stat', '-c', '%u:%g', '/made'])).trim()).toBe('0:0');
    } finally {
      await env.pman(['rm', '-f', '-t', '0', id]);
    }
    expect(mountsOf(id)).toEqual([]);
    expect(fs.existsSync(path.join(env.runroot, 'userns', id))).toBe(false);
  });

  it('map a foreground --rm container from a name in /etc/subuid and /etc/subgid', async () => {
    const r = await env.pman(['run', '--rm', '--subuidname', SUBNAME, '--user', '1000:1000', 'busybox', 'sh', '-c', 'id -u; id -g; cat /proc/self/uid_map; ls -ln -d /etc | cut -c 1-40']);
    expect([r.exitCode, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n').map((l) => l.trim().split(/\s+/));
    expect(lines.slice(0, 3)).toEqual([['1000'], ['1000'], ['0', '3300000', '65536']]);
    // /etc is the image's, owned by root inside.
    expect(lines[3].slice(2, 4)).toEqual(['0', '0']);
  });

  it('leave a user namespace that outlived its container to system check, which removes it with --repair', async () => {
    const id = (await env.ok(['create', '--uidmap', '0:100000:65536', 'busybox', 'true'])).trim();
    try {
      // What a shim killed between making the namespace and mounting the overlay leaves.
      const file = path.join(env.runroot, 'userns', id);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
      const addon = createRequire(import.meta.url)(path.join(PROJECT, 'build/pman_native.node')) as { usernsCreate(f: string, u: string, g: string): void };
      addon.usernsCreate(file, '0 100000 65536\n', '0 100000 65536\n');
      expect(mountsOf(id)).toHaveLength(1);
      const check = await env.pman(['system', 'check']);
      expect([check.exitCode, check.stdout]).toEqual([1, `container ${id.slice(0, 12)}: user namespace kept while it is not running`]);
      await env.ok(['system', 'check', '--repair']);
      expect([mountsOf(id), fs.existsSync(file)]).toEqual([[], false]);
    } finally {
      await env.pman(['rm', '-f', id]);
    }
  });

  it('refuse malformed and overlapping maps and a name without a range in one line, exit 125, creating nothing', async () => {
    const cases: Array<[string[], string]> = [
      [['--uidmap', '0:x:1'], 'Error: invalid --uidmap "0:x:1": use CONTAINER_ID:HOST_ID:SIZE, e.g. --uidmap 0:100000:65536'],
      [['--gidmap', '0:100000:10', '--gidmap', '5:300000:10'], 'Error: invalid --gidmap: the ranges 0:100000:10 and 5:300000:10 overlap in their container IDs; give each ID once'],
      [['--subuidname', 'pman-no-such-name'], 'Error: invalid --subuidname "pman-no-such-name": /etc/subuid has no range for "pman-no-such-name"; add a line pman-no-such-name:START:COUNT to it'],
      [['--uidmap', '1:100000:10'], "Error: the container's user (UID 0) is not in its UID map: map it with --uidmap, or choose another --user"],
      [['--uidmap', '0:100000:65536', '--network', 'container:other'], "Error: cannot give a container ID maps and --network container:other: that network namespace belongs to the host's user namespace, which the container's processes cannot enter from their own"],
      [['-v', '/tmp:/x:idmap'], 'Error: cannot use the idmap option of the mount on "/x" without a user namespace of the container\'s own: give --uidmap/--gidmap (or --subuidname)'],
    ];
    for (const [flags, message] of cases) {
      const r = await env.pman(['create', ...flags, 'busybox', 'true']);
      expect([r.exitCode, r.stderr]).toEqual([125, message]);
    }
    // A --rootfs directory used as it is would not be mapped (its overlay, :O, is).
    const rootfs = await env.pman(['create', '--uidmap', '0:100000:65536', '--rootfs', env.dir, 'true']);
    expect([rootfs.exitCode, rootfs.stderr]).toEqual([125, 'Error: cannot give a container ID maps with --rootfs DIR used as it is: its files would not be mapped; use --rootfs DIR:O (an overlay over it, mapped like image layers)']);
    expect((await env.pman(['ps', '-aq'])).stdout).toBe('');
  });
});
