// A container's root filesystem, the overlay the shim mounts (lib/oci/rootfs.ts). A --rm container
// is volatile, as podman makes it (lib/state/volatile.ts): its root is mounted with `volatile`, so
// unmounting it syncs nothing; any other container's root is not. A volatile root mounted again
// (its shim killed, then `pman start`) must still mount: the kernel marks a volatile work dir and
// refuses it until the mark is removed. And a mount the kernel refuses is an error, never a
// container started on an empty directory.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from './harness.js';

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
