// --network container:NAME and ns:PATH: joining a network namespace the container does not own.
// Traffic goes only to loopback (inside the shared namespace, and the host's published port).
import { execFileSync } from 'node:child_process';
import { type TestEnv, until } from '../harness.js';
import { httpGet, netnsMounts, testEnvPerFile } from './net-harness.js';

const current = testEnvPerFile();
let env: TestEnv;
beforeEach(() => {
  env = current();
});
const hostPort = 21000 + (process.pid % 20000);
const nsName = `pman-join-${process.pid}`;

describe('--network container:NAME', () => {
  it('shares a running container\'s namespace, addresses, ports and /etc files, and shows them for both', async () => {
    const target = (await env.ok(['run', '-d', '--name', 'tgt', '-p', `${hostPort}:80`, 'busybox', 'sh', '-c', 'mkdir /www && echo from-target > /www/index.html && exec httpd -f -p 80 -h /www'])).trim();
    const ip = (await env.ok(['inspect', '--format', '{{.NetworkSettings.IPAddress}}', 'tgt'])).trim();
    expect(ip).toMatch(/^10\.90\./);
    await env.ok(['create', '--name', 'joiner', '--network', 'container:tgt', 'busybox', 'sh', '-c', 'ip -4 -o addr show eth0; wget -qO- http://127.0.0.1:80/; cat /etc/hosts; exec sleep 1000']);
    expect(await env.ok(['inspect', '--format', '{{.HostConfig.NetworkMode}}', 'joiner'])).toBe(`container:${target}`);
    await env.ok(['start', 'joiner']);
    const out = await until(async () => {
      const o = await env.ok(['logs', 'joiner']);
      return o.includes('localhost.localdomain') ? o : undefined;
    });
    expect(out).toContain(`inet ${ip}/16`);
    expect(out).toContain('from-target');
    expect(out).toContain(`${ip}\t${target.slice(0, 12)} tgt`);
    // podman shows the joined container's networking for the joiner too.
    expect(await env.ok(['port', 'joiner'])).toBe(`80/tcp -> 0.0.0.0:${hostPort}`);
    expect(await env.ok(['ps', '--format', '{{.Names}} {{.Ports}}', '--filter', 'name=joiner'])).toBe(`joiner 0.0.0.0:${hostPort}->80/tcp`);
    expect(await env.ok(['inspect', '--format', '{{.NetworkSettings.IPAddress}}', 'joiner'])).toBe(ip);
    // The joiner's exit unbinds its view of the namespace and leaves the owner's network as it was.
    await env.ok(['rm', '-f', '-t', '0', 'joiner']);
    expect(netnsMounts(env.runroot).filter((m) => !m.includes(target))).toEqual([]);
    expect(await httpGet('127.0.0.1', hostPort)).toBe('from-target\n');
  });

  it('refuses to start while the container it joins is not running, binding nothing', async () => {
    await env.ok(['create', '--name', 'idle', 'busybox', 'sleep', '1000']);
    await env.ok(['create', '--name', 'waiting', '--network', 'container:idle', 'busybox', 'true']);
    const r = await env.pman(['start', 'waiting']);
    expect([r.exitCode, r.stderr.trim()]).toEqual([125, 'Error: cannot join the network namespace of container "idle": it is not running, start it first']);
    expect(netnsMounts(env.runroot)).toEqual([]);
    expect(await env.ok(['inspect', '--format', '{{.State.Status}}', 'waiting'])).not.toBe('running');
  });

  it('rm of a container another one joined is refused naming the joiner; --depend and --all remove both', async () => {
    const owner = (await env.ok(['run', '-d', '--name', 'owner', '--network', 'none', 'busybox', 'sleep', '1000'])).trim();
    const dep = (await env.ok(['run', '-d', '--name', 'dep', '--network', 'container:owner', 'busybox', 'sleep', '1000'])).trim();
    // As podman: running without -f is exit 2 first; with -f the dependent is named, exit 125.
    expect((await env.pman(['rm', 'owner'])).exitCode).toBe(2);
    const refused = await env.pman(['rm', '-f', '-t', '0', 'owner']);
    expect([refused.exitCode, refused.stderr.trim()]).toEqual([
      125,
      `Error: cannot remove container "owner": it has dependent containers which must be removed before it: ${dep.slice(0, 12)} (dep) joined its network namespace (--network container:owner); remove them first or use --depend`,
    ]);
    // Nothing was stopped on the way.
    expect(await env.ok(['ps', '--format', '{{.Names}} {{.State}}', '--sort', 'names'])).toBe('dep running\nowner running');
    expect((await env.ok(['rm', '-f', '-t', '0', '--depend', 'owner'])).trim().split('\n')).toEqual([dep, owner]);
    expect(await env.ok(['ps', '-aq'])).toBe('');
    expect(netnsMounts(env.runroot)).toEqual([]);
    // A joiner that never ran depends all the same. rm --all and container prune take the joiners
    // first, whatever the listing order (three pairs: a listing that happens to put them first
    // for all three is unlikely).
    const pairs = async (tag: string) => {
      for (const i of [1, 2, 3]) {
        await env.ok(['create', '--name', `owner${tag}${i}`, 'busybox', 'true']);
        await env.ok(['create', '--name', `dep${tag}${i}`, '--network', `container:owner${tag}${i}`, 'busybox', 'true']);
      }
    };
    await pairs('a');
    expect((await env.pman(['rm', 'ownera1'])).exitCode).toBe(125);
    expect((await env.ok(['rm', '--all'])).trim().split('\n')).toHaveLength(6);
    expect(await env.ok(['ps', '-aq'])).toBe('');
    await pairs('p');
    expect((await env.ok(['container', 'prune', '-f'])).trim().split('\n')).toHaveLength(6);
    expect(await env.ok(['ps', '-aq'])).toBe('');
  });

  it('refuses bad input with one line and exit 125', async () => {
    await env.ok(['create', '--name', 'some', 'busybox', 'true']);
    const cases: Array<[string[], string]> = [
      [['--network', 'container:nosuch'], 'Error: no container with name or ID "nosuch" found: run "pman ps -a" to list containers'],
      [['--network', 'container:'], 'Error: invalid --network "container:": name the container, as container:NAME'],
      [['--network', 'container:some', '-p', '80:80'], 'Error: --publish cannot be used with --network container:some: the container joins that container\'s network, ports, /etc/hosts and /etc/resolv.conf'],
      [['--network', 'container:some', '--dns', '192.0.2.1'], 'Error: --dns cannot be used with --network container:some: the container joins that container\'s network, ports, /etc/hosts and /etc/resolv.conf'],
      [['--network', 'ns:relative/path'], 'Error: invalid --network "ns:relative/path": give the absolute path of a network namespace, as ns:/run/netns/NAME'],
      [['--network', `ns:/run/netns/${nsName}-missing`], `Error: invalid --network ns:/run/netns/${nsName}-missing: no such file, give the path of a network namespace (such as /run/netns/NAME)`],
    ];
    for (const [flags, message] of cases) {
      const r = await env.pman(['create', ...flags, 'busybox', 'true']);
      expect({ flags, code: r.exitCode, stderr: r.stderr.trim() }).toEqual({ flags, code: 125, stderr: message });
    }
    expect((await env.ok(['ps', '-aq'])).split('\n')).toHaveLength(1);
  });
});

describe('--network ns:PATH', () => {
  it('runs the container in the namespace the file names', async () => {
    execFileSync('ip', ['netns', 'add', nsName]);
    try {
      // A veth pair made inside it marks the namespace (both ends go with it).
      execFileSync('ip', ['-n', nsName, 'link', 'add', 'marker0', 'type', 'veth', 'peer', 'name', 'marker1']);
      const out = await env.ok(['run', '--rm', '--network', `ns:/run/netns/${nsName}`, 'busybox', 'ls', '/sys/class/net']);
      expect(out.split('\n')).toEqual(['lo', 'marker0', 'marker1']);
      expect(await env.ok(['create', '--network', `ns:/run/netns/${nsName}`, '--name', 'nsc', 'busybox', 'true'])).toBeTruthy();
      expect(await env.ok(['inspect', '--format', '{{.HostConfig.NetworkMode}}', 'nsc'])).toBe(`ns:/run/netns/${nsName}`);
    } finally {
      execFileSync('ip', ['netns', 'del', nsName]);
    }
  });
});
