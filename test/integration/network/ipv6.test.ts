// Dual-stack networks (network create --ipv6, an IPv6 --subnet, run --ip6, network connect --ip6)
// with real netavark, ip6tables and aardvark-dns. Traffic goes only between containers this file
// makes and to the host's loopback (a published port).
import { execFileSync } from 'node:child_process';
import { TestEnv, until } from '../harness.js';
import { httpGet, removeLeaks, testBridge, testSubnet } from './net-harness.js';

const tag = (process.pid % 0xffff).toString(16);
/** IPv6 subnets only this process uses: fd6e:TAG:N::/64 (N from 1: the canonical text then keeps it). */
const v6Subnet = (n: number) => `fd6e:${tag}:${n}::/64`;
const v6Address = (n: number, host: string) => `fd6e:${tag}:${n}::${host}`;
const DUAL = { name: `v6-${process.pid}`, subnet: testSubnet(0), subnet6: v6Subnet(1), bridge: testBridge(0) };
const SECOND = { name: `v6b-${process.pid}`, subnet: testSubnet(1), subnet6: v6Subnet(2), bridge: testBridge(1) };
const AUTO = { name: `v6auto-${process.pid}`, bridge: testBridge(2) };
const hostPort = 20000 + ((process.pid + 7) % 20000);

let env: TestEnv;

/** ip6tables rules (and chain declarations) that name one of the given subnets or bridges. */
function ip6Rules(marks: string[]): string[] {
  return execFileSync('ip6tables-save', { encoding: 'utf8' })
    .split('\n')
    .filter((l) => !l.startsWith('#') && marks.some((m) => l.includes(m)));
}

beforeAll(async () => {
  env = await TestEnv.create();
});

afterAll(async () => {
  await env.pman(['rm', '-af', '-t', '0']);
  for (const n of [DUAL, SECOND, AUTO]) await env.pman(['network', 'rm', '-f', n.name]);
  removeLeaks([DUAL.bridge, SECOND.bridge, AUTO.bridge], env.runroot);
  await env.cleanup();
});

describe('IPv6 networks', () => {
  it('network create --ipv6 makes a dual-stack network: a given or a random ULA /64 besides the IPv4 subnet; bad IPv6 input is one clear line', async () => {
    await env.ok(['network', 'create', '--subnet', DUAL.subnet6, '--subnet', DUAL.subnet, '--gateway', v6Address(1, 'fe'), '--interface-name', DUAL.bridge, DUAL.name]);
    const rec = JSON.parse(await env.ok(['network', 'inspect', DUAL.name]))[0] as { subnets: unknown[]; ipv6_enabled: boolean };
    expect(rec.ipv6_enabled).toBe(true);
    expect(rec.subnets).toEqual([
      { subnet: DUAL.subnet, gateway: DUAL.subnet.replace(/0\/24$/, '1') },
      { subnet: DUAL.subnet6, gateway: v6Address(1, 'fe') },
    ]);
    await env.ok(['network', 'create', '--ipv6', '--interface-name', AUTO.bridge, AUTO.name]);
    const auto = JSON.parse(await env.ok(['network', 'inspect', AUTO.name]))[0] as { subnets: Array<{ subnet: string; gateway: string }> };
    expect(auto.subnets[0].subnet).toMatch(/^10\.91\.\d+\.0\/24$/);
    expect(auto.subnets[1].subnet).toMatch(/^fd[0-9a-f]{2}:[0-9a-f]{1,4}:[0-9a-f]{1,4}::\/64$/);
    expect(auto.subnets[1].gateway).toBe(auto.subnets[1].subnet.replace('::/64', '::1'));
    expect(await env.ok(['network', 'ls', '--filter', `name=^v6-${process.pid}$`, '--format', '{{.Name}} {{.IPv6Enabled}}'])).toBe(`${DUAL.name} true`);
    const refused = [
      [['network', 'create', '--subnet', v6Subnet(1).replace('::/64', '::8000:0:0:0/65'), 'x1'], `overlaps network "${DUAL.name}"`],
      [['network', 'create', '--ipv6', '--subnet', 'fd6e::/127', 'x2'], 'invalid --subnet "fd6e::/127": the prefix must be at most /126'],
      [['network', 'create', '--subnet', 'fd6e:1::/64', '--subnet', 'fd6e:2::/64', 'x3'], '--subnet given twice for IPv6'],
      [['network', 'create', '--ipv6', '--subnet', v6Subnet(9), '--gateway', 'fd00:9::1', 'x4'], 'invalid --gateway "fd00:9::1": not a host address'],
      [['network', 'create', '--ipv6', '--gateway', 'fd00:9::1', 'x5'], 'an IPv6 --gateway or --ip-range ("fd00:9::1") needs an IPv6 --subnet'],
    ] as const;
    for (const [args, message] of refused) {
      const r = await env.pman([...args]);
      expect([r.exitCode, r.stderr.trim().split('\n').length]).toEqual([125, 1]);
      expect(r.stderr).toContain(message);
    }
    expect(await env.ok(['network', 'ls', '-q', '--filter', 'name=^x'])).toBe('');
  });

  it('gives containers an address of each family; --ip6 and network connect --ip6 pick one; AAAA by name, ping6 and IPv4 -p work', async () => {
    await env.ok(['run', '-d', '--name', 'a', '--network', DUAL.name, '--ip6', v6Address(1, '10'), '-p', `${hostPort}:80`, 'busybox', 'sh', '-c', 'mkdir /www && echo hello-v6 > /www/index.html && exec httpd -f -p 80 -h /www']);
    await env.ok(['run', '-d', '--name', 'b', '--cap-add', 'NET_RAW', '--network', DUAL.name, 'busybox', 'sleep', '300']);
    const a = JSON.parse(await env.ok(['inspect', '--format', '{{json .NetworkSettings}}', 'a'])) as Record<string, unknown> & { Networks: Record<string, Record<string, unknown>> };
    expect(a).toMatchObject({ GlobalIPv6Address: v6Address(1, '10'), GlobalIPv6PrefixLen: 64, IPv6Gateway: v6Address(1, 'fe'), IPPrefixLen: 24 });
    expect(a.Networks[DUAL.name]).toMatchObject({ GlobalIPv6Address: v6Address(1, '10'), IPv6Gateway: v6Address(1, 'fe') });
    // b got the first free address of each family (the gateway is ::fe here, so ::1 is free).
    expect(await env.ok(['inspect', '--format', '{{.NetworkSettings.GlobalIPv6Address}}', 'b'])).toBe(v6Address(1, '1'));
    expect(await env.ok(['exec', 'b', 'nslookup', 'a'])).toContain(`Address: ${v6Address(1, '10')}`);
    expect(await env.ok(['exec', 'b', 'ping6', '-c', '1', '-W', '5', 'a'])).toContain('1 packets received');
    expect(await env.ok(['exec', 'b', 'wget', '-qO-', `http://[${v6Address(1, '10')}]/`])).toBe('hello-v6');
    expect(await until(() => httpGet('127.0.0.1', hostPort).catch(() => ''), 10_000)).toBe('hello-v6\n');
    // The same address twice, one outside the subnet, and --ip6 on a network without IPv6.
    const taken = await env.pman(['run', '--rm', '--network', DUAL.name, '--ip6', v6Address(1, '10'), 'busybox', 'true']);
    expect([taken.exitCode, taken.stderr.trim()]).toEqual([125, expect.stringContaining(`IP address ${v6Address(1, '10')} on network "${DUAL.name}" is already allocated`)]);
    const outside = await env.pman(['run', '--rm', '--network', DUAL.name, '--ip6', 'fd6e:ffff::5', 'busybox', 'true']);
    expect(outside.stderr.trim()).toBe(`Error: invalid --ip6 "fd6e:ffff::5": not a host address of network "${DUAL.name}" (${DUAL.subnet6})`);
    await env.ok(['network', 'create', '--subnet', SECOND.subnet6, '--subnet', SECOND.subnet, '--interface-name', SECOND.bridge, SECOND.name]);
    await env.ok(['network', 'connect', '--ip6', v6Address(2, '42'), SECOND.name, 'b']);
    expect(await env.ok(['exec', 'b', 'ip', '-6', 'addr', 'show', 'eth1'])).toContain(`inet6 ${v6Address(2, '42')}/64`);
  });

  it('removing a network leaves no ip6tables rules of it behind', async () => {
    const marks = [DUAL.subnet6, DUAL.bridge];
    const during = ip6Rules(marks);
    expect(during.length).toBeGreaterThan(0);
    await env.ok(['rm', '-f', '-t', '0', 'a', 'b']);
    await env.ok(['network', 'rm', DUAL.name]);
    expect(ip6Rules(marks)).toEqual([]);
  });
});
