// What pman stores (each --root/--runroot) share on one machine as root: a published host port is
// one store's at a time, and subnets of new networks never collide.
// Traffic goes only to loopback.
import { TestEnv } from '../harness.js';
import { httpGet, netnsMounts } from './net-harness.js';

let a: TestEnv;
let b: TestEnv;
beforeAll(async () => {
  [a, b] = await Promise.all([TestEnv.create(), TestEnv.create()]);
});
afterAll(async () => {
  await Promise.all([a?.cleanup(), b?.cleanup()]);
});
const hostPort = 43000 + (process.pid % 20000);
const serve = ['busybox', 'sh', '-c', 'mkdir /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www'];

describe('two stores on one machine', () => {
  it('a host port published by a container of another store is refused at start, naming the holder, until it is released', async () => {
    const holder = (await a.ok(['run', '-d', '--name', 'holder', '-p', `${hostPort}:80`, ...serve])).trim();
    try {
      const r = await b.pman(['run', '-d', '--name', 'second', '-p', `127.0.0.1:${hostPort}:80`, ...serve]);
      expect([r.exitCode, r.stderr.trim()]).toEqual([
        125,
        `Error: cannot publish port 127.0.0.1:${hostPort}/tcp: container ${holder.slice(0, 12)} of the pman store whose runtime root is ${a.runroot} publishes it already, choose another with -p`,
      ]);
      // Nothing of the refused start is left wired, and the holder still serves the port.
      expect(netnsMounts(b.runroot)).toEqual([]);
      expect((await httpGet('127.0.0.1', hostPort)).trim()).toBe(holder.slice(0, 12));
    } finally {
      await a.pman(['rm', '-f', '-t', '0', 'holder']);
    }
    // Released with the holder's unwiring: the other store's container starts and serves it.
    await b.ok(['start', 'second']);
    const second = (await b.ok(['inspect', '--format', '{{.Id}}', 'second'])).trim();
    expect((await httpGet('127.0.0.1', hostPort)).trim()).toBe(second.slice(0, 12));
    await b.ok(['rm', '-f', '-t', '0', 'second']);
  });

  it('automatically chosen subnets of new networks differ between stores; a subnet another store holds is refused until removed', async () => {
    const subnetOf = async (env: TestEnv, name: string) => (await env.ok(['network', 'inspect', '--format', '{{range .Subnets}}{{.subnet}}{{end}}', name])).trim();
    await a.ok(['network', 'create', 'first']);
    await b.ok(['network', 'create', 'second']);
    try {
      const [sa, sb] = [await subnetOf(a, 'first'), await subnetOf(b, 'second')];
      expect(sa).toMatch(/^10\.91\.\d+\.0\/24$/);
      expect(sb).toMatch(/^10\.91\.\d+\.0\/24$/);
      expect(sb).not.toBe(sa);
      const r = await b.pman(['network', 'create', '--subnet', sa, 'third']);
      expect([r.exitCode, r.stderr.trim()]).toEqual([
        125,
        `Error: subnet ${sa} overlaps subnet ${sa} of the network in ${a.root}/networks/first/network.json (another pman store): choose another --subnet`,
      ]);
      expect(await b.ok(['network', 'ls', '--format', '{{.Name}}', '--filter', 'name=third'])).toBe('');
      await a.ok(['network', 'rm', 'first']);
      await b.ok(['network', 'create', '--subnet', sa, 'third']);
      expect(await subnetOf(b, 'third')).toBe(sa);
    } finally {
      await a.pman(['network', 'rm', 'first']);
      await b.pman(['network', 'rm', 'second', 'third']);
    }
  });
});
