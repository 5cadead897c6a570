// A pod on a bridge network (real netavark and iptables): the infra is wired, the members share its
// namespace, a port published by the pod reaches a member from the host, and removing the pod
// leaves no rule, link or namespace behind. Traffic goes only to loopback and to this file's network.
import { TestEnv, until } from '../harness.js';
import { hostNetState, testAddress, testBridge, testSubnet } from '../network/net-harness.js';
import { httpGetLocal, networkedEnv } from './pod-harness.js';

const NET = { name: `podnet-${process.pid}`, subnet: testSubnet(5), bridge: testBridge(5) };
const hostPort = 21000 + (process.pid % 20000);
let env: TestEnv;

let cleanup: () => Promise<void>;

beforeAll(async () => {
  const n = await networkedEnv('podnet', 5);
  ({ env, cleanup } = n);
});

afterAll(async () => {
  await cleanup();
});

describe('pods on a bridge network', () => {
  it('publishes a port of the pod to the host, serves it from a member, and cleans up with the pod', async () => {
    const before = hostNetState([NET.subnet], [NET.bridge], env.dir);
    await env.ok(['pod', 'create', '--name', 'netpod', '--network', NET.name, '-p', `${hostPort}:80`, '--add-host', 'gw:host-gateway']);
    await env.ok(['run', '-d', '--pod', 'netpod', '--name', 'netweb', 'busybox', 'sh', '-c', 'mkdir /www && echo hello-pod > /www/index.html && exec httpd -f -p 80 -h /www']);
    expect(await until(() => httpGetLocal(hostPort).catch(() => ''), 10_000)).toBe('hello-pod\n');
    // The member is on the infra's interface, with the pod's address and /etc/hosts.
    const addr = await env.ok(['run', '--rm', '--pod', 'netpod', 'busybox', 'sh', '-c', 'ip -4 -o addr show eth0 | tr -s " " | cut -d" " -f4']);
    expect(addr.trim()).toBe(`${testAddress(5, 2)}/24`);
    const hosts = (await env.ok(['exec', 'netweb', 'cat', '/etc/hosts'])).split('\n');
    expect(hosts).toContain(`${testAddress(5, 1)}\tgw`);
    expect(hosts).toContain(`${testAddress(5, 2)}\tnetweb`);
    const doc = JSON.parse(await env.ok(['pod', 'inspect', 'netpod'])) as { InfraConfig: { PortBindings: unknown; Networks: string[] } };
    expect(doc.InfraConfig).toMatchObject({ PortBindings: { '80/tcp': [{ HostIp: '', HostPort: String(hostPort) }] }, Networks: [NET.name] });
    expect((await env.ok(['pod', 'ps', '--filter', `network=${NET.name}`, '--format', '{{.Name}} {{.Networks}}'])).trim()).toBe(`netpod ${NET.name}`);
    await env.ok(['pod', 'rm', '-f', '-t', '0', 'netpod']);
    expect(hostNetState([NET.subnet], [NET.bridge], env.dir)).toEqual(before);
  });
});
