// pman network create/ls/inspect/exists/rm/prune against a real store. Creating a network touches
// nothing of the kernel (netavark makes the bridge when a container joins), so these tests leave
// the host alone; subnets and bridge names still carry this process's pid so they are unique.
import { TestEnv } from '../harness.js';

const tag = process.pid % 200;
const subnet = (n: number) => `10.214.${(tag + n) % 250}.0/24`;

describe('pman network commands', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await TestEnv.create({ image: false });
  });
  afterAll(async () => {
    await env.cleanup();
  });

  it('lists the built-in default network, never named like podman\'s', async () => {
    const out = await env.ok(['network', 'ls', '--format', '{{.Name}} {{.NetworkInterface}}']);
    expect(out.trim().split('\n')).toEqual(['pman pman0']);
    const [def] = JSON.parse(await env.ok(['network', 'inspect', 'pman'])) as Array<{ subnets: Array<{ subnet: string }> }>;
    expect(def.subnets[0].subnet).toBe('10.90.0.0/16');
  });

  it('creates a network with the given subnet, gateway, range, labels and bridge, and inspects it in podman\'s shape', async () => {
    const name = `net-${process.pid}`;
    expect((await env.ok(['network', 'create', '--subnet', subnet(0), '--ip-range', subnet(0).replace('.0/24', '.64/26'), '--label', 'app=web', '--interface-name', `h7c${tag}`, '--internal', name])).trim()).toBe(name);
    const [doc] = JSON.parse(await env.ok(['network', 'inspect', name])) as Array<Record<string, unknown>>;
    expect(doc).toMatchObject({
      name,
      driver: 'bridge',
      network_interface: `h7c${tag}`,
      subnets: [{ subnet: subnet(0), gateway: subnet(0).replace('.0/24', '.1'), lease_range: { start_ip: subnet(0).replace('.0/24', '.65'), end_ip: subnet(0).replace('.0/24', '.126') } }],
      internal: true,
      dns_enabled: true,
      labels: { app: 'web' },
    });
    expect(doc.id).toMatch(/^[0-9a-f]{64}$/);
    expect((await env.ok(['network', 'inspect', '--format', '{{.Name}} {{.DNSEnabled}}', String(doc.id).slice(0, 12)])).trim()).toBe(`${name} true`);
    expect((await env.pman(['network', 'exists', name])).exitCode).toBe(0);
    expect((await env.pman(['network', 'exists', 'nope'])).exitCode).toBe(1);
    expect((await env.ok(['network', 'ls', '-q', '--filter', 'label=app=web'])).trim()).toBe(name);
    await env.ok(['network', 'rm', name]);
    expect((await env.pman(['network', 'exists', name])).exitCode).toBe(1);
  });

  it('refuses bad input with one line and exit 125 (1 for an unknown network, as podman), creating nothing', async () => {
    await env.ok(['network', 'create', '--subnet', subnet(1), `a-${process.pid}`]);
    const cases: Array<[string[], string, number?]> = [
      [['network', 'create', '--subnet', subnet(1).replace('.0/24', '.128/25'), 'other'], `overlaps network "a-${process.pid}"`],
      [['network', 'create', '--subnet', 'nonsense', 'other'], 'invalid --subnet "nonsense"'],
      [['network', 'create', '--subnet', subnet(2), '--gateway', '192.0.2.1', 'other'], 'not in subnet'],
      [['network', 'create', '--driver', 'macvlan', 'other'], 'unsupported network driver "macvlan"'],
      [['network', 'create', '--interface-name', 'podman9', 'other'], "podman's"],
      [['network', 'create', `a-${process.pid}`], 'already used'],
      [['network', 'create', '-o', 'vlan=3', 'other'], 'unsupported bridge network option "vlan"'],
      [['network', 'rm', 'pman'], 'built in'],
      [['network', 'rm', 'nope'], 'unable to find network with name or ID "nope"', 1],
    ];
    for (const [args, message, code = 125] of cases) {
      const r = await env.pman(args);
      expect({ args, code: r.exitCode }).toEqual({ args, code });
      expect(r.stderr).toContain(message);
    }
    expect((await env.pman(['network', 'exists', 'other'])).exitCode).toBe(1);
    await env.ok(['network', 'rm', `a-${process.pid}`]);
  });

  it('picks free subnets and bridge names for networks created without them, and prune removes the unused ones', async () => {
    await env.ok(['network', 'create', `p1-${process.pid}`]);
    await env.ok(['network', 'create', `p2-${process.pid}`]);
    const docs = JSON.parse(await env.ok(['network', 'ls', '--format', 'json'])) as Array<{ name: string; network_interface: string; subnets: Array<{ subnet: string }> }>;
    const mine = docs.filter((d) => d.name.endsWith(`-${process.pid}`));
    expect(new Set(mine.map((d) => d.subnets[0].subnet)).size).toBe(2);
    expect(new Set(mine.map((d) => d.network_interface)).size).toBe(2);
    for (const d of mine) {
      expect(d.network_interface).toMatch(/^pman[1-9][0-9]*$/);
      expect(d.subnets[0].subnet).toMatch(/^10\.91\./);
    }
    expect((await env.ok(['network', 'prune', '-f'])).trim().split('\n').sort()).toEqual([`p1-${process.pid}`, `p2-${process.pid}`]);
    expect((await env.ok(['network', 'ls', '-q'])).trim()).toBe('pman');
  });
});
