// Addresses on a user bridge network (lib/network/ipam.ts): the next free one after the last one
// given, wrapping around, as root's default network hands them out (docs/networking.md): an
// address given back is not handed out again at once. Containers are only created here: an address
// is taken at create, and nothing of the kernel is touched (no container is wired).
import fs from 'node:fs';
import path from 'node:path';
import { TestEnv } from '../harness.js';
import { testBridge, testSubnet } from './net-harness.js';

const env = TestEnv.forFile();
const NET = { name: `ipam-${process.pid}`, subnet: testSubnet(9), bridge: testBridge(9) };
/** Host `n` of the /24 (the range below is its .8/29: .9 to .14). */
const host = (n: number) => NET.subnet.replace(/\.0\/24$/, `.${n}`);
/** The address a container was given (a created container shows none in inspect: read the network's allocations). */
async function address(name: string): Promise<string> {
  const id = (await env.ok(['inspect', '--format', '{{.Id}}', name])).trim();
  const { ips } = JSON.parse(fs.readFileSync(path.join(env.root, 'networks', NET.name, 'allocations.json'), 'utf8')) as { ips: Record<string, string> };
  return Object.keys(ips).find((ip) => ips[ip] === id) ?? '';
}

afterAll(async () => {
  await env.pman(['rm', '-af']);
  await env.pman(['network', 'rm', '-f', NET.name]);
});

describe('user network addresses', () => {
  it('gives the next free address after the last one given, not one just given back, and wraps around', async () => {
    await env.ok(['network', 'create', '--subnet', NET.subnet, '--ip-range', host(8) + '/29', '--interface-name', NET.bridge, NET.name]);
    const create = (name: string) => env.ok(['create', '--name', name, '--network', NET.name, 'busybox', 'true']);
    await create('c1');
    await create('c2');
    expect([await address('c1'), await address('c2')]).toEqual([host(9), host(10)]);
    await env.ok(['rm', 'c1']);
    await create('c3');
    expect(await address('c3')).toBe(host(11));
    for (const name of ['c4', 'c5', 'c6']) await create(name);
    expect(await address('c6')).toBe(host(14));
    // Past the end of the range: from its start again, where .9 is free.
    await create('c7');
    expect(await address('c7')).toBe(host(9));
    // All six taken (c2 to c7).
    const full = await env.pman(['create', '--name', 'c8', '--network', NET.name, 'busybox', 'true']);
    expect([full.exitCode, full.stderr.trim().split('\n').length]).toEqual([125, 1]);
    expect(full.stderr).toContain(`cannot allocate an address on network "${NET.name}"`);
  });
});
