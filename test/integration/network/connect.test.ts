// network connect/disconnect on a running container, and network reload after the container's
// own rules were deleted. Only rules that name this file's containers are ever deleted by hand.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { TestEnv, until } from '../harness.js';
import { hostNetState, removeLeaks, testAddress, testBridge, testSubnet } from './net-harness.js';

const NETS = [5, 6].map((n) => ({ name: `c${n}-${process.pid}`, subnet: testSubnet(n), bridge: testBridge(n) }));
const [A, B] = NETS;
const hostPort = 40000 + (process.pid % 20000);

let env: TestEnv;

function httpGet(port: number): Promise<string> {
  return new Promise((resolve) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', timeout: 2000 }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', () => resolve(''))
      .on('timeout', function (this: http.ClientRequest) {
        this.destroy();
      });
  });
}

beforeAll(async () => {
  env = await TestEnv.create();
  await env.ok(['network', 'create', '--subnet', A.subnet, '--interface-name', A.bridge, A.name]);
  await env.ok(['network', 'create', '--subnet', B.subnet, '--interface-name', B.bridge, B.name]);
});

afterAll(async () => {
  await env.pman(['rm', '-af', '-t', '0']);
  removeLeaks(NETS.map((n) => n.bridge), env.runroot);
  await env.cleanup();
});

describe('changing a running container\'s networks', () => {
  it('connects a running container to a second network and disconnects it again', async () => {
    const before = hostNetState([B.subnet], [B.bridge], env.dir);
    await env.ok(['run', '-d', '--name', 'multi', '--network', A.name, 'busybox', 'sleep', '1000']);
    await env.ok(['run', '-d', '--name', 'peer', '--network', B.name, 'busybox', 'sleep', '1000']);
    await env.ok(['network', 'connect', '--alias', 'multi-alias', B.name, 'multi']);
    const addrs = await env.ok(['exec', 'multi', 'ip', '-4', '-o', 'addr']);
    expect(addrs).toContain(testAddress(6, 3));
    expect(await env.ok(['exec', 'peer', 'nslookup', 'multi-alias'])).toContain(`Address: ${testAddress(6, 3)}`);
    expect(await env.ok(['exec', 'multi', 'cat', '/etc/hosts'])).toContain(`${testAddress(6, 3)}\t`);
    const nets = JSON.parse(await env.ok(['inspect', '--format', '{{json .NetworkSettings.Networks}}', 'multi'])) as Record<string, { IPAddress: string }>;
    expect(Object.keys(nets).sort()).toEqual([A.name, B.name].sort());
    expect((await env.pman(['network', 'connect', B.name, 'multi'])).stderr).toContain('already connected');

    await env.ok(['network', 'disconnect', B.name, 'multi']);
    expect(await env.ok(['exec', 'multi', 'ip', '-4', '-o', 'addr'])).not.toContain(testAddress(6, 3));
    const last = await env.pman(['network', 'disconnect', A.name, 'multi']);
    expect(last.exitCode).toBe(125);
    expect(last.stderr).toContain('its only network');
    await env.ok(['rm', '-f', '-t', '0', 'multi', 'peer']);
    expect(hostNetState([B.subnet], [B.bridge], env.dir)).toEqual(before);
  });

  it('reload makes a running container\'s rules again after they were deleted', async () => {
    const id = (await env.ok(['run', '-d', '--network', A.name, '-p', `${hostPort}:80`, 'busybox', 'sh', '-c', 'mkdir /www && echo reloaded > /www/index.html && exec httpd -f -p 80 -h /www'])).trim();
    expect(await until(() => httpGet(hostPort), 10_000)).toBe('reloaded\n');
    // Delete this container's own DNAT rule (it names the container ID), as a flush would.
    const mine = execFileSync('iptables-save', ['-t', 'nat'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.startsWith('-A ') && l.includes(id));
    expect(mine.length).toBeGreaterThan(0);
    for (const rule of mine) execFileSync('sh', ['-c', `iptables -t nat ${rule.replace(/^-A /, '-D ')}`]);
    expect(await httpGet(hostPort)).toBe('');
    expect((await env.ok(['network', 'reload', id])).trim()).toBe(id);
    const got = await until(() => httpGet(hostPort), 10_000);
    const dbg = got ? '' : execFileSync('sh', ['-c', `iptables-save -t nat | grep ${hostPort}; cat ${env.runroot}/netns/${id}.json | head -c 600`], { encoding: 'utf8' });
    expect({ got, dbg }).toEqual({ got: 'reloaded\n', dbg: '' });
    await env.ok(['rm', '-f', '-t', '0', id]);
    expect(hostNetState([A.subnet], [A.bridge], env.dir, [id])).toEqual({ rules: [], links: [], netns: [] });
  });
});
