// Identity and environment options proven from inside real containers: host name and the /etc
// files, DNS settings, extra hosts, network modes, host environment, label files, annotations.
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hostInterfacesAround, PMAN_BIN, TestEnv } from '../harness.js';

const env = TestEnv.forFile();

const run = async (args: string[], script: string) => {
  const r = await env.pman(['run', '--rm', ...args, 'busybox', 'sh', '-c', script]);
  if (r.exitCode !== 0) throw new Error(`exit ${r.exitCode}: ${r.stderr}`);
  return r.stdout;
};

describe('names and /etc files', () => {
  it('writes --hostname to the kernel, /etc/hostname and /etc/hosts, with --add-host entries', async () => {
    // Without a bridge network (the default network's file, with the container's address, is in network/default-network.test.ts).
    const out = await run(['--network', 'none', '--name', 'named', '--hostname', 'box', '--add-host', 'db:10.0.0.5', '--add-host', 'v6;alias:::1'], 'hostname; cat /etc/hostname /etc/hosts');
    expect(out.split('\n')).toEqual([
      'box',
      'box',
      '127.0.0.1\tlocalhost localhost.localdomain',
      '::1\tlocalhost localhost.localdomain',
      '10.0.0.5\tdb',
      '::1\tv6 alias',
      '127.0.1.1\tbox named',
    ]);
  });

  it('writes --dns, --dns-search and --dns-option to /etc/resolv.conf', async () => {
    const out = await run(['--dns', '192.0.2.1', '--dns', '192.0.2.2', '--dns-search', 'corp.example', '--dns-option', 'ndots:3'], 'cat /etc/resolv.conf');
    expect(out).toBe('search corp.example\nnameserver 192.0.2.1\nnameserver 192.0.2.2\noptions ndots:3');
  });

  it('copies the host resolver settings by default, without loopback resolvers', async () => {
    // The host's resolv.conf is the test's own, bound over /etc/resolv.conf in a private mount
    // namespace for this one pman: the outcome does not depend on the machine's resolvers.
    const hostResolv = async (text: string, args: string[]) => {
      const file = path.join(env.dir, 'host-resolv.conf');
      fs.writeFileSync(file, text);
      const r = await execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$0" /etc/resolv.conf && exec "$@"', file, PMAN_BIN, ...env.args(['run', '--rm', ...args, 'busybox', 'cat', '/etc/resolv.conf'])], { reject: false });
      return [r.exitCode, r.stderr, r.stdout];
    };
    const mixed = 'search a.example b.example\nnameserver 127.0.0.53\nnameserver 192.0.2.10\nnameserver ::1\nnameserver 2001:db8::1\noptions ndots:2 edns0\n';
    expect(await hostResolv(mixed, [])).toEqual([0, '', 'search a.example b.example\nnameserver 192.0.2.10\nnameserver 2001:db8::1\noptions ndots:2 edns0']);
    // Only loopback resolvers (systemd-resolved): public ones instead, as podman does.
    expect(await hostResolv('nameserver 127.0.0.53\noptions edns0\n', [])).toEqual([0, '', 'nameserver 8.8.8.8\nnameserver 8.8.4.4\noptions edns0']);
    // The host's network reaches the host's loopback: nothing is dropped.
    expect(await hostResolv(mixed, ['--network', 'host'])).toEqual([0, '', 'search a.example b.example\nnameserver 127.0.0.53\nnameserver 192.0.2.10\nnameserver ::1\nnameserver 2001:db8::1\noptions ndots:2 edns0']);
  });
});

describe('--network', () => {
  it('gives a root container the default network\'s eth0, and only loopback with none', async () => {
    expect(await run([], 'ls /sys/class/net')).toBe('eth0\nlo');
    expect(await run(['--network', 'none'], 'ls /sys/class/net')).toBe('lo');
  });

  it('shares the host\'s interfaces, name and /etc/hosts with host', async () => {
    // The same network namespace as the host (this test's process), so its interfaces too.
    const { result, stable } = await hostInterfacesAround(() => run(['--network', 'host'], 'readlink /proc/self/ns/net; hostname; ls /sys/class/net'));
    const [ns, name, ...ifaces] = result.split('\n');
    expect([ns, name]).toEqual([fs.readlinkSync('/proc/self/ns/net'), os.hostname()]);
    expect(stable.filter((i) => !ifaces.includes(i))).toEqual([]);
  });

  it('refuses the rootless user-mode networks as root, pointing at bridge networks', async () => {
    const r = await env.pman(['create', '--network', 'slirp4netns', 'busybox', 'true']);
    expect(r.exitCode).toBe(125);
    expect(r.stderr).toBe('Error: --network slirp4netns is for rootless containers: as root use --network bridge or a network name');
  });
});

describe('environment and metadata', () => {
  it('passes the host environment with --env-host, -e still winning', async () => {
    const r = await env.pman(['run', '--rm', '--env-host', '-e', 'B=flag', 'busybox', 'sh', '-c', 'echo $A $B'], { env: { A: 'from-host', B: 'host' } });
    expect(r.stdout).toBe('from-host flag');
    expect((await env.pman(['run', '--rm', 'busybox', 'sh', '-c', 'echo ${A:-unset}'], { env: { A: 'x' } })).stdout).toBe('unset');
  });

  it('reads labels from --label-file, -l overriding them', async () => {
    const file = path.join(env.dir, 'labels');
    fs.writeFileSync(file, '# team labels\nteam=core\ntier=1\n');
    await env.ok(['create', '--name', 'labelled', '--label-file', file, '-l', 'tier=2', 'busybox', 'true']);
    expect(await env.ok(['inspect', '--format', '{{.Config.Labels.team}} {{.Config.Labels.tier}}', 'labelled'])).toBe('core 2');
    expect(await env.ok(['ps', '-a', '--filter', 'label=team=core', '--format', '{{.Names}}'])).toBe('labelled');
    await env.ok(['rm', 'labelled']);
  });

  it('hands --annotation to the runtime', async () => {
    await env.ok(['run', '-d', '--name', 'annotated', '--annotation', 'org.example.role=web', 'busybox', 'sleep', '100']);
    expect(await env.ok(['inspect', '--format', '{{index .Config.Annotations "org.example.role"}}', 'annotated'])).toBe('web');
    const id = await env.ok(['inspect', '--format', '{{.Id}}', 'annotated']);
    const state = JSON.parse(execFileSync('runc', ['--root', path.join(env.runroot, 'runc'), 'state', id]).toString());
    expect(state.annotations).toEqual({ 'org.example.role': 'web' });
    await env.ok(['rm', '-f', '-t', '0', 'annotated']);
  });
});
