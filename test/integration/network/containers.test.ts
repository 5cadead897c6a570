// Containers on bridge networks, with real netavark, iptables and aardvark-dns. Traffic goes only
// to loopback and to addresses of the networks this file creates (their gateways, its containers).
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { PROJECT, TestEnv, until } from '../harness.js';
import { hostNetState, httpGet, removeLeaks, testAddress, testBridge, testSubnet, udpAsk } from './net-harness.js';

const NETS = [0, 1, 2].map((n) => ({ name: `n${n}-${process.pid}`, subnet: testSubnet(n), bridge: testBridge(n) }));
const [A, B, INTERNAL] = NETS;
const hostPort = 20000 + (process.pid % 20000);

let env: TestEnv;
let udpEcho: string;



/** A TCP server on the host, on a gateway address of a test network (never anything else). */
async function hostServer(ip: string, port: number): Promise<net.Server> {
  const server = net.createServer((c) => c.end('from-host\n'));
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, ip, () => resolve()));
  return server;
}

const fetchIn = (network: string, target: string, port: number) =>
  env.pman(['run', '--rm', '--network', network, 'busybox', 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 5 nc ${target} ${port}`]);

beforeAll(async () => {
  env = await TestEnv.create();
  udpEcho = path.join(env.dir, 'udp-echo');
  execFileSync('cc', ['-static', '-O2', '-o', udpEcho, path.join(PROJECT, 'test/integration/network/fixtures/udp-echo.c')]);
  // isolate=true: as in podman, networks reach each other through the host unless isolated.
  await env.ok(['network', 'create', '--subnet', A.subnet, '--interface-name', A.bridge, '-o', 'isolate=true', A.name]);
  await env.ok(['network', 'create', '--subnet', B.subnet, '--interface-name', B.bridge, '-o', 'isolate=true', B.name]);
  await env.ok(['network', 'create', '--subnet', INTERNAL.subnet, '--interface-name', INTERNAL.bridge, '--internal', INTERNAL.name]);
});

afterAll(async () => {
  await env.pman(['rm', '-af', '-t', '0']);
  removeLeaks(NETS.map((n) => n.bridge), env.runroot);
  await env.cleanup();
});

describe('containers on bridge networks', () => {
  it('publishes TCP and UDP ports to the host and resolves containers by name and alias', async () => {
    await env.ok(['run', '-d', '--name', 'web', '--network', A.name, '--network-alias', 'www', '-p', `${hostPort}:80`, 'busybox', 'sh', '-c', 'mkdir /www && echo hello-web > /www/index.html && exec httpd -f -p 80 -h /www']);
    await env.ok(['run', '-d', '--name', 'udp', '--network', A.name, '-p', `${hostPort + 1}:5353/udp`, '-v', `${udpEcho}:/udp-echo:ro`, 'busybox', '/udp-echo', '5353']);
    expect(await until(() => httpGet('127.0.0.1', hostPort).catch(() => ''), 10_000)).toBe('hello-web\n');
    expect(await udpAsk(hostPort + 1, 'ping')).toBe('echo:ping');
    for (const name of ['web', 'www']) {
      const r = await fetchIn(A.name, name, 80);
      expect(r.stdout).toContain('hello-web');
    }
    expect(await env.ok(['port', 'web'])).toBe(`80/tcp -> 0.0.0.0:${hostPort}`);
    expect(await env.ok(['ps', '--filter', 'name=web', '--format', '{{.Ports}}'])).toBe(`0.0.0.0:${hostPort}->80/tcp`);
    const settings = JSON.parse(await env.ok(['inspect', '--format', '{{json .NetworkSettings}}', 'web'])) as Record<string, unknown> & { Networks: Record<string, { IPAddress: string; Aliases: string[] }> };
    expect(settings).toMatchObject({ IPAddress: testAddress(0, 2), Gateway: testAddress(0, 1), IPPrefixLen: 24, Ports: { '80/tcp': [{ HostIp: '', HostPort: String(hostPort) }] } });
    expect(settings.MacAddress).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(settings.Networks[A.name]).toMatchObject({ IPAddress: testAddress(0, 2), Aliases: ['www'] });
    const etc = await env.ok(['exec', 'web', 'cat', '/etc/resolv.conf', '/etc/hosts']);
    expect(etc).toContain(`nameserver ${testAddress(0, 1)}`);
    expect(etc).toContain(`${testAddress(0, 2)}\t`);
  });

  it('reaches a server on the host through the gateway, with --add-host host-gateway', async () => {
    const server = await hostServer(testAddress(0, 1), hostPort + 2);
    try {
      const r = await env.pman(['run', '--rm', '--network', A.name, '--add-host', 'hostbox:host-gateway', 'busybox', 'sh', '-c', `timeout 5 nc hostbox ${hostPort + 2}`]);
      expect(r.stdout).toBe('from-host');
    } finally {
      server.close();
    }
  });

  it('keeps two isolated networks apart, and an --internal network has no way out', async () => {
    const ip = testAddress(0, 2); // web, on network A
    const other = await fetchIn(B.name, ip, 80);
    expect(other.stdout).not.toContain('hello-web');
    const server = await hostServer(testAddress(0, 1), hostPort + 3);
    try {
      const r = await env.pman(['run', '--rm', '--network', INTERNAL.name, 'busybox', 'sh', '-c', `ip route; timeout 3 nc ${testAddress(0, 1)} ${hostPort + 3}; true`]);
      expect(r.stdout).not.toContain('default');
      expect(r.stdout).not.toContain('from-host');
    } finally {
      server.close();
    }
  });

  it('gives 20 parallel containers on one network 20 distinct addresses; the next one gets the one after them', async () => {
    const names = Array.from({ length: 20 }, (_, i) => `par${i}`);
    await Promise.all(names.map((n) => env.ok(['run', '-d', '--name', n, '--network', B.name, 'busybox', 'sleep', '1000'])));
    const ips = await Promise.all(names.map((n) => env.ok(['inspect', '--format', `{{(index .NetworkSettings.Networks "${B.name}").IPAddress}}`, n])));
    expect(new Set(ips).size).toBe(20);
    for (const ip of ips) expect(ip.startsWith(testAddress(1, 0).slice(0, -1))).toBe(true);
    await env.ok(['rm', '-f', '-t', '0', ...names]);
    // Not one of theirs, free again: an address just given back is not handed out at once, the
    // next one after the last given is (ipam.test.ts).
    const lastHost = Math.max(...ips.map((ip) => Number(ip.split('.')[3])));
    await env.ok(['run', '-d', '--name', 'again', '--network', B.name, 'busybox', 'sleep', '1000']);
    expect(await env.ok(['inspect', '--format', `{{(index .NetworkSettings.Networks "${B.name}").IPAddress}}`, 'again'])).toBe(testAddress(1, lastHost + 1));
    await env.ok(['rm', '-f', '-t', '0', 'again']);
  });

  it('refuses bad input with one line and exit 125, leaving nothing configured', async () => {
    const before = hostNetState([A.subnet], [A.bridge], env.dir);
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(hostPort + 4, '0.0.0.0', () => resolve()));
    try {
      const cases: Array<[string[], string]> = [
        [['--network', 'nosuchnet'], 'unable to find network with name or ID "nosuchnet"'],
        [['--network', A.name, '--ip', '192.0.2.7'], `invalid --ip "192.0.2.7": not a host address of network "${A.name}"`],
        [['--network', A.name, '--ip', testAddress(0, 2)], 'is already allocated to container'],
        [['--network', A.name, '-p', '80:80:80:80'], 'invalid -p "80:80:80:80"'],
        [['--network', A.name, '-p', `${hostPort + 4}:80`], `cannot publish port ${hostPort + 4}/tcp: the host port is already in use`],
        [['--network', B.name, '-p', `${hostPort}:8080`], `cannot publish port ${hostPort}/tcp: container `],
        [['--network', 'none', '--ip', '10.1.1.1'], '--ip needs a bridge network'],
      ];
      for (const [flags, message] of cases) {
        const r = await env.pman(['run', '--rm', ...flags, 'busybox', 'true']);
        expect({ flags, code: r.exitCode }).toEqual({ flags, code: 125 });
        expect(r.stderr).toContain(message);
      }
    } finally {
      taken.close();
    }
    const host = await env.pman(['run', '--rm', '--network', 'host', '-p', '80:80', 'busybox', 'true']);
    expect(host.exitCode).toBe(0);
    expect(host.stderr).toContain('port mappings have been discarded');
    expect(hostNetState([A.subnet], [A.bridge], env.dir)).toEqual(before);
  });

  it('leaves no rule, veth, bridge or namespace behind after stop, rm -f, a shim killed -9, and restarts', async () => {
    const subnets = [B.subnet];
    const bridges = [B.bridge];
    const before = hostNetState(subnets, bridges, env.dir);
    // stop
    const s = (await env.ok(['run', '-d', '--network', B.name, '-p', `${hostPort + 5}:80`, 'busybox', 'sleep', '1000'])).trim();
    expect(hostNetState(subnets, bridges, env.dir, [s]).rules.length).toBeGreaterThan(0);
    await env.ok(['stop', '-t', '0', s]);
    expect(hostNetState(subnets, bridges, env.dir, [s])).toEqual(before);
    // shim killed -9, then rm -f (reconciliation tears down what the shim could not)
    const k = (await env.ok(['run', '-d', '--network', B.name, '-p', `${hostPort + 6}:80`, 'busybox', 'sleep', '1000'])).trim();
    const shimPid = Number(await env.ok(['inspect', '--format', '{{.State.ConmonPid}}', k]));
    process.kill(shimPid, 'SIGKILL');
    await until(() => {
      try {
        return execFileSync('cat', [`/proc/${shimPid}/stat`], { encoding: 'utf8' }).includes(') Z');
      } catch {
        return true;
      }
    });
    await env.ok(['rm', '-f', k]);
    expect(hostNetState(subnets, bridges, env.dir, [k])).toEqual(before);
    // a restart policy wires the container anew for each run and unwires it at each exit
    const r = (await env.ok(['run', '-d', '--restart', 'on-failure:2', '--network', B.name, 'busybox', 'sh', '-c', 'sleep 0.3; exit 1'])).trim();
    // "2 exited" with no shim: the last run is over (while the policy relaunches, a shim is named).
    const done = async () => (await env.ok(['inspect', '--format', '{{.RestartCount}} {{.State.Status}} {{.State.ConmonPid}}', r])) === '2 exited 0';
    expect(await until(done, 60_000, 200)).toBe(true);
    expect(hostNetState(subnets, bridges, env.dir, [r])).toEqual(before);
    await env.ok(['rm', '-f', r]);
  });

  it('leaves podman\'s networks and rules alone', async () => {
    const podmanRules = () =>
      execFileSync('iptables-save', { encoding: 'utf8' })
        .split('\n')
        .filter((l) => /10\.8[89]\./.test(l));
    const podmanNets = () => {
      try {
        return execFileSync('podman', ['network', 'ls', '-q'], { encoding: 'utf8' });
      } catch {
        return 'podman unavailable';
      }
    };
    const before = { rules: podmanRules(), nets: podmanNets() };
    const id = (await env.ok(['run', '-d', '--network', A.name, '-p', `${hostPort + 7}:80`, 'busybox', 'sleep', '1000'])).trim();
    await env.ok(['rm', '-f', '-t', '0', id]);
    expect({ rules: podmanRules(), nets: podmanNets() }).toEqual(before);
    expect(await env.ok(['network', 'ls', '--format', '{{.Name}} {{.NetworkInterface}}'])).not.toMatch(/podman/);
  });
});
