// A container's root filesystem, the overlay the shim mounts (lib/oci/rootfs.ts). A --rm container
// is volatile, as podman makes it (lib/state/volatile.ts): its root is mounted with `volatile`, so
// unmounting it syncs nothing; any other container's root is not. A volatile root mounted again
// (its shim killed, then `pman start`) must still mount: the kernel marks a volatile work dir and
// refuses it until the mark is removed. And a mount the kernel refuses is an error, never a
// container started on an empty directory.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { busyboxTarball, TestEnv, until } from './harness.js';

let env: TestEnv;
beforeAll(async () => {
  env = await TestEnv.create();
});
afterAll(async () => {
  await env.cleanup();
});

/** The mount options of the container's root, as the container sees them. */
const ROOT_OPTIONS = "awk '$5 == \"/\" { print $NF }' /proc/self/mountinfo";
const inspect = async (name: string, f: string) => (await env.ok(['inspect', '--format', f, name])).trim();

describe('volatile --rm containers', () => {
  it('mounts the root of a --rm container volatile, and of any other container not', async () => {
    expect(await env.ok(['run', '--rm', '--network', 'none', 'busybox', 'sh', '-c', ROOT_OPTIONS])).toMatch(/(^|,)(volatile|fsync=volatile)(,|$)/);
    const kept = await env.ok(['run', '--name', 'kept', '--network', 'none', 'busybox', 'sh', '-c', ROOT_OPTIONS]);
    expect(kept).toContain('upperdir=');
    expect(kept).not.toContain('volatile');
    await env.ok(['rm', 'kept']);
  });

  it('starts a --rm container again after its shim was killed -9, and removes it at its exit', async () => {
    const id = (await env.ok(['run', '-d', '--rm', '--name', 'again', '--network', 'none', 'busybox', 'sleep', '1000'])).trim();
    const shimPid = Number(await inspect('again', '{{.State.ConmonPid}}'));
    process.kill(shimPid, 'SIGKILL');
    await until(() => !fs.existsSync(`/proc/${shimPid}/cmdline`) || fs.readFileSync(`/proc/${shimPid}/stat`, 'utf8').includes(') Z'));
    // The reconciliation kills the container and unmounts its root; the record stays (nobody
    // was there to remove it).
    expect(await env.ok(['ps', '-a', '--format', '{{.Names}} {{.State}}', '--filter', 'name=again'])).toBe('again exited');
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(id);
    await env.ok(['start', 'again']);
    expect(await inspect('again', '{{.State.Status}}')).toBe('running');
    expect(await env.ok(['exec', 'again', 'sh', '-c', ROOT_OPTIONS])).toMatch(/volatile/);
    await env.ok(['stop', '-t', '0', 'again']);
    // --rm still applies to the second run.
    await until(async () => (await env.ok(['ps', '-a', '--format', '{{.Names}}', '--filter', 'name=again'])) === '');
    expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(id);
  });
});

describe('root mount failures', () => {
  it('fails the start with one line naming the mount when the kernel refuses the overlay', async () => {
    const id = (await env.ok(['create', '--name', 'refused', '--network', 'none', 'busybox', 'true'])).trim();
    // Overlay wants its work dir on the upper dir's filesystem: a tmpfs there makes it refuse.
    const work = path.join(env.root, 'containers', id, 'work');
    execFileSync('mount', ['-t', 'tmpfs', 'tmpfs', work]);
    try {
      const r = await env.pman(['start', '-a', 'refused']);
      expect(r.exitCode).toBe(125);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toContain(`cannot mount the root filesystem of container ${id.slice(0, 12)} at "${path.join(env.root, 'containers', id, 'merged')}"`);
      expect(fs.readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(path.join(id, 'merged'));
    } finally {
      execFileSync('umount', [work]);
    }
    await env.ok(['rm', 'refused']);
  });
});

/** Imports the busybox rootfs as `name` after `change` ran on a copy of it (the copy's directory), once. */
async function importChanged(name: string, change: (dir: string) => void): Promise<void> {
  if ((await env.pman(['image', 'exists', name])).exitCode === 0) return;
  const dir = path.join(env.dir, `rootfs-${name}`);
  fs.mkdirSync(dir);
  execFileSync('tar', ['-C', dir, '-xf', busyboxTarball()]);
  change(dir);
  const tar = `${dir}.tar`;
  execFileSync('tar', ['-C', dir, '-cf', tar, '.']);
  await env.ok(['import', tar, name]);
}

describe('/etc/mtab', () => {
  const MTAB = 'ls -ld /etc; readlink /etc/mtab || cat /etc/mtab';

  it('links /etc/mtab to /proc/mounts in the layer of a container whose image has none, when it starts', async () => {
    const id = (await env.ok(['create', '--name', 'mtab', '--network', 'none', 'busybox', 'sh', '-c', 'readlink /etc/mtab; wc -l < /etc/mtab'])).trim();
    const upper = path.join(env.root, 'containers', id, 'upper');
    expect(fs.existsSync(path.join(upper, 'etc'))).toBe(false);
    const [target, lines] = (await env.ok(['start', '-a', 'mtab'])).trim().split('\n');
    expect(target).toBe('/proc/mounts');
    expect(Number(lines)).toBeGreaterThan(3);
    expect(fs.readlinkSync(path.join(upper, 'etc/mtab'))).toBe('/proc/mounts');
    // As podman's diff: /etc changed, the link itself is the runtime's and not listed.
    expect(await env.ok(['diff', 'mtab'])).toBe('C /etc');
    // A second start finds it there.
    expect((await env.ok(['start', '-a', 'mtab'])).split('\n')[0]).toBe('/proc/mounts');
    await env.ok(['rm', 'mtab']);
  });

  it('links it in a --read-only container too', async () => {
    expect(await env.ok(['run', '--rm', '--read-only', '--network', 'none', 'busybox', 'readlink', '/etc/mtab'])).toBe('/proc/mounts');
  });

  it("leaves the image's own /etc/mtab as it is: a file, or a link that leads nowhere", async () => {
    await importChanged('own-mtab', (dir) => fs.writeFileSync(path.join(dir, 'etc/mtab'), 'mine\n'));
    await importChanged('dangling-mtab', (dir) => fs.symlinkSync('/nowhere', path.join(dir, 'etc/mtab')));
    expect((await env.ok(['run', '--rm', '--network', 'none', 'own-mtab', 'sh', '-c', MTAB])).split('\n')[1]).toBe('mine');
    expect((await env.ok(['run', '--rm', '--network', 'none', 'dangling-mtab', 'sh', '-c', MTAB])).split('\n')[1]).toBe('/nowhere');
  });

  const withoutEtc = (dir: string) => fs.rmSync(path.join(dir, 'etc'), { recursive: true });

  it('makes /etc (0755, root) for an image without one', async () => {
    await importChanged('no-etc', withoutEtc);
    const out = (await env.ok(['run', '--rm', '--network', 'none', 'no-etc', 'sh', '-c', MTAB])).split('\n');
    expect(out[0]).toMatch(/^drwxr-xr-x +\d+ 0 +0 /);
    expect(out[1]).toBe('/proc/mounts');
  });

  it("gives the link and a new /etc to the container's root under --uidmap", async () => {
    await importChanged('no-etc', withoutEtc);
    // The container's root passes through the store's directory to its root (userns.test.ts).
    fs.chmodSync(env.dir, 0o711);
    const out = await env.ok(['run', '--rm', '--network', 'none', '--uidmap', '0:300000:65536', '--gidmap', '0:300000:65536', 'no-etc', 'stat', '-c', '%u:%g %N', '/etc', '/etc/mtab']);
    expect(out.split('\n')).toEqual(['0:0 /etc', "0:0 '/etc/mtab' -> '/proc/mounts'"]);
  });

  it('follows an /etc symlink inside the root only, never to the host path it names', async () => {
    // /etc -> an absolute path that exists on the host too: followed there, the link would land on the host.
    const hostSide = path.join(env.dir, 'host-etc');
    fs.mkdirSync(hostSide);
    await importChanged('etc-link', (dir) => {
      fs.mkdirSync(path.join(dir, hostSide), { recursive: true });
      fs.rmSync(path.join(dir, 'etc'), { recursive: true });
      fs.symlinkSync(hostSide, path.join(dir, 'etc'));
    });
    await env.ok(['run', '--name', 'etc-link', '--network', 'none', 'etc-link', 'true']);
    expect(fs.readdirSync(hostSide)).toEqual([]);
    const id = (await env.ok(['inspect', '--format', '{{.Id}}', 'etc-link'])).trim();
    expect(fs.readlinkSync(path.join(env.root, 'containers', id, 'upper', hostSide, 'mtab'))).toBe('/proc/mounts');
    await env.ok(['rm', 'etc-link']);
  });

  it('starts a container whose /etc is a link that leads nowhere, without the link (podman 4.3.1 refuses to start it)', async () => {
    await importChanged('etc-dangling', (dir) => {
      fs.rmSync(path.join(dir, 'etc'), { recursive: true });
      fs.symlinkSync('/nowhere/etc', path.join(dir, 'etc'));
    });
    expect(await env.ok(['run', '--rm', '--network', 'none', 'etc-dangling', 'sh', '-c', 'test -e /etc/mtab || echo none'])).toBe('none');
  });

  it('links it in the directory of --rootfs DIR itself, where the container runs, as podman 4.3.1 does; with :O in the overlay', async () => {
    const dir = path.join(env.dir, 'rootfs-dir');
    fs.mkdirSync(dir);
    execFileSync('tar', ['-C', dir, '-xf', busyboxTarball()]);
    expect(await env.ok(['run', '--rm', '--network', 'none', '--rootfs', `${dir}:O`, 'readlink', '/etc/mtab'])).toBe('/proc/mounts');
    expect(fs.existsSync(path.join(dir, 'etc/mtab'))).toBe(false);
    expect(await env.ok(['run', '--rm', '--network', 'none', '--rootfs', dir, 'readlink', '/etc/mtab'])).toBe('/proc/mounts');
    expect(fs.readlinkSync(path.join(dir, 'etc/mtab'))).toBe('/proc/mounts');
  });

  it("adds no /etc/mtab to a build step's layer", async () => {
    const ctxDir = path.join(env.dir, 'build-mtab');
    fs.mkdirSync(ctxDir);
    fs.writeFileSync(path.join(ctxDir, 'Containerfile'), 'FROM busybox\nRUN test ! -e /etc/mtab && touch /built\n');
    await env.ok(['build', '-t', 'built-mtab', ctxDir]);
    const id = (await env.ok(['create', '--network', 'none', 'built-mtab', 'true'])).trim();
    const root = (await env.ok(['mount', id])).trim();
    try {
      expect(fs.existsSync(path.join(root, 'built'))).toBe(true);
      expect(() => fs.lstatSync(path.join(root, 'etc/mtab'))).toThrow(/ENOENT/);
    } finally {
      await env.ok(['unmount', id]);
      await env.ok(['rm', id]);
    }
  });
});
