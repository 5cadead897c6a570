// Rootless user networks (docs/networking.md, "Rootless user networks") as real unprivileged
// users: `network create` as a user, containers on it finding each other by name (aardvark-dns in
// the user's network namespace), a published port reached from the host, outbound to a server on
// the host's own address, the namespace's holder ending with the last container (also after a
// shim killed with SIGKILL, and replaced after the holder itself was killed), and two users kept
// apart. Traffic goes only to this machine and to the containers this file starts.
import fs from 'node:fs';
import path from 'node:path';
import { until } from '../harness.js';
import { hostAddress, hostServer, httpGet } from './host-net.js';
import { ensureUsers, nsOf, procPids, RootlessEnv, USER1, USER2 } from './rootless-env.js';

let a: RootlessEnv;
let b: RootlessEnv;

beforeAll(async () => {
  ensureUsers();
  a = await RootlessEnv.create(USER1);
  b = await RootlessEnv.create(USER2);
  await a.ok(['network', 'create', 'un']);
}, 180_000);
afterAll(async () => {
  await a?.cleanup();
  await b?.cleanup();
});

/** A process that ends on SIGTERM (a plain sleep as pid 1 ignores it). */
const STOPPABLE = 'trap "exit 0" TERM; while true; do sleep 1; done';

/** A web server answering `text` on port 80. */
const web = (text: string) => ['busybox', 'sh', '-c', `mkdir -p /w && echo ${text} > /w/index.html && exec httpd -f -p 80 -h /w`];

function cmdlineOf(pid: number): string[] {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

/** The processes of env's user network namespace: its holder, its slirp4netns, aardvark-dns. */
function netnsProcesses(env: RootlessEnv): { holder: number[]; slirp: number[]; aardvark: number[] } {
  const dir = path.join(env.runDir, 'rootless-netns');
  const out = { holder: [] as number[], slirp: [] as number[], aardvark: [] as number[] };
  for (const pid of procPids()) {
    const argv = cmdlineOf(pid);
    if (argv.includes('pman-netns-holder') && argv.some((x) => x.startsWith(dir))) out.holder.push(pid);
    else if (/slirp4netns$/.test(argv[0] ?? '') && argv.some((x) => x.startsWith(dir))) out.slirp.push(pid);
    else if (/aardvark-dns$/.test(argv[0] ?? '') && argv.some((x) => x.startsWith(env.runDir))) out.aardvark.push(pid);
  }
  return out;
}

/** Nothing of the user network namespace is left: no process, no directory (the mount was in it). */
async function expectNetnsGone(env: RootlessEnv): Promise<void> {
  await until(() => Object.values(netnsProcesses(env)).every((l) => l.length === 0));
  expect(netnsProcesses(env)).toEqual({ holder: [], slirp: [], aardvark: [] });
  expect(fs.existsSync(path.join(env.runDir, 'rootless-netns'))).toBe(false);
}

/** The host port pman published for a container port ("80/tcp -> 0.0.0.0:40123"). */
async function hostPortOf(env: RootlessEnv, name: string): Promise<number> {
  const line = (await env.ok(['port', name, '80/tcp'])).trim();
  return Number(/:([0-9]+)$/.exec(line)?.[1]);
}

describe('rootless user networks', () => {
  it('lets a user create a network on which containers resolve and reach each other by name, publish a port to the host and reach a server on the host', async () => {
    const { server, port } = await hostServer(hostAddress());
    try {
      expect((await a.ok(['network', 'ls', '--format', '{{.Name}}'])).split('\n')).toContain('un');
      expect((await a.ok(['network', 'inspect', '--format', '{{.DNSEnabled}}', 'un'])).trim()).toBe('true');
      // Published ports are bound by the user: a privileged one is refused at create, as for slirp4netns.
      const low = await a.pman(['run', '--rm', '--network', 'un', '-p', '80:80', 'busybox', 'true']);
      expect(low.exitCode).toBe(125);
      expect(low.stderr).toMatch(/^Error: cannot publish host port 80\/tcp rootless: ports below [0-9]+ need root \(net\.ipv4\.ip_unprivileged_port_start=[0-9]+\)/);
      await a.ok(['run', '-d', '--name', 'srv', '--network', 'un', '-p', '80', ...web('from-srv')]);
      const held = netnsProcesses(a);
      expect([held.holder.length, held.slirp.length]).toEqual([1, 1]);
      const r = await a.pman(['run', '--rm', '--network', 'un', 'busybox', 'sh', '-c', `wget -qO- http://srv/ && wget -qO- http://host.containers.internal:${port}/`]);
      expect(r).toEqual({ exitCode: 0, stdout: 'from-srv\nfrom-host', stderr: '' });
      const published = await hostPortOf(a, 'srv');
      expect(await until(() => httpGet('127.0.0.1', published).catch(() => ''))).toBe('from-srv');
      // The namespace stays while srv uses it; the --rm container's exit did not end it.
      expect(netnsProcesses(a).holder).toEqual(held.holder);
      await a.ok(['rm', '-f', '-t', '0', 'srv']);
      await expectNetnsGone(a);
    } finally {
      server.close();
      await a.pman(['rm', '-f', '-t', '0', 'srv']);
    }
  });

  it('ends the namespace when the shim of its last container was killed with SIGKILL, at the next command', async () => {
    const id = (await a.ok(['run', '-d', '--network', 'un', 'busybox', 'sleep', '1000'])).trim();
    try {
      const [holder] = netnsProcesses(a).holder;
      // The holder was started by the shim that wired the first container.
      const shim = Number(fs.readFileSync(`/proc/${holder}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      expect(cmdlineOf(shim).join(' ')).toMatch(/shim/);
      process.kill(shim, 'SIGKILL');
      // Reconciliation (any command reading the container) unwires it: the last one, so the namespace ends.
      await until(async () => (await a.ok(['ps', '-a', '--format', '{{.Status}}', '--filter', `id=${id}`])).startsWith('Exited'));
      await expectNetnsGone(a);
    } finally {
      await a.pman(['rm', '-f', '-t', '0', id]);
    }
  });

  it('replaces a holder killed with SIGKILL at the next run: the uplink comes back and published ports answer again', async () => {
    await a.ok(['run', '-d', '--name', 'kept', '--network', 'un', '-p', '80', ...web('from-kept')]);
    try {
      const port = await hostPortOf(a, 'kept');
      expect(await until(() => httpGet('127.0.0.1', port).catch(() => ''))).toBe('from-kept');
      const [holder] = netnsProcesses(a).holder;
      process.kill(holder, 'SIGKILL');
      // slirp4netns ends with its exit pipe's holder; with it the forward of kept's port.
      await until(() => netnsProcesses(a).slirp.length === 0);
      expect(netnsProcesses(a).slirp).toEqual([]);
      await expect(httpGet('127.0.0.1', port)).rejects.toThrow();
      const r = await a.pman(['run', '--rm', '--network', 'un', 'busybox', 'wget', '-qO-', 'http://kept/']);
      expect(r).toEqual({ exitCode: 0, stdout: 'from-kept', stderr: '' });
      const now = netnsProcesses(a);
      expect([now.holder.length, now.slirp.length]).toEqual([1, 1]);
      expect(now.holder).not.toContain(holder);
      expect(await until(() => httpGet('127.0.0.1', port).catch(() => ''))).toBe('from-kept');
      await a.ok(['rm', '-f', '-t', '0', 'kept']);
      await expectNetnsGone(a);
    } finally {
      await a.pman(['rm', '-f', '-t', '0', 'kept']);
    }
  });

  it("keeps two users' networks apart: another user's network of the same name is their own, and A's cannot be removed, joined or reached by B", async () => {
    await a.ok(['run', '-d', '--name', 'asrv', '--network', 'un', ...web('from-a')]);
    try {
      const aIp = (await a.ok(['inspect', '--format', '{{.NetworkSettings.Networks.un.IPAddress}}', 'asrv'])).trim();
      expect(aIp).toMatch(/^10\.91\.[0-9]+\.[0-9]+$/);
      // B has no network "un": removing or joining it acts on B's own store and fails cleanly.
      const notFound = 'Error: unable to find network with name or ID "un": network not found, run "pman network ls" to list networks';
      expect(await b.pman(['network', 'rm', 'un'])).toEqual({ exitCode: 1, stdout: '', stderr: notFound });
      const join = await b.pman(['run', '--rm', '--network', 'un', 'busybox', 'true']);
      expect(join).toEqual({ exitCode: 125, stdout: '', stderr: notFound });
      // Nor can B name A's namespace by path: A's runtime directory is private.
      const byPath = await b.pman(['run', '--rm', '--network', `ns:${path.join(a.runDir, 'rootless-netns', 'netns')}`, 'busybox', 'true']);
      expect(byPath.exitCode).toBe(125);
      expect(byPath.stderr).toMatch(/^Error: [^\n]*rootless-netns\/netns[^\n]*$/);
      // B's own "un" (same name, likely the same subnet) lives in B's namespace: A's address is not A's container there.
      // (nc, not wget -T: busybox's wget crashes when its timeout fires.)
      await b.ok(['network', 'create', 'un']);
      const probe = await b.pman(['run', '--rm', '--network', 'un', 'busybox', 'sh', '-c', `nc -w 3 ${aIp} 80 </dev/null 2>/dev/null && echo reached || echo unreachable; nslookup asrv >/dev/null 2>&1 || echo unknown`]);
      expect(probe).toEqual({ exitCode: 0, stdout: 'unreachable\nunknown', stderr: '' });
      expect(await b.pman(['network', 'rm', 'un'])).toEqual({ exitCode: 0, stdout: 'un', stderr: '' });
      // A's network, namespace and container are untouched.
      expect(netnsProcesses(a).holder).toHaveLength(1);
      const still = await a.pman(['run', '--rm', '--network', 'un', 'busybox', 'wget', '-qO-', 'http://asrv/']);
      expect(still).toEqual({ exitCode: 0, stdout: 'from-a', stderr: '' });
    } finally {
      await a.pman(['rm', '-f', '-t', '0', 'asrv']);
    }
    await expectNetnsGone(a);
    await expectNetnsGone(b);
  });

  it('system migrate stops the containers on a user network and the namespace ends with them; the next run makes a new one after a simulated reboot', async () => {
    await a.ok(['run', '-d', '--name', 'mig', '--network', 'un', 'busybox', 'sh', '-c', STOPPABLE]);
    try {
      expect(netnsProcesses(a).holder).toHaveLength(1);
      expect(await a.pman(['system', 'migrate'])).toMatchObject({ exitCode: 0, stderr: '' });
      await expectNetnsGone(a);
      // A reboot: every process of the user's namespaces gone, the runtime directory emptied.
      await a.ok(['start', 'mig']);
      expect(netnsProcesses(a).holder).toHaveLength(1);
      const userns = a.userns();
      // Killing one may end others before their turn (ESRCH): gone is what a reboot leaves.
      for (const pid of procPids()) {
        if (!userns || nsOf(pid) !== userns) continue;
        try {
          process.kill(pid, 'SIGKILL');
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
        }
      }
      await until(() => procPids().every((pid) => nsOf(pid) !== userns));
      fs.rmSync(a.runDir, { recursive: true, force: true });
      const r = await a.pman(['run', '--rm', '--network', 'un', 'busybox', 'sh', '-c', 'nslookup mig >/dev/null 2>&1 || echo mig-gone; hostname']);
      expect(r.exitCode).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe('mig-gone');
      await expectNetnsGone(a);
    } finally {
      await a.pman(['rm', '-f', '-t', '0', 'mig']);
    }
  });

  it('system check reports a user network namespace no container is wired to, and --repair takes it down', async () => {
    const id = (await a.ok(['run', '-d', '--name', 'chk', '--network', 'un', 'busybox', 'sh', '-c', STOPPABLE])).trim();
    try {
      // What a crash between removing the last container's setup record and ending the namespace leaves.
      fs.rmSync(path.join(a.runDir, 'netns', `${id}.json`));
      const problem = 'user network namespace: kept while no container is on a user network';
      expect(await a.pman(['system', 'check'])).toEqual({ exitCode: 1, stdout: problem, stderr: '' });
      expect(await a.pman(['system', 'check', '--repair'])).toEqual({ exitCode: 0, stdout: `${problem} (repaired: taken down)`, stderr: '' });
      await expectNetnsGone(a);
    } finally {
      await a.pman(['rm', '-f', '-t', '0', 'chk']);
    }
  });

  it('makes a dual-stack user network with --ipv6: a static --ip6, the other container finds it by name (AAAA) and reaches it over IPv6', async () => {
    await a.ok(['network', 'create', '--ipv6', '--subnet', 'fd6f:1:2::/64', 'un6']);
    try {
      await a.ok(['run', '-d', '--name', 'srv6', '--network', 'un6', '--ip6', 'fd6f:1:2::20', ...web('over-v6')]);
      expect((await a.ok(['inspect', '--format', '{{.NetworkSettings.GlobalIPv6Address}}', 'srv6'])).trim()).toBe('fd6f:1:2::20');
      const r = await a.pman(['run', '--rm', '--network', 'un6', 'busybox', 'sh', '-c', 'nslookup srv6 | grep fd6f: && wget -qO- http://[fd6f:1:2::20]/']);
      expect(r).toEqual({ exitCode: 0, stdout: 'Address: fd6f:1:2::20\nover-v6', stderr: '' });
    } finally {
      await a.pman(['rm', '-f', '-t', '0', 'srv6']);
      await a.pman(['network', 'rm', 'un6']);
    }
    await expectNetnsGone(a);
  });
});
