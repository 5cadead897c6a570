// netavark's iptables chains of a network (NETAVARK-TAG, and NETAVARK-DN-TAG for published ports,
// TAG from the network's name) go with the network's last container, whatever order its containers
// went in, and a network a container leaves keeps none of its published ports. Only chains named
// for this file's networks are looked at (and, if a test failed, deleted). Traffic goes only to
// loopback.
import { TestEnv, until } from '../harness.js';
import { httpGet, netavarkChains, netavarkTag, removeChainLeaks, removeLeaks, testBridge, testSubnet } from './net-harness.js';

const v6tag = (process.pid % 0xffff).toString(16);
const DUAL = { name: `dn-${process.pid}`, subnet: testSubnet(3), subnet6: `fd6c:${v6tag}:3::/64`, bridge: testBridge(3) };
const X = { name: `dnx-${process.pid}`, subnet: testSubnet(4), bridge: testBridge(4) };
const Y = { name: `dny-${process.pid}`, subnet: testSubnet(8), bridge: testBridge(8) };
const NETS = [DUAL, X, Y];
const hostPort = 21000 + ((process.pid + 11) % 20000);

let env: TestEnv;

beforeAll(async () => {
  env = await TestEnv.create();
});

afterAll(async () => {
  await env.pman(['rm', '-af', '-t', '0']);
  for (const n of NETS) await env.pman(['network', 'rm', '-f', n.name]);
  removeLeaks(NETS.map((n) => n.bridge), env.runroot);
  removeChainLeaks(NETS.map((n) => n.name));
  await env.cleanup();
});

describe("a network's iptables chains", () => {
  it('go with its last container also when that one publishes no port and a -p container went first (IPv4 and IPv6)', async () => {
    await env.ok(['network', 'create', '--subnet', DUAL.subnet, '--subnet', DUAL.subnet6, '--interface-name', DUAL.bridge, DUAL.name]);
    await env.ok(['run', '-d', '--name', 'pub', '--network', DUAL.name, '-p', `${hostPort}:80`, 'busybox', 'sleep', '600']);
    await env.ok(['run', '-d', '--name', 'plain', '--network', DUAL.name, 'busybox', 'sleep', '600']);
    const dn = `NETAVARK-DN-${netavarkTag(DUAL.name)}`;
    const declared = (lines: string[]) => lines.filter((l) => / :NETAVARK-/.test(l)).sort();
    // While both run, both families have the network's chain and its port-forwarding chain.
    expect(declared(netavarkChains([DUAL.name]))).toEqual(
      [`v4 :${dn} - [0:0]`, `v4 :NETAVARK-${netavarkTag(DUAL.name)} - [0:0]`, `v6 :${dn} - [0:0]`, `v6 :NETAVARK-${netavarkTag(DUAL.name)} - [0:0]`].sort(),
    );
    await env.ok(['rm', '-f', '-t', '0', 'pub']);
    // The port's rules went with pub; the (now empty) chain stays while the bridge has containers.
    expect(netavarkChains([DUAL.name]).filter((l) => l.includes(dn))).toEqual([`v4 :${dn} - [0:0]`, `v6 :${dn} - [0:0]`]);
    await env.ok(['rm', '-f', '-t', '0', 'plain']);
    expect(netavarkChains([DUAL.name])).toEqual([]);
    await env.ok(['network', 'rm', DUAL.name]);
  });

  it('network disconnect withdraws the ports it published on that network; connect publishes them on the new one, as podman does', async () => {
    await env.ok(['network', 'create', '--subnet', X.subnet, '--interface-name', X.bridge, X.name]);
    await env.ok(['network', 'create', '--subnet', Y.subnet, '--interface-name', Y.bridge, Y.name]);
    await env.ok(['run', '-d', '--name', 'web', '--network', X.name, '-p', `${hostPort}:80`, 'busybox', 'sh', '-c', 'mkdir /www && echo moved > /www/index.html && exec httpd -f -p 80 -h /www']);
    expect(await until(() => httpGet('127.0.0.1', hostPort).catch(() => ''), 10_000)).toBe('moved\n');
    await env.ok(['network', 'connect', Y.name, 'web']);
    await env.ok(['network', 'disconnect', X.name, 'web']);
    // Nothing of X's is left (no DNAT to web's old address on X), and the port now reaches web through Y.
    expect(netavarkChains([X.name])).toEqual([]);
    expect(netavarkChains([Y.name]).filter((l) => l.includes('DNAT --to-destination'))).toEqual([
      expect.stringMatching(new RegExp(`^v4 -A NETAVARK-DN-${netavarkTag(Y.name)} .*--dport ${hostPort} -j DNAT --to-destination ${Y.subnet.replace('.0/24', '.2')}:80$`)),
    ]);
    expect(await until(() => httpGet('127.0.0.1', hostPort).catch(() => ''), 10_000)).toBe('moved\n');
    await env.ok(['rm', '-f', '-t', '0', 'web']);
    expect(netavarkChains([X.name, Y.name])).toEqual([]);
  });
});
