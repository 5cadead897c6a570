// Root's default network: a container without --network joins "pman" (bridge pman0), whose
// addresses are leased machine-wide when a container is wired and given back when it is unwired
// (/run/pman-shared/leases/pman), since every store on the machine shares that one bridge. Other
// test files use the default network at the same time, so no test here expects a given address
// except one it asked for with --ip. Traffic goes only to this file's own containers.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv, until } from '../harness.js';
import { hostNetState, httpGet, LEASES, leasesUnder, removeLeaks, testAddress, testBridge, testSubnet } from './net-harness.js';

let env: TestEnv;
let other: TestEnv;

beforeAll(async () => {
  [env, other] = await Promise.all([TestEnv.create(), TestEnv.create()]);
});

// Whatever a test started is gone before the next, also when it failed.
afterEach(async () => {
  await Promise.all([env.pman(['rm', '-af', '-t', '0']), other.pman(['rm', '-af', '-t', '0'])]);
});

afterAll(async () => {
  await Promise.all([env.pman(['rm', '-af', '-t', '0']), other.pman(['rm', '-af', '-t', '0'])]);
  removeLeaks([DNS_NET.bridge], env.runroot);
  await Promise.all([env.cleanup(), other.cleanup()]);
});

/** A user network with DNS (aardvark-dns), only this test process's. */
const DNS_NET = { name: `dns-${process.pid}`, subnet: testSubnet(0), bridge: testBridge(0) };


const leasesOf = (e: TestEnv) => leasesUnder(e.runroot);

function readLinkOr(p: string): string | undefined {
  try {
    return fs.readlinkSync(p);
  } catch {
    return undefined;
  }
}

const address = async (e: TestEnv, name: string) => (await e.ok(['inspect', '--format', '{{.NetworkSettings.IPAddress}}', name])).trim();

/** An address of 10.90.0.0/16 that only this test process asks for. */
const mine = (n: number) => `10.90.${200 + ((process.pid + n) % 50)}.${2 + (process.pid % 250)}`;

describe('the default network', () => {
  it('wires a container without --network to pman0 with a leased address, shown while it runs and given back when it stops', async () => {
    const id = (await env.ok(['create', '--name', 'plain', '--hostname', 'plainhost', 'busybox', 'sh', '-c', 'ip -4 -o addr show eth0; cat /etc/hosts; exec sleep 1000'])).trim();
    // Never started: on the network, but without an address (docker's view too).
    expect(await env.ok(['inspect', '--format', '{{.HostConfig.NetworkMode}} {{json .NetworkSettings.Networks.pman.NetworkID}} [{{.NetworkSettings.IPAddress}}]', 'plain'])).toMatch(/^bridge "c6d24ec3[0-9a-f]{56}" \[\]$/);
    expect(leasesOf(env)).toEqual({});
    await env.ok(['start', 'plain']);
    const ip = await address(env, 'plain');
    expect(ip).toMatch(/^10\.90\.\d+\.\d+$/);
    expect(ip).not.toBe('10.90.0.1');
    expect(leasesOf(env)).toEqual({ [ip]: id });
    expect(await env.ok(['inspect', '--format', '{{.NetworkSettings.Gateway}} {{.NetworkSettings.IPPrefixLen}}', 'plain'])).toBe('10.90.0.1 16');
    const out = await until(async () => {
      const o = await env.ok(['logs', 'plain']);
      return o.includes('localhost.localdomain') ? o : undefined;
    });
    expect(out).toContain(`inet ${ip}/16`);
    expect(out).toContain(`10.90.0.1\thost.containers.internal host.docker.internal\n${ip}\tplainhost plain`);
    expect(fs.readFileSync('/sys/class/net/pman0/bridge/bridge_id', 'utf8')).toBeTruthy();
    await env.ok(['stop', '-t', '0', 'plain']);
    expect(leasesOf(env)).toEqual({});
    expect(await address(env, 'plain')).toBe('');
    await env.ok(['rm', 'plain']);
    expect(hostNetState([], [], env.runroot, [id])).toEqual({ rules: [], links: [], netns: [] });
  });

  it('keeps pman0 up between containers: a namespace of pman\'s holds a port of it, and a reset of one store leaves it while another store has containers on it', async () => {
    await env.ok(['run', '--rm', 'busybox', 'true']);
    // The keeper: a bind-mounted namespace with its own lease and one port on pman0, no process.
    const keeper = '/run/pman-shared/keeper/pman';
    const leased = Object.entries(Object.fromEntries(fs.readdirSync(LEASES).map((ip) => [ip, readLinkOr(path.join(LEASES, ip))]))).filter(([, t]) => t === keeper);
    expect(leased).toHaveLength(1);
    const inside = execFileSync('nsenter', [`--net=${keeper}`, 'ip', '-4', '-o', 'addr', 'show', 'eth0'], { encoding: 'utf8' });
    expect(inside).toContain(`inet ${leased[0][0]}/16`);
    expect(fs.existsSync('/sys/class/net/pman0')).toBe(true);
    // Not a container of any store.
    expect(await env.ok(['ps', '-aq'])).toBe('');
    // A store reset while another store's container is on the bridge keeps the keeper.
    await other.ok(['run', '-d', '--name', 'stay', 'busybox', 'sleep', '1000']);
    const reset = await TestEnv.create();
    try {
      await reset.ok(['run', '--rm', 'busybox', 'true']);
      await reset.ok(['system', 'reset', '--force']);
    } finally {
      await reset.cleanup();
    }
    expect(readLinkOr(path.join(LEASES, leased[0][0]))).toBe(keeper);
    expect(fs.existsSync('/sys/class/net/pman0')).toBe(true);
  });

  it('never hands one address to containers of two stores, which reach each other over the shared bridge', async () => {
    const names = ['s0', 's1', 's2'];
    const web = 'mkdir /www && echo "from-$(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www';
    await Promise.all(
      names.flatMap((n) => [env.ok(['run', '-d', '--name', n, '--hostname', `a-${n}`, 'busybox', 'sh', '-c', web]), other.ok(['run', '-d', '--name', n, '--hostname', `b-${n}`, 'busybox', 'sh', '-c', web])]),
    );
    const ips = [...(await Promise.all(names.map((n) => address(env, n)))), ...(await Promise.all(names.map((n) => address(other, n))))];
    expect(new Set(ips).size).toBe(6);
    expect(Object.keys({ ...leasesOf(env), ...leasesOf(other) }).sort()).toEqual([...ips].sort());
    // Store B's container fetches from store A's, by address.
    const got = await other.ok(['exec', 's0', 'sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | timeout 5 nc ${ips[0]} 80`]);
    expect(got).toContain('from-a-s0');
    await Promise.all([env.ok(['rm', '-f', '-t', '0', ...names]), other.ok(['rm', '-f', '-t', '0', ...names])]);
    expect({ ...leasesOf(env), ...leasesOf(other) }).toEqual({});
  });

  it('gives --ip when no live container holds it: a lease whose namespace is gone is taken back', async () => {
    const ip = mine(0);
    const ghost = path.join(LEASES, ip);
    fs.mkdirSync(LEASES, { recursive: true });
    // A lease left by a namespace that no longer exists (a crash, a wiped runtime directory).
    fs.symlinkSync(path.join(env.dir, 'gone-netns'), ghost);
    try {
      const id = (await env.ok(['run', '-d', '--name', 'fixed', '--ip', ip, 'busybox', 'sleep', '1000'])).trim();
      expect(await address(env, 'fixed')).toBe(ip);
      expect(leasesOf(env)).toEqual({ [ip]: id });
      const r = await other.pman(['run', '-d', '--name', 'rival', '--ip', ip, 'busybox', 'sleep', '1000']);
      expect([r.exitCode, r.stderr.trim()]).toEqual([125, `Error: IP address ${ip} on network "pman" is in use by another container (namespace ${env.runroot}/netns/${id}): choose another --ip`]);
      expect(leasesOf(other)).toEqual({});
      const outside = await other.pman(['create', '--ip', '10.91.0.5', 'busybox', 'true']);
      expect([outside.exitCode, outside.stderr.trim()]).toEqual([125, 'Error: invalid --ip "10.91.0.5": not a host address of network "pman" (10.90.0.0/16)']);
      await env.ok(['rm', '-f', '-t', '0', 'fixed']);
      expect(leasesOf(env)).toEqual({});
    } finally {
      fs.rmSync(ghost, { force: true });
      await other.pman(['rm', '-f', '-t', '0', 'rival']);
    }
  });

  it('gives back the address of a container whose shim was killed when the container is next looked at', async () => {
    const id = (await env.ok(['run', '-d', '--name', 'crash', 'busybox', 'sleep', '1000'])).trim();
    const ip = await address(env, 'crash');
    expect(leasesOf(env)).toEqual({ [ip]: id });
    const shim = Number(await env.ok(['inspect', '--format', '{{.State.ConmonPid}}', 'crash']));
    const pid = Number(await env.ok(['inspect', '--format', '{{.State.Pid}}', 'crash']));
    process.kill(shim, 'SIGKILL');
    process.kill(pid, 'SIGKILL');
    await until(() => (fs.existsSync(`/proc/${shim}`) ? undefined : true));
    expect(await env.ok(['ps', '-a', '--format', '{{.Names}} {{.Status}}', '--filter', 'name=crash'])).toMatch(/^crash Exited/);
    expect(leasesOf(env)).toEqual({});
    expect(hostNetState([], [], env.runroot, [id])).toEqual({ rules: [], links: [], netns: [] });
    await env.ok(['rm', 'crash']);
  });

  it('gives eth0 the --mac-address asked for, and writes --dns, --dns-search and --dns-option to /etc/resolv.conf', async () => {
    const out = await env.ok(['run', '--rm', '--mac-address', '92:D0:C6:0A:29:33', '--dns', '192.0.2.1', '--dns-search', 'corp.example', '--dns-option', 'ndots:3', 'busybox', 'sh', '-c', 'cat /sys/class/net/eth0/address /etc/resolv.conf']);
    expect(out).toBe('92:d0:c6:0a:29:33\nsearch corp.example\nnameserver 192.0.2.1\noptions ndots:3');
    await env.ok(['run', '-d', '--name', 'mac', '--mac-address', '92:d0:c6:0a:29:34', 'busybox', 'sleep', '1000']);
    expect(await env.ok(['inspect', '--format', '{{.NetworkSettings.MacAddress}} {{.NetworkSettings.Networks.pman.MacAddress}}', 'mac'])).toBe('92:d0:c6:0a:29:34 92:d0:c6:0a:29:34');
    const bad = await env.pman(['create', '--mac-address', '92:d0:c6:0a:29', 'busybox', 'true']);
    expect([bad.exitCode, bad.stderr.trim()]).toEqual([125, 'Error: invalid --mac-address "92:d0:c6:0a:29": use six hex pairs like 92:d0:c6:0a:29:33']);
  });

  it('keeps aardvark-dns as the resolver of a network with DNS, with --dns-search and --dns-option, unless --dns names servers', async () => {
    await env.ok(['network', 'create', '--subnet', DNS_NET.subnet, '--interface-name', DNS_NET.bridge, DNS_NET.name]);
    const conf = (flags: string[]) => env.ok(['run', '--rm', '--network', DNS_NET.name, ...flags, 'busybox', 'cat', '/etc/resolv.conf']);
    expect(await conf(['--dns-search', 'corp.example', '--dns-option', 'ndots:3'])).toBe(`search corp.example\nnameserver ${testAddress(0, 1)}\noptions ndots:3`);
    expect(await conf(['--dns', '192.0.2.1', '--dns-search', 'corp.example'])).toBe('search corp.example\nnameserver 192.0.2.1');
    await env.ok(['network', 'rm', DNS_NET.name]);
  });

  it('publishes the image\'s EXPOSE ports with -P on free host ports', async () => {
    await env.ok(['run', '--name', 'base', 'busybox', 'sh', '-c', 'mkdir /www && echo exposed > /www/index.html']);
    await env.ok(['commit', '--change', 'EXPOSE 80/tcp 5353/udp', '--change', 'CMD ["httpd", "-f", "-p", "80", "-h", "/www"]', 'base', 'exposed']);
    await env.ok(['run', '-d', '--name', 'web', '-P', 'exposed']);
    const lines = (await env.ok(['port', 'web'])).split('\n').sort();
    expect(lines).toEqual([expect.stringMatching(/^5353\/udp -> 0\.0\.0\.0:\d+$/), expect.stringMatching(/^80\/tcp -> 0\.0\.0\.0:\d+$/)]);
    const port = Number(lines[1].split(':').pop());
    expect(await until(() => httpGet('127.0.0.1', port).catch(() => undefined), 10_000)).toBe('exposed\n');
    await env.ok(['rm', '-f', '-t', '0', 'web']);
    await env.ok(['rmi', 'exposed']);
  });
});
